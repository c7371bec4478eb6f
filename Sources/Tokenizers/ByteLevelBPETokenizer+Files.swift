import JSON
import Foundation

/// Loading from HF tokenizer files: `tokenizer.json`, or `vocab.json` + `merges.txt`, each with an
/// optional `tokenizer_config.json`.
extension ByteLevelBPETokenizer {
    /// Loads a tokenizer from the contents of `tokenizer.json` and, optionally, `tokenizer_config.json`.
    public init(tokenizerJSON: Data, config: Data? = nil) throws(TokenizerError) {
        try self.init(
            tokenizerJSON: tokenizerJSON, config: config,
            tokenizerFile: "tokenizer.json", configFile: "tokenizer_config.json")
    }

    init(tokenizerJSON: Data, config: Data?, tokenizerFile: String, configFile: String) throws(TokenizerError) {
        let components = try TokenizerComponents.load(
            tokenizerJSON: tokenizerJSON, config: config, tokenizerFile: tokenizerFile, configFile: configFile)
        try self.init(components: components, file: tokenizerFile)
    }

    /// Loads a GPT-2-style tokenizer from `vocab.json`, `merges.txt` and, optionally, `tokenizer_config.json`,
    /// as transformers' GPT2Tokenizer builds it (`<|endoftext|>` is BOS, EOS and UNK unless the config says otherwise).
    public init(
        vocabJSON: Data, merges: String, config: Data? = nil,
        preTokenizer: PreTokenizerKind = .gpt2
    ) throws(TokenizerError) {
        try self.init(
            vocabJSON: vocabJSON, merges: merges, config: config, preTokenizer: preTokenizer,
            vocabFile: "vocab.json", mergesFile: "merges.txt", configFile: "tokenizer_config.json")
    }

    init(
        vocabJSON: Data, merges: String, config: Data?, preTokenizer kind: PreTokenizerKind,
        vocabFile: String, mergesFile: String, configFile: String
    ) throws(TokenizerError) {
        let vocabObject = try JSONObjectReader.tokenizerFile(Array(vocabJSON), file: vocabFile)
        let vocabulary = try JSONReader(file: vocabFile).vocabulary(.object(vocabObject.members), path: "top level")
        let mergePairs = try Self.parseMergesText(merges, file: mergesFile)
        var parsedConfig =
            try config.map { data throws(TokenizerError) in
                try TokenizerConfig.parse(Array(data), file: configFile)
            } ?? TokenizerConfig()
        let endOfText = TokenizerConfig.SpecialToken.token(AddedToken(id: -1, content: "<|endoftext|>"))
        switch kind {
        case .gpt2, .smollm:
            if case .absent = parsedConfig.bosToken { parsedConfig.bosToken = endOfText }
            if case .absent = parsedConfig.eosToken { parsedConfig.eosToken = endOfText }
            if case .absent = parsedConfig.unkToken { parsedConfig.unkToken = endOfText }
        case .qwen2:
            if case .absent = parsedConfig.eosToken { parsedConfig.eosToken = endOfText }
            if case .absent = parsedConfig.unkToken { parsedConfig.unkToken = endOfText }
            if case .absent = parsedConfig.padToken { parsedConfig.padToken = endOfText }
        case .llama3:
            break
        }
        var steps = kind.steps
        if parsedConfig.addPrefixSpace == true, case .byteLevel(_, let useRegex) = steps.last {
            steps[steps.count - 1] = .byteLevel(addPrefixSpace: true, useRegex: useRegex)
        }
        var components = TokenizerComponents(
            vocabulary: vocabulary, merges: mergePairs,
            preTokenizer: PreTokenizer(steps: steps))
        components.normalizer = kind == .qwen2 ? .nfc : .none
        components.apply(parsedConfig, fromTokenizerJSON: false)
        try self.init(components: components, file: vocabFile, mergesFile: mergesFile)
    }

    /// Parses merges.txt: one "left right" pair per line (LF or CRLF); `#version` lines and empty
    /// lines are skipped.
    static func parseMergesText(_ text: String, file: String) throws(TokenizerError) -> [(String, String)] {
        var result: [(String, String)] = []
        let lines = text[...].unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false)
        for (index, rawLine) in lines.enumerated() {
            let line = rawLine.last == "\r" ? rawLine.dropLast() : rawLine
            if line.isEmpty || line.starts(with: "#version".unicodeScalars) { continue }
            guard let pair = JSONReader.splitMergeLine(line) else {
                let text = String(String.UnicodeScalarView(line))
                throw .invalidJSON(file, "line \(index + 1): \"\(text)\" is not two tokens separated by one space")
            }
            result.append(pair)
        }
        return result
    }
}
