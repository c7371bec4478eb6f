import JSON

/// The `normalizer` section.
extension TokenizerJSON {
    /// The normalizer a `normalizer` object describes (`.none` for null).
    static func parseNormalizer(_ value: JSONValue, reader: JSONReader, path: String)
        throws(TokenizerError) -> TextNormalizer
    {
        if value.isNull { return .none }
        let type = try reader.typeName(value, path: path)
        switch type {
        case "NFC": return .nfc
        case "NFD": return .nfd
        case "NFKC": return .nfkc
        case "NFKD": return .nfkd
        case "Prepend":
            guard let prefix = value["prepend"]?.stringValue else {
                throw .invalidJSON(reader.file, "\(path): Prepend without a \"prepend\" string")
            }
            return .prepend(prefix)
        case "Replace":
            let (pattern, content) = try reader.literalReplacement(value, path: path)
            return .replace(pattern: pattern, content: content)
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
                "\(path): normalizer type \"\(type)\" is not supported "
                    + "(supported: NFC, NFD, NFKC, NFKD, Prepend, Replace, Sequence)")
        }
    }
}
