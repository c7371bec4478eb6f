import Foundation
import Testing
import Tokenizers

/// SentencePiece-style tokenizer.json files with malformed or unsupported fields.
@Suite struct SentencePieceLoadingErrorTests {
    /// A minimal valid SentencePiece-style tokenizer.json (the Mistral layout), to be altered by each test.
    static func minimalJSON() -> [String: Any] {
        var vocab: [String: Int] = ["<unk>": 0, "<s>": 1, "</s>": 2]
        for byte in 0..<256 {
            vocab[String(format: "<0x%02X>", byte)] = 3 + byte
        }
        vocab["▁"] = 259
        vocab["a"] = 260
        vocab["▁a"] = 261
        func special(_ id: Int, _ content: String) -> [String: Any] {
            [
                "id": id, "content": content, "single_word": false, "lstrip": false, "rstrip": false,
                "normalized": false, "special": true
            ]
        }
        let replace: [String: Any] = ["type": "Replace", "pattern": ["String": "▁"], "content": " "]
        return [
            "version": "1.0",
            "added_tokens": [special(0, "<unk>"), special(1, "<s>"), special(2, "</s>")],
            "normalizer": NSNull(),
            "pre_tokenizer": ["type": "Metaspace", "replacement": "▁", "prepend_scheme": "first", "split": false],
            "post_processor": NSNull(),
            "decoder": [
                "type": "Sequence",
                "decoders": [
                    replace, ["type": "ByteFallback"], ["type": "Fuse"],
                    ["type": "Strip", "content": " ", "start": 1, "stop": 0]
                ]
            ],
            "model": [
                "type": "BPE", "dropout": NSNull(), "unk_token": "<unk>", "fuse_unk": true, "byte_fallback": true,
                "vocab": vocab, "merges": [["▁", "a"]]
            ]
        ]
    }

    static func loadError(editing edit: (inout [String: Any]) -> Void) throws -> TokenizerError {
        var json = minimalJSON()
        edit(&json)
        return try TokenizerLoaderTests.loadError(["tokenizer.json": try TokenizerLoaderTests.data(json)])
    }

    static func editModel(_ json: inout [String: Any], _ edit: (inout [String: Any]) -> Void) {
        TokenizerLoaderTests.editModel(&json, edit)
    }

    static func expect(
        _ error: TokenizerError, _ kind: TokenizerError.Kind, _ message: String,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        #expect(error.kind == kind, "\(error)", sourceLocation: sourceLocation)
        #expect(
            error.description.hasSuffix("tokenizer.json: " + message), "\(error)", sourceLocation: sourceLocation)
    }

    @Test func minimalTokenizerLoadsEncodesAndDecodes() throws {
        let tokenizer = try SentencePieceBPETokenizer(tokenizerJSON: try TokenizerLoaderTests.data(Self.minimalJSON()))
        #expect(try tokenizer.encode("a ab") == [261, 261, 101]) // "b" falls back to <0x62>
        #expect(try tokenizer.encode("<s>a") == [1, 260]) // no prefix after a special token ("first")
        #expect(tokenizer.decode([261, 261, 101]) == "a ab")
        #expect(tokenizer.vocabularySize == 262)
        #expect(tokenizer.bosTokenID == 1 && tokenizer.eosTokenID == 2 && tokenizer.unkTokenID == 0)
        for dropout: Any in [NSNull(), 0] {
            var json = Self.minimalJSON()
            Self.editModel(&json) { $0["dropout"] = dropout }
            #expect(throws: Never.self) {
                try SentencePieceBPETokenizer(tokenizerJSON: try TokenizerLoaderTests.data(json))
            }
        }
    }

    @Test func theOtherKindOfBPEIsRefusedByEachType() throws {
        let spData = try TokenizerLoaderTests.data(Self.minimalJSON())
        let spError = try #require(throws: TokenizerError.self) { try ByteLevelBPETokenizer(tokenizerJSON: spData) }
        Self.expect(
            spError, .unsupported,
            "this is a SentencePiece-style tokenizer (no ByteLevel pre-tokenizer), not byte-level BPE: "
                + "load it with TokenizerLoader or SentencePieceBPETokenizer")
        let byteLevelData = try TokenizerLoaderTests.data(TokenizerLoaderTests.minimalTokenizerJSON())
        let byteLevelError = try #require(throws: TokenizerError.self) {
            try SentencePieceBPETokenizer(tokenizerJSON: byteLevelData)
        }
        Self.expect(
            byteLevelError, .unsupported,
            "this is a byte-level BPE tokenizer (ByteLevel pre-tokenizer), not SentencePiece-style: "
                + "load it with TokenizerLoader or ByteLevelBPETokenizer")
    }

    // MARK: Model

    @Test func unknownTokenMissingFromTheVocabulary() throws {
        let error = try Self.loadError { json in Self.editModel(&json) { $0["unk_token"] = "<nope>" } }
        Self.expect(error, .invalidVocabulary, "model.unk_token \"<nope>\" is not in the vocabulary")
    }

    @Test func unknownTokenOfTheWrongType() throws {
        let error = try Self.loadError { json in Self.editModel(&json) { $0["unk_token"] = 5 } }
        Self.expect(error, .invalidJSON, "model.unk_token: expected a string or null, found 5")
    }

    @Test func byteFallbackOfTheWrongType() throws {
        let error = try Self.loadError { json in Self.editModel(&json) { $0["byte_fallback"] = "yes" } }
        Self.expect(error, .invalidJSON, "model.byte_fallback: expected true or false, found \"yes\"")
    }

    @Test func dropoutIsRefused() throws {
        let error = try Self.loadError { json in Self.editModel(&json) { $0["dropout"] = 0.1 } }
        Self.expect(error, .unsupported, "model.dropout 0.1 is not supported (only null: encoding would be random)")
    }

    @Test func mergeOfPiecesNotInTheVocabulary() throws {
        let error = try Self.loadError { json in Self.editModel(&json) { $0["merges"] = ["▁ a", "a b"] } }
        Self.expect(error, .invalidVocabulary, "merge 1 (\"a b\"): \"b\" is not in the vocabulary")
    }

    // MARK: Normalizer

    @Test func replaceWithARegexIsUnsupported() throws {
        let error = try Self.loadError { json in
            json["normalizer"] = ["type": "Replace", "pattern": ["Regex": " {2,}"], "content": "▁"]
        }
        Self.expect(
            error, .unsupported,
            "normalizer: Replace with the regex \" {2,}\" is not supported (only a {\"String\": …} pattern)")
    }

    @Test func replaceWithAnEmptyPattern() throws {
        let error = try Self.loadError { json in
            json["normalizer"] = [
                "type": "Sequence",
                "normalizers": [
                    ["type": "Prepend", "prepend": "▁"], ["type": "Replace", "pattern": ["String": ""], "content": "▁"]
                ]
            ]
        }
        Self.expect(
            error, .invalidJSON,
            "normalizer.normalizers[1].pattern: expected {\"String\": \"…\"} with a non-empty string")
    }

    @Test func prependWithoutItsString() throws {
        let error = try Self.loadError { json in json["normalizer"] = ["type": "Prepend", "content": "▁"] }
        Self.expect(error, .invalidJSON, "normalizer: Prepend without a \"prepend\" string")
    }

    @Test func unsupportedNormalizer() throws {
        let error = try Self.loadError { json in json["normalizer"] = ["type": "Lowercase"] }
        Self.expect(
            error, .unsupported,
            "normalizer: normalizer type \"Lowercase\" is not supported "
                + "(supported: NFC, NFD, NFKC, NFKD, Prepend, Replace, Sequence)")
    }

    // MARK: Pre-tokenizer

    @Test func metaspaceWithAnUnknownPrependScheme() throws {
        let error = try Self.loadError { json in
            json["pre_tokenizer"] = ["type": "Metaspace", "replacement": "▁", "prepend_scheme": "sometimes"]
        }
        Self.expect(
            error, .invalidJSON,
            "pre_tokenizer.prepend_scheme: expected \"always\", \"first\" or \"never\", found \"sometimes\"")
    }

    @Test func metaspaceWithALongReplacement() throws {
        let error = try Self.loadError { json in
            json["pre_tokenizer"] = ["type": "Metaspace", "replacement": "__", "prepend_scheme": "first"]
        }
        Self.expect(error, .invalidJSON, "pre_tokenizer.replacement: expected a string of one character, found \"__\"")
    }

    @Test func metaspaceWithANonBooleanSplit() throws {
        let error = try Self.loadError { json in
            json["pre_tokenizer"] = ["type": "Metaspace", "replacement": "▁", "split": "no"]
        }
        Self.expect(error, .invalidJSON, "pre_tokenizer.split: expected true or false, found \"no\"")
    }

    @Test func splitErrors() throws {
        func split(_ fields: [String: Any]) -> (inout [String: Any]) -> Void {
            { json in
                json["pre_tokenizer"] = [
                    "type": "Sequence", "pretokenizers": [fields.merging(["type": "Split"]) { $1 }]
                ]
            }
        }
        let path = "pre_tokenizer.pretokenizers[0]"
        Self.expect(
            try Self.loadError(editing: split(["pattern": ["String": " "], "behavior": "Sideways"])), .invalidJSON,
            "\(path): unknown Split behavior \"Sideways\" (expected one of Removed, Isolated, MergedWithPrevious, "
                + "MergedWithNext, Contiguous)")
        Self.expect(
            try Self.loadError(editing: split(["pattern": ["String": " "], "invert": true])), .unsupported,
            "\(path): Split with invert: true is not supported")
        Self.expect(
            try Self.loadError(editing: split(["pattern": ["String": ""], "behavior": "Removed"])), .invalidJSON,
            "\(path).pattern: the String pattern is empty")
        Self.expect(
            try Self.loadError(editing: split(["pattern": ["Regex": "\\s+"], "behavior": "MergedWithPrevious"])),
            .unsupported,
            "\(path): Split on a regex with behavior \"MergedWithPrevious\" is not supported (only \"Isolated\")")
        Self.expect(
            try Self.loadError(editing: split(["pattern": " "])), .invalidJSON,
            "\(path).pattern: expected {\"String\": \"…\"} or {\"Regex\": \"…\"}")
    }

    @Test func unsupportedPreTokenizer() throws {
        let error = try Self.loadError { json in json["pre_tokenizer"] = ["type": "Whitespace"] }
        Self.expect(
            error, .unsupported,
            "pre_tokenizer: pre-tokenizer type \"Whitespace\" is not supported "
                + "(supported: ByteLevel, Metaspace, Split, Digits, Sequence)")
    }

    // MARK: Decoder

    @Test func unsupportedDecoder() throws {
        let error = try Self.loadError { json in json["decoder"] = ["type": "WordPiece", "prefix": "##"] }
        Self.expect(
            error, .unsupported,
            "decoder: decoder type \"WordPiece\" is not supported "
                + "(supported: Replace, ByteFallback, Fuse, Strip, Metaspace, Sequence)")
    }

    @Test func stripWithANegativeCount() throws {
        let error = try Self.loadError { json in
            json["decoder"] = [
                "type": "Sequence", "decoders": [["type": "Strip", "content": " ", "start": -1, "stop": 0]]
            ]
        }
        Self.expect(error, .invalidJSON, "decoder.decoders[0].start: expected a non-negative integer, found -1")
    }

    @Test func stripWithoutContent() throws {
        let error = try Self.loadError { json in json["decoder"] = ["type": "Strip", "start": 1, "stop": 0] }
        Self.expect(error, .invalidJSON, "decoder: missing \"content\"")
    }

    @Test func decoderSequenceWithoutItsArray() throws {
        let error = try Self.loadError { json in json["decoder"] = ["type": "Sequence"] }
        Self.expect(error, .invalidJSON, "decoder: Sequence without a \"decoders\" array")
    }
}
