import JSON

/// Reads of the fields that normalizers, pre-tokenizers and decoders share.
extension JSONReader {
    /// The literal pattern and the content of a `Replace` normalizer or decoder; a regex pattern is unsupported.
    func literalReplacement(_ value: JSONValue, path: String) throws(TokenizerError) -> (String, String) {
        guard let pattern = value["pattern"] else {
            throw .invalidJSON(file, "\(path): Replace without a \"pattern\"")
        }
        if let regex = pattern["Regex"]?.stringValue {
            throw .unsupported(
                file, "\(path): Replace with the regex \"\(regex)\" is not supported (only a {\"String\": …} pattern)")
        }
        guard let literal = pattern["String"]?.stringValue, !literal.isEmpty else {
            throw .invalidJSON(file, "\(path).pattern: expected {\"String\": \"…\"} with a non-empty string")
        }
        guard let content = value["content"]?.stringValue else {
            throw .invalidJSON(file, "\(path): Replace without a \"content\" string")
        }
        return (literal, content)
    }

    /// The one scalar a string field holds (Metaspace's `replacement`, Strip's `content`), or `fallback` when the
    /// field is absent.
    func scalar(_ value: JSONValue, _ key: String, path: String, default fallback: Unicode.Scalar? = nil)
        throws(TokenizerError) -> Unicode.Scalar
    {
        guard let field = value[key] else {
            if let fallback { return fallback }
            throw .invalidJSON(file, "\(path): missing \"\(key)\"")
        }
        guard let text = field.stringValue, text.unicodeScalars.count == 1, let scalar = text.unicodeScalars.first
        else {
            throw .invalidJSON(file, "\(path).\(key): expected a string of one character, found \(field.summary)")
        }
        return scalar
    }

    /// Metaspace's prepend scheme: `prepend_scheme` ("always", "first", "never"), or in older files
    /// `add_prefix_space` (true: always, false: never); "always" when neither is given.
    func prependScheme(_ value: JSONValue, path: String) throws(TokenizerError) -> MetaspaceSplit.PrependScheme {
        if let field = value["prepend_scheme"] {
            guard let name = field.stringValue, let scheme = MetaspaceSplit.PrependScheme(rawValue: name) else {
                throw .invalidJSON(
                    file, "\(path).prepend_scheme: expected \"always\", \"first\" or \"never\", found \(field.summary)")
            }
            return scheme
        }
        if let field = value["add_prefix_space"] {
            guard let flag = field.boolValue else {
                throw .invalidJSON(file, "\(path).add_prefix_space: expected a boolean, found \(field.typeName)")
            }
            return flag ? .always : .never
        }
        return .always
    }

    /// An optional boolean field: `fallback` when absent or null, an error for another type.
    func bool(_ value: JSONValue, _ key: String, path: String, default fallback: Bool) throws(TokenizerError) -> Bool {
        guard let field = value[key], !field.isNull else { return fallback }
        guard let flag = field.boolValue else {
            throw .invalidJSON(file, "\(path).\(key): expected true or false, found \(field.summary)")
        }
        return flag
    }

    /// A non-negative integer field: `fallback` when absent or null, an error for anything else.
    func count(_ value: JSONValue, _ key: String, path: String, default fallback: Int) throws(TokenizerError) -> Int {
        guard let field = value[key], !field.isNull else { return fallback }
        guard let number = field.intValue, number >= 0 else {
            throw .invalidJSON(file, "\(path).\(key): expected a non-negative integer, found \(field.summary)")
        }
        return number
    }
}
