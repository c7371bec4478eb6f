import JSON

extension JSONObjectReader {
    /// Parses a tokenizer file whose top level is an object; syntax and shape errors become `TokenizerError`s that
    /// name `file`.
    static func tokenizerFile(_ bytes: [UInt8], file: String) throws(TokenizerError) -> JSONObjectReader {
        try TokenizerError.reading { () throws(JSONReadError) in try JSONObjectReader(parsing: bytes, source: file) }
    }
}

extension TokenizerError {
    /// Runs a read of the shared JSON reader, reporting its failure as `invalidJSON` (the message names the file and
    /// the key path).
    static func reading<T>(_ body: () throws(JSONReadError) -> T) throws(TokenizerError) -> T {
        do { return try body() } catch { throw TokenizerError(.invalidJSON, error.description) }
    }
}
