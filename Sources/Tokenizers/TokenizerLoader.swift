import Foundation

/// Loads the tokenizer stored in a model directory.
public enum TokenizerLoader {
    /// Loads `tokenizer.json` from `directory` if present (byte-level or SentencePiece-style BPE), else
    /// `vocab.json` + `merges.txt`; `tokenizer_config.json` is applied when present.
    public static func load(directory: URL) throws(TokenizerError) -> any Tokenizer {
        let fileManager = FileManager.default
        var isDirectory: ObjCBool = false
        guard fileManager.fileExists(atPath: directory.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw .missingFile(directory.path, "not a directory")
        }
        let tokenizerURL = directory.appendingPathComponent("tokenizer.json")
        let configURL = directory.appendingPathComponent("tokenizer_config.json")
        let config = fileManager.fileExists(atPath: configURL.path) ? try read(configURL) : nil
        if fileManager.fileExists(atPath: tokenizerURL.path) {
            let components = try TokenizerComponents.load(
                tokenizerJSON: try read(tokenizerURL), config: config,
                tokenizerFile: tokenizerURL.path, configFile: configURL.path)
            if components.decoder == nil {
                return try ByteLevelBPETokenizer(components: components, file: tokenizerURL.path)
            }
            return try SentencePieceBPETokenizer(components: components, file: tokenizerURL.path)
        }
        let vocabURL = directory.appendingPathComponent("vocab.json")
        let mergesURL = directory.appendingPathComponent("merges.txt")
        for url in [vocabURL, mergesURL] where !fileManager.fileExists(atPath: url.path) {
            throw .missingFile(url.path, "the directory has neither tokenizer.json nor vocab.json + merges.txt")
        }
        let mergesData = try read(mergesURL)
        let merges = String(decoding: mergesData, as: UTF8.self)
        return try ByteLevelBPETokenizer(
            vocabJSON: try read(vocabURL), merges: merges, config: config,
            preTokenizer: .gpt2, vocabFile: vocabURL.path,
            mergesFile: mergesURL.path, configFile: configURL.path)
    }

    private static func read(_ url: URL) throws(TokenizerError) -> Data {
        do {
            return try Data(contentsOf: url)
        } catch {
            throw .missingFile(url.path, "cannot be read: \(error.localizedDescription)")
        }
    }
}
