import JSON
/// The parts of an HF `tokenizer.json` that a byte-level BPE tokenizer needs.
struct TokenizerJSON {
    /// Model vocabulary entries in file order.
    var vocabulary: [(token: String, id: Int)]
    /// Merges in rank order.
    var merges: [(String, String)]
    var ignoreMerges: Bool
    var unknownToken: String?
    var addedTokens: [AddedToken]
    var normalizer: TextNormalizer
    var preTokenizer: PreTokenizer
    /// The post-processor's ids around the text, or nil when the file has no post-processor.
    var postProcessor: SpecialTokenTemplate?

    /// Parses `tokenizer.json` bytes; `file` names the file in error messages.
    static func parse(_ bytes: [UInt8], file: String) throws(TokenizerError) -> TokenizerJSON {
        let root = try JSONObjectReader.tokenizerFile(bytes, file: file)
        let reader = JSONReader(file: file)
        guard let model = root["model"], !model.isNull else {
            throw .invalidJSON(file, "missing \"model\" section")
        }
        let addedTokens = try reader.addedTokens(root["added_tokens"] ?? .array([]), path: "added_tokens")
        let (vocabulary, merges, ignoreMerges, unknownToken) = try parseModel(model, reader: reader)
        let normalizer = try parseNormalizer(root["normalizer"] ?? .null, reader: reader, path: "normalizer")
        var steps: [PreTokenizer.Step] = []
        try collectPreTokenizerSteps(
            root["pre_tokenizer"] ?? .null, reader: reader, path: "pre_tokenizer",
            into: &steps)
        guard case .byteLevel = steps.last else {
            throw .unsupported(
                file,
                "pre_tokenizer must end with a ByteLevel pre-tokenizer; only byte-level BPE is supported")
        }
        if steps.dropLast().contains(where: { if case .byteLevel = $0 { true } else { false } }) {
            throw .unsupported(file, "pre_tokenizer has a ByteLevel step before other steps, which is not supported")
        }
        let postProcessor = try parsePostProcessor(
            root["post_processor"] ?? .null, reader: reader,
            path: "post_processor")
        try checkDecoder(root["decoder"] ?? .null, reader: reader, path: "decoder")
        return TokenizerJSON(
            vocabulary: vocabulary, merges: merges, ignoreMerges: ignoreMerges,
            unknownToken: unknownToken, addedTokens: addedTokens, normalizer: normalizer,
            preTokenizer: PreTokenizer(steps: steps), postProcessor: postProcessor)
    }

    private static func parseModel(_ model: JSONValue, reader: JSONReader) throws(TokenizerError)
        -> ([(token: String, id: Int)], [(String, String)], Bool, String?)
    {
        let type = model["type"]?.stringValue
        if let type, type != "BPE" {
            throw .unsupported(
                reader.file,
                "model type \"\(type)\" is not supported; only byte-level BPE tokenizers are")
        }
        if type == nil, model["merges"] == nil {
            throw .unsupported(
                reader.file,
                "model has no \"type\" and no \"merges\"; only byte-level BPE tokenizers are supported")
        }
        guard let vocabValue = model["vocab"] else { throw .invalidJSON(reader.file, "model has no \"vocab\"") }
        let vocabulary = try reader.vocabulary(vocabValue, path: "model.vocab")
        let merges = try reader.merges(model["merges"] ?? .array([]), path: "model.merges")
        if model["byte_fallback"]?.boolValue == true {
            throw .unsupported(
                reader.file,
                "model.byte_fallback is true (SentencePiece-style BPE); only byte-level BPE is supported")
        }
        for key in ["continuing_subword_prefix", "end_of_word_suffix"] {
            if let value = model[key]?.stringValue, !value.isEmpty {
                throw .unsupported(reader.file, "model.\(key) \"\(value)\" is not supported")
            }
        }
        if case .number(let dropout) = model["dropout"] ?? .null, dropout > 0, dropout < 1 {
            throw .unsupported(reader.file, "model.dropout \(dropout) is not supported (encoding would be random)")
        }
        let ignoreMerges = model["ignore_merges"]?.boolValue ?? false
        return (vocabulary, merges, ignoreMerges, model["unk_token"]?.stringValue)
    }

    private static func parseNormalizer(_ value: JSONValue, reader: JSONReader, path: String)
        throws(TokenizerError) -> TextNormalizer
    {
        if value.isNull { return .none }
        let type = try reader.typeName(value, path: path)
        switch type {
        case "NFC": return .nfc
        case "NFD": return .nfd
        case "NFKC": return .nfkc
        case "NFKD": return .nfkd
        case "Sequence":
            guard let items = value["normalizers"]?.arrayValue else {
                throw .invalidJSON(reader.file, "\(path): Sequence without a \"normalizers\" array")
            }
            var steps: [TextNormalizer] = []
            for (index, item) in items.enumerated() {
                steps.append(try parseNormalizer(item, reader: reader, path: "\(path).normalizers[\(index)]"))
            }
            return .sequence(steps)
        default:
            throw .unsupported(
                reader.file,
                "\(path): normalizer type \"\(type)\" is not supported (supported: NFC, NFD, NFKC, NFKD, Sequence)")
        }
    }

    private static func collectPreTokenizerSteps(
        _ value: JSONValue, reader: JSONReader, path: String,
        into steps: inout [PreTokenizer.Step]
    ) throws(TokenizerError) {
        if value.isNull {
            throw .unsupported(
                reader.file,
                "\(path) is null; only byte-level BPE (with a ByteLevel pre-tokenizer) is supported")
        }
        let type = try reader.typeName(value, path: path)
        switch type {
        case "ByteLevel":
            steps.append(
                .byteLevel(
                    addPrefixSpace: value["add_prefix_space"]?.boolValue ?? true,
                    useRegex: value["use_regex"]?.boolValue ?? true))
        case "Digits":
            steps.append(.digits(individual: value["individual_digits"]?.boolValue ?? false))
        case "Split":
            steps.append(.split(try splitPattern(value, reader: reader, path: path)))
        case "Sequence":
            guard let items = value["pretokenizers"]?.arrayValue else {
                throw .invalidJSON(reader.file, "\(path): Sequence without a \"pretokenizers\" array")
            }
            for (index, item) in items.enumerated() {
                try collectPreTokenizerSteps(
                    item, reader: reader, path: "\(path).pretokenizers[\(index)]",
                    into: &steps)
            }
        default:
            throw .unsupported(
                reader.file,
                "\(path): pre-tokenizer type \"\(type)\" is not supported "
                    + "(supported: ByteLevel, Split, Digits, Sequence)")
        }
    }

    private static func splitPattern(_ value: JSONValue, reader: JSONReader, path: String)
        throws(TokenizerError) -> SplitPattern
    {
        let behavior = value["behavior"]?.stringValue ?? "Isolated"
        guard behavior == "Isolated" else {
            throw .unsupported(
                reader.file,
                "\(path): Split behavior \"\(behavior)\" is not supported (only \"Isolated\")")
        }
        if value["invert"]?.boolValue == true {
            throw .unsupported(reader.file, "\(path): Split with invert: true is not supported")
        }
        guard let pattern = value["pattern"] else {
            throw .invalidJSON(reader.file, "\(path): Split without a \"pattern\"")
        }
        if let literal = pattern["String"]?.stringValue {
            throw .unsupported(
                reader.file,
                "\(path): Split on the literal string \"\(literal)\" is not supported (only the known regexes)")
        }
        guard let regex = pattern["Regex"]?.stringValue else {
            throw .invalidJSON(reader.file, "\(path).pattern: expected {\"Regex\": \"…\"}")
        }
        guard let known = SplitPattern(regex: regex) else {
            throw TokenizerError(
                .unknownPreTokenizerPattern,
                "\(reader.file): \(path): unknown pre-tokenizer regex \"\(regex)\"; "
                    + "supported are the GPT-2, Llama 3 and Qwen2 patterns")
        }
        return known
    }

    private static func parsePostProcessor(_ value: JSONValue, reader: JSONReader, path: String)
        throws(TokenizerError) -> SpecialTokenTemplate?
    {
        if value.isNull { return nil }
        let type = try reader.typeName(value, path: path)
        switch type {
        case "ByteLevel":
            return SpecialTokenTemplate()
        case "TemplateProcessing":
            return try templateProcessing(value, reader: reader, path: path)
        case "RobertaProcessing", "BertProcessing":
            let cls = try reader.tokenAndID(value["cls"], path: "\(path).cls")
            let sep = try reader.tokenAndID(value["sep"], path: "\(path).sep")
            return SpecialTokenTemplate(prefix: [cls], suffix: [sep])
        case "Sequence":
            guard let items = value["processors"]?.arrayValue else {
                throw .invalidJSON(reader.file, "\(path): Sequence without a \"processors\" array")
            }
            var result = SpecialTokenTemplate()
            for (index, item) in items.enumerated() {
                if let inner = try parsePostProcessor(item, reader: reader, path: "\(path).processors[\(index)]") {
                    result = inner.wrapping(result)
                }
            }
            return result
        default:
            throw .unsupported(reader.file, "\(path): post-processor type \"\(type)\" is not supported")
        }
    }

    private static func templateProcessing(_ value: JSONValue, reader: JSONReader, path: String)
        throws(TokenizerError) -> SpecialTokenTemplate
    {
        guard let single = value["single"]?.arrayValue else {
            throw .invalidJSON(reader.file, "\(path): TemplateProcessing without a \"single\" array")
        }
        var template = SpecialTokenTemplate()
        var seenSequence = false
        for (index, item) in single.enumerated() {
            if item["Sequence"] != nil {
                seenSequence = true
                continue
            }
            guard let name = item["SpecialToken"]?["id"]?.stringValue else {
                throw .invalidJSON(reader.file, "\(path).single[\(index)]: expected a SpecialToken or Sequence item")
            }
            guard let ids = value["special_tokens"]?[name]?["ids"]?.arrayValue else {
                throw .invalidJSON(reader.file, "\(path): special token \"\(name)\" is not in \"special_tokens\"")
            }
            var tokenIDs: [Int] = []
            for id in ids {
                guard let id = id.intValue, id >= 0 else {
                    throw .idOutOfRange(reader.file, "\(path): special token \"\(name)\" has an invalid id")
                }
                tokenIDs.append(id)
            }
            if seenSequence {
                template.suffix += tokenIDs
            } else {
                template.prefix += tokenIDs
            }
        }
        return template
    }

    private static func checkDecoder(_ value: JSONValue, reader: JSONReader, path: String) throws(TokenizerError) {
        if value.isNull { return }
        let type = try reader.typeName(value, path: path)
        switch type {
        case "ByteLevel":
            return
        case "Sequence":
            for (index, item) in (value["decoders"]?.arrayValue ?? []).enumerated() {
                try checkDecoder(item, reader: reader, path: "\(path).decoders[\(index)]")
            }
        default:
            throw .unsupported(reader.file, "\(path): decoder type \"\(type)\" is not supported (only ByteLevel)")
        }
    }
}
