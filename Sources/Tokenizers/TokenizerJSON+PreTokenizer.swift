import JSON

/// The `pre_tokenizer` section.
extension TokenizerJSON {
    /// Appends the steps of a `pre_tokenizer` object to `steps` (a `Sequence` contributes its items in order; null
    /// at the top level contributes nothing).
    static func collectPreTokenizerSteps(
        _ value: JSONValue, reader: JSONReader, path: String,
        into steps: inout [PreTokenizer.Step]
    ) throws(TokenizerError) {
        if value.isNull, path == "pre_tokenizer" { return }
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
            steps.append(try split(value, reader: reader, path: path))
        case "Metaspace":
            steps.append(
                .metaspace(
                    MetaspaceSplit(
                        replacement: try reader.scalar(value, "replacement", path: path, default: "\u{2581}"),
                        prependScheme: try reader.prependScheme(value, path: path),
                        split: try reader.bool(value, "split", path: path, default: true))))
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
                    + "(supported: ByteLevel, Metaspace, Split, Digits, Sequence)")
        }
    }

    /// A `Split` on a literal string (any behaviour) or on one of the known regexes (behaviour "Isolated").
    private static func split(_ value: JSONValue, reader: JSONReader, path: String)
        throws(TokenizerError) -> PreTokenizer.Step
    {
        let behaviorName = value["behavior"]?.stringValue ?? "Isolated"
        guard let behavior = LiteralSplit.Behavior(rawValue: behaviorName) else {
            throw .invalidJSON(
                reader.file,
                "\(path): unknown Split behavior \"\(behaviorName)\" (expected one of "
                    + LiteralSplit.Behavior.allCases.map(\.rawValue).joined(separator: ", ") + ")")
        }
        if value["invert"]?.boolValue == true {
            throw .unsupported(reader.file, "\(path): Split with invert: true is not supported")
        }
        guard let pattern = value["pattern"] else {
            throw .invalidJSON(reader.file, "\(path): Split without a \"pattern\"")
        }
        if let literal = pattern["String"]?.stringValue {
            guard let split = LiteralSplit(pattern: literal, behavior: behavior) else {
                throw .invalidJSON(reader.file, "\(path).pattern: the String pattern is empty")
            }
            return .literalSplit(split)
        }
        guard let regex = pattern["Regex"]?.stringValue else {
            throw .invalidJSON(reader.file, "\(path).pattern: expected {\"String\": \"…\"} or {\"Regex\": \"…\"}")
        }
        guard behavior == .isolated else {
            throw .unsupported(
                reader.file,
                "\(path): Split on a regex with behavior \"\(behaviorName)\" is not supported (only \"Isolated\")")
        }
        guard let known = SplitPattern(regex: regex) else {
            throw TokenizerError(
                .unknownPreTokenizerPattern,
                "\(reader.file): \(path): unknown pre-tokenizer regex \"\(regex)\"; "
                    + "supported are the GPT-2, Llama 3 and Qwen2 patterns")
        }
        return .split(known)
    }
}
