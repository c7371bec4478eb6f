import JSON

extension JSONParser {
    /// Parses a tokenizer file's bytes, reporting syntax errors as `TokenizerError`s that name `file`.
    static func parse(_ bytes: [UInt8], file: String) throws(TokenizerError) -> JSONValue {
        do {
            return try parse(bytes)
        } catch {
            throw TokenizerError.invalidJSON(file, error.description)
        }
    }
}
