import JSON

/// The `decoder` section.
extension TokenizerJSON {
    /// Checks that a byte-level tokenizer's decoder is ByteLevel (alone or in a Sequence) or null.
    static func checkByteLevelDecoder(_ value: JSONValue, reader: JSONReader, path: String) throws(TokenizerError) {
        if value.isNull { return }
        let type = try reader.typeName(value, path: path)
        switch type {
        case "ByteLevel":
            return
        case "Sequence":
            for (index, item) in (value["decoders"]?.arrayValue ?? []).enumerated() {
                try checkByteLevelDecoder(item, reader: reader, path: "\(path).decoders[\(index)]")
            }
        default:
            throw .unsupported(
                reader.file,
                "\(path): decoder type \"\(type)\" is not supported with a ByteLevel pre-tokenizer (only ByteLevel)")
        }
    }

    /// The decoder chain of a SentencePiece-style tokenizer (`TokenDecoder.absent` for null).
    static func parseDecoder(_ value: JSONValue, reader: JSONReader, path: String) throws(TokenizerError)
        -> TokenDecoder
    {
        if value.isNull { return .absent }
        var steps: [TokenDecoder.Step] = []
        try collectDecoderSteps(value, reader: reader, path: path, into: &steps)
        return TokenDecoder(steps: steps)
    }

    private static func collectDecoderSteps(
        _ value: JSONValue, reader: JSONReader, path: String, into steps: inout [TokenDecoder.Step]
    ) throws(TokenizerError) {
        let type = try reader.typeName(value, path: path)
        switch type {
        case "Replace":
            let (pattern, content) = try reader.literalReplacement(value, path: path)
            steps.append(.replace(pattern: pattern, content: content))
        case "ByteFallback":
            steps.append(.byteFallback)
        case "Fuse":
            steps.append(.fuse)
        case "Strip":
            steps.append(
                .strip(
                    content: try reader.scalar(value, "content", path: path),
                    start: try reader.count(value, "start", path: path, default: 0),
                    stop: try reader.count(value, "stop", path: path, default: 0)))
        case "Metaspace":
            steps.append(
                .metaspace(
                    replacement: try reader.scalar(value, "replacement", path: path, default: "\u{2581}"),
                    prependScheme: try reader.prependScheme(value, path: path)))
        case "Sequence":
            guard let items = value["decoders"]?.arrayValue else {
                throw .invalidJSON(reader.file, "\(path): Sequence without a \"decoders\" array")
            }
            for (index, item) in items.enumerated() {
                try collectDecoderSteps(item, reader: reader, path: "\(path).decoders[\(index)]", into: &steps)
            }
        case "ByteLevel":
            throw .unsupported(
                reader.file, "\(path): a ByteLevel decoder needs a ByteLevel pre-tokenizer, and there is none")
        default:
            throw .unsupported(
                reader.file,
                "\(path): decoder type \"\(type)\" is not supported "
                    + "(supported: Replace, ByteFallback, Fuse, Strip, Metaspace, Sequence)")
        }
    }
}
