import JSON

/// The `post_processor` section: the special tokens placed around the encoded text.
extension TokenizerJSON {
    /// The ids a post-processor puts around the text, or nil without one.
    static func parsePostProcessor(_ value: JSONValue, reader: JSONReader, path: String)
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
}
