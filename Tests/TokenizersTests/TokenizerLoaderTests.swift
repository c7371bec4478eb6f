import Foundation
import Testing
import Tokenizers

/// Loading tokenizers from directories, and the errors for missing or malformed files.
@Suite struct TokenizerLoaderTests {
    /// A minimal valid byte-level tokenizer.json as a JSON object, to be altered by each test.
    static func minimalTokenizerJSON() -> [String: Any] {
        var vocab: [String: Int] = [:]
        for byte in 0..<256 {
            vocab[String(ByteEncoder.scalarForByte[byte])] = byte
        }
        vocab["Ġt"] = 256
        return [
            "version": "1.0",
            "added_tokens": [
                [
                    "id": 257, "content": "<|endoftext|>", "single_word": false, "lstrip": false, "rstrip": false,
                    "normalized": false, "special": true
                ]
            ],
            "normalizer": NSNull(),
            "pre_tokenizer": ["type": "ByteLevel", "add_prefix_space": false, "trim_offsets": true, "use_regex": true],
            "post_processor": NSNull(),
            "decoder": ["type": "ByteLevel", "add_prefix_space": true, "trim_offsets": true, "use_regex": true],
            "model": [
                "type": "BPE", "vocab": vocab, "merges": ["Ġ t"], "ignore_merges": false,
                "byte_fallback": false
            ]
        ]
    }

    static func data(_ object: [String: Any]) throws -> Data {
        try JSONSerialization.data(withJSONObject: object)
    }

    /// Loads a directory containing `files`, returning the error it throws.
    static func loadError(_ files: [String: Data]) throws -> TokenizerError {
        let directory = try TokenizerFixtures.temporaryDirectory(files: files)
        defer { try? FileManager.default.removeItem(at: directory) }
        return try #require(throws: TokenizerError.self) { try TokenizerLoader.load(directory: directory) }
    }

    /// Loads `tokenizer.json` built from the minimal one changed by `edit`, returning the error it throws.
    static func loadError(editing edit: (inout [String: Any]) -> Void) throws -> TokenizerError {
        var json = minimalTokenizerJSON()
        edit(&json)
        return try loadError(["tokenizer.json": try data(json)])
    }

    static func editModel(_ json: inout [String: Any], _ edit: (inout [String: Any]) -> Void) {
        var model = json["model"] as? [String: Any] ?? [:]
        edit(&model)
        json["model"] = model
    }

    // MARK: Loading

    @Test func minimalTokenizerLoadsAndEncodes() throws {
        let json = try Self.data(Self.minimalTokenizerJSON())
        let directory = try TokenizerFixtures.temporaryDirectory(files: ["tokenizer.json": json])
        defer { try? FileManager.default.removeItem(at: directory) }
        let tokenizer = try TokenizerLoader.load(directory: directory)
        #expect(try tokenizer.encode("a t<|endoftext|>") == [97, 256, 257])
        #expect(tokenizer.vocabularySize == 258)
        #expect(tokenizer.eosTokenID == 257)
        #expect(tokenizer.decode([97, 256, 257]) == "a t<|endoftext|>")
    }

    @Test(arguments: ["gpt2", "llama3", "qwen2", "smollm"])
    func loadsFixtureDirectories(key: String) throws {
        let tokenizer = try TokenizerLoader.load(directory: try TokenizerFixtures.directory(key))
        #expect(tokenizer is ByteLevelBPETokenizer)
        let golden = try #require(try TokenizerFixtures.golden("tokenization.json")[key]?.first)
        #expect(try tokenizer.encode(golden.text) == golden.ids)
    }

    @Test func fallsBackToVocabAndMerges() throws {
        let source = try TokenizerFixtures.directory("gpt2")
        var files: [String: Data] = [:]
        for name in ["vocab.json", "merges.txt", "tokenizer_config.json"] {
            files[name] = try Data(contentsOf: source.appendingPathComponent(name))
        }
        let directory = try TokenizerFixtures.temporaryDirectory(files: files)
        defer { try? FileManager.default.removeItem(at: directory) }
        let tokenizer = try TokenizerLoader.load(directory: directory)
        #expect(tokenizer.bosTokenID == 640)
        let golden = try #require(try TokenizerFixtures.golden("tokenization_vocab_merges.json")["gpt2"])
        for entry in golden {
            #expect(
                try tokenizer.encode(entry.text) == entry.ids,
                "vocab.json + merges.txt: \(String(reflecting: entry.text))")
        }
    }

    @Test func mergesTxtWithCRLFLineEndings() throws {
        let vocab = try Self.data(["a": 0, "b": 1, "ab": 2, "Ġ": 3])
        let tokenizer = try ByteLevelBPETokenizer(vocabJSON: vocab, merges: "#version: 0.2\r\na b\r\n\r\n")
        #expect(try tokenizer.encode("ab a") == [2, 3, 0])
        // GPT2Tokenizer's defaults: <|endoftext|> is BOS/EOS/UNK, added after the vocabulary.
        #expect(tokenizer.eosTokenID == 4)
        #expect(try tokenizer.encode("<|endoftext|>") == [4])
    }

    // MARK: Errors

    @Test func missingDirectory() throws {
        let path = "/nonexistent/tokenizer-dir"
        let error = try #require(throws: TokenizerError.self) {
            try TokenizerLoader.load(directory: URL(fileURLWithPath: path))
        }
        #expect(error.kind == .missingFile)
        #expect(error.description == "\(path): file not found (not a directory)")
    }

    @Test func directoryWithoutTokenizerFiles() throws {
        let error = try Self.loadError([:])
        #expect(error.kind == .missingFile)
        #expect(
            error.description.hasSuffix(
                "vocab.json: file not found (the directory has neither tokenizer.json nor vocab.json + merges.txt)"))
    }

    @Test func badJSON() throws {
        let error = try Self.loadError(["tokenizer.json": Data("{\n  \"model\": {\"type\": \"BPE\",\n  }".utf8)])
        #expect(error.kind == .invalidJSON)
        #expect(error.description.contains("tokenizer.json: invalid JSON at line 3, column 3"))
        #expect(error.description.contains("expected a string key in object"))
    }

    @Test func badConfigJSON() throws {
        let error = try Self.loadError([
            "tokenizer.json": try Self.data(Self.minimalTokenizerJSON()),
            "tokenizer_config.json": Data("{\"bos_token\": tru}".utf8)
        ])
        #expect(error.kind == .invalidJSON)
        #expect(error.description.contains("tokenizer_config.json: invalid JSON at line 1, column 15"))
    }

    @Test(arguments: ["WordPiece", "Unigram", "WordLevel"])
    func unsupportedModelType(type: String) throws {
        let error = try Self.loadError { json in Self.editModel(&json) { $0["type"] = type } }
        #expect(error.kind == .unsupported)
        #expect(error.description.hasPrefix("/"), "the message starts with the file's path: \(error)")
        #expect(
            error.description.hasSuffix(
                "/tokenizer.json: model type \"\(type)\": \(type) tokenizers are not supported; only BPE tokenizers "
                    + "are (byte-level, or SentencePiece-style with byte fallback)"))
    }

    @Test func untypedUnigramModel() throws {
        let error = try Self.loadError { json in json["model"] = ["unk_id": 0, "vocab": [["<unk>", 0.0], ["a", -1.5]]] }
        #expect(error.kind == .unsupported)
        #expect(
            error.description.contains(
                "/tokenizer.json: model (no \"type\", a list vocabulary): Unigram tokenizers are not supported"))
    }

    @Test func otherModelType() throws {
        let error = try Self.loadError { json in Self.editModel(&json) { $0["type"] = "Lookup" } }
        #expect(error.kind == .unsupported)
        #expect(error.description.contains("tokenizer.json: model type \"Lookup\" is not supported; only BPE"))
    }

    @Test func unknownPreTokenizerRegex() throws {
        let pattern = #"\s+|\w+"#
        let error = try Self.loadError { json in
            json["pre_tokenizer"] = [
                "type": "Sequence",
                "pretokenizers": [
                    ["type": "Split", "pattern": ["Regex": pattern], "behavior": "Isolated", "invert": false],
                    ["type": "ByteLevel", "add_prefix_space": false, "trim_offsets": true, "use_regex": false]
                ]
            ]
        }
        #expect(error.kind == .unknownPreTokenizerPattern)
        #expect(
            error.description.contains(
                "tokenizer.json: pre_tokenizer.pretokenizers[0]: unknown pre-tokenizer regex \"\(pattern)\""))
    }

    /// Without a ByteLevel pre-tokenizer the file is read as SentencePiece-style BPE, where a ByteLevel decoder
    /// makes no sense.
    @Test func byteLevelDecoderNeedsAByteLevelPreTokenizer() throws {
        let error = try Self.loadError { json in
            json["pre_tokenizer"] = ["type": "Metaspace", "replacement": "▁", "prepend_scheme": "first"]
        }
        #expect(error.kind == .unsupported)
        #expect(
            error.description.hasSuffix(
                "tokenizer.json: decoder: a ByteLevel decoder needs a ByteLevel pre-tokenizer, and there is none"))
    }

    @Test func byteFallbackIsUnsupportedWithByteLevel() throws {
        let error = try Self.loadError { json in Self.editModel(&json) { $0["byte_fallback"] = true } }
        #expect(error.kind == .unsupported)
        #expect(error.description.contains("model.byte_fallback is true with a ByteLevel pre-tokenizer"))
    }

    @Test(arguments: [0.1, 1.0])
    func dropoutIsUnsupported(dropout: Double) throws {
        let error = try Self.loadError { json in Self.editModel(&json) { $0["dropout"] = dropout } }
        #expect(error.kind == .unsupported)
        #expect(error.description.contains("model.dropout \(dropout == 1 ? "1" : "0.1") is not supported"))
    }

    @Test func mergePartNotInVocabulary() throws {
        let error = try Self.loadError { json in Self.editModel(&json) { $0["merges"] = [["Ġ", "t"], ["Ġt", "zz"]] } }
        #expect(error.kind == .invalidVocabulary)
        #expect(error.description.hasSuffix("tokenizer.json: merge 1 (\"Ġt zz\"): \"zz\" is not in the vocabulary"))
    }

    @Test func malformedMergeString() throws {
        let error = try Self.loadError { json in Self.editModel(&json) { $0["merges"] = ["Ġ t", "a b c"] } }
        #expect(error.kind == .invalidJSON)
        #expect(
            error.description.hasSuffix(
                "tokenizer.json: model.merges[1]: merge \"a b c\" is not two tokens separated by one space"))
    }

    @Test func nonIntegerVocabularyId() throws {
        let error = try Self.loadError { json in Self.editModel(&json) { $0["vocab"] = ["a": "one"] } }
        #expect(error.kind == .invalidJSON)
        #expect(error.description.contains("model.vocab: the id of token \"a\" is a string, not an integer"))
    }

    @Test func malformedMergesTxt() throws {
        let vocab = try Self.data(["a": 0, "b": 1, "ab": 2])
        let error = try Self.loadError(["vocab.json": vocab, "merges.txt": Data("#version: 0.2\na b\nab\n".utf8)])
        #expect(error.kind == .invalidJSON)
        #expect(error.description.hasSuffix("merges.txt: line 3: \"ab\" is not two tokens separated by one space"))
    }

    @Test func mergesTxtPartNotInVocabulary() throws {
        let vocab = try Self.data(["a": 0, "b": 1, "ab": 2])
        let error = try Self.loadError(["vocab.json": vocab, "merges.txt": Data("#version: 0.2\na b\nab c\n".utf8)])
        #expect(error.kind == .invalidVocabulary)
        #expect(error.description.hasSuffix("merges.txt: merge 1 (\"ab c\"): \"c\" is not in the vocabulary"))
    }
}
