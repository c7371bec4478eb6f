import Foundation
import Testing
import Tokenizers

/// BPE merging, added tokens, decoding and display on small hand-built tokenizers and the fixtures.
@Suite struct ByteLevelBPETokenizerTests {
    /// The 256 single-byte tokens in byte order, so that the id of a byte token is the byte value.
    static let byteVocabulary: [String] = (0..<256).map { String(ByteEncoder.scalarForByte[$0]) }

    /// A tokenizer whose vocabulary is the byte tokens followed by `extra` (ids 256, 257, …).
    static func make(
        extra: [String] = [], merges: [(String, String)] = [], kind: PreTokenizerKind = .gpt2,
        addedTokens: [AddedToken] = [], ignoreMerges: Bool? = nil
    ) throws -> ByteLevelBPETokenizer {
        try ByteLevelBPETokenizer(
            vocabulary: byteVocabulary + extra, merges: merges, kind: kind,
            addedTokens: addedTokens, ignoreMerges: ignoreMerges)
    }

    static func bytes(_ text: String) -> [Int] {
        text.utf8.map { Int($0) }
    }

    // MARK: Merging

    @Test func lowerRankMergesFirst() throws {
        let bcFirst = try Self.make(extra: ["bc", "ab"], merges: [("b", "c"), ("a", "b")])
        #expect(try bcFirst.encode("abc") == [97, 256])
        let abFirst = try Self.make(extra: ["bc", "ab"], merges: [("a", "b"), ("b", "c")])
        #expect(try abFirst.encode("abc") == [257, 99])
    }

    @Test func leftmostPairWinsAmongEqualRanks() throws {
        let tokenizer = try Self.make(extra: ["aa"], merges: [("a", "a")])
        #expect(try tokenizer.encode("aaa") == [256, 97])
        #expect(try tokenizer.encode("aaaa") == [256, 256])
        #expect(try tokenizer.encode("aaaaa") == [256, 256, 97])
    }

    @Test func mergesChainAcrossTheByteMapping() throws {
        let tokenizer = try Self.make(extra: ["Ġt", "he", "Ġthe"], merges: [("Ġ", "t"), ("h", "e"), ("Ġt", "he")])
        #expect(try tokenizer.encode(" the") == [258])
        #expect(try tokenizer.encode("the the") == [116, 257, 258])
        #expect(tokenizer.decode([116, 257, 258]) == "the the")
    }

    @Test func withoutMergesIdsAreTheUTF8Bytes() throws {
        let tokenizer = try Self.make()
        let text = "naïve €5 😀\n\t"
        #expect(try tokenizer.encode(text) == Self.bytes(text))
        #expect(tokenizer.decode(Self.bytes(text)) == text)
    }

    @Test func ignoreMergesEmitsWholeWordsFoundInTheVocabulary() throws {
        let llama = try Self.make(extra: ["abc", "Ġabc"], kind: .llama3)
        #expect(try llama.encode("abc abc") == [256, 257])
        let withMerges = try Self.make(extra: ["abc", "Ġabc"], kind: .llama3, ignoreMerges: false)
        #expect(try withMerges.encode("abc abc") == Self.bytes("abc abc"))
    }

    /// The old (`"a b"`) and new (`["a", "b"]`) merge forms of tokenizer.json give the same tokenizer.
    @Test func bothMergeFormsGiveTheSameResult() throws {
        let directory = try TokenizerFixtures.directory("gpt2")
        let data = try Data(contentsOf: directory.appendingPathComponent("tokenizer.json"))
        var json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        var model = try #require(json["model"] as? [String: Any])
        let oldForm = try #require(model["merges"] as? [String])
        #expect(oldForm.count > 100)
        model["merges"] = oldForm.map { $0.split(separator: " ").map(String.init) }
        json["model"] = model
        let newFormData = try JSONSerialization.data(withJSONObject: json)
        let oldTokenizer = try ByteLevelBPETokenizer(tokenizerJSON: data)
        let newTokenizer = try ByteLevelBPETokenizer(tokenizerJSON: newFormData)
        let golden = try #require(try TokenizerFixtures.golden("tokenization.json")["gpt2"])
        for entry in golden {
            let ids = try newTokenizer.encode(entry.text)
            #expect(ids == entry.ids, "new-form merges: \(String(reflecting: entry.text))")
            #expect(try oldTokenizer.encode(entry.text) == ids, "old-form merges: \(String(reflecting: entry.text))")
        }
    }

    // MARK: Added tokens

    static let fill = AddedToken(id: 300, content: "<|fill|>", lstrip: true, special: false)
    static let sep = AddedToken(id: 301, content: "<|sep|>", rstrip: true, special: false)
    static let word = AddedToken(id: 302, content: "<|word|>", singleWord: true, special: false)
    static let longer = AddedToken(id: 303, content: "<|word|>!", special: false)

    static func withAddedTokens(_ tokens: [AddedToken] = [fill, sep, word], kind: PreTokenizerKind = .gpt2) throws
        -> ByteLevelBPETokenizer
    {
        try make(extra: (256..<304).map { "<unused\($0)>" }, kind: kind, addedTokens: tokens)
    }

    @Test func lstripAbsorbsWhitespaceBeforeTheToken() throws {
        let tokenizer = try Self.withAddedTokens()
        #expect(try tokenizer.encode("a  <|fill|>  b") == [97, 300, 32, 32, 98])
    }

    @Test func rstripAbsorbsWhitespaceAfterTheToken() throws {
        let tokenizer = try Self.withAddedTokens()
        #expect(try tokenizer.encode("a  <|sep|>  b") == [97, 32, 32, 301, 98])
        #expect(try tokenizer.encode("<|sep|>\n\t x") == [301, 120])
    }

    @Test func singleWordTokensNeedNonWordNeighbours() throws {
        let tokenizer = try Self.withAddedTokens()
        #expect(try tokenizer.encode(" <|word|> ") == [32, 302, 32])
        #expect(try tokenizer.encode("-<|word|>") == [45, 302])
        for text in ["x<|word|>", "<|word|>x", "_<|word|>", "é<|word|>", "<|word|>7", "<|word|>\u{301}"] {
            #expect(
                try tokenizer.encode(text) == Self.bytes(text),
                "\(String(reflecting: text)) should not match <|word|>")
        }
        // A letter newer than HF's Unicode tables is not a word character there.
        #expect(try tokenizer.encode("\u{88F}<|word|>") == Self.bytes("\u{88F}") + [302])
    }

    @Test func longestAddedTokenWinsAtTheSamePosition() throws {
        let tokenizer = try Self.withAddedTokens([Self.word, Self.longer])
        #expect(try tokenizer.encode(" <|word|>!x") == [32, 303, 120])
        #expect(try tokenizer.encode("<|word|><|word|>") == [302, 302])
    }

    @Test func normalizedAddedTokensMatchAfterNormalization() throws {
        let composed = AddedToken(id: 300, content: "\u{E9}", normalized: true, special: false)
        let tokenizer = try Self.withAddedTokens([composed], kind: .qwen2)
        #expect(try tokenizer.encode("e\u{301}") == [300])
        let raw = AddedToken(id: 300, content: "\u{E9}", normalized: false, special: false)
        let rawTokenizer = try Self.withAddedTokens([raw], kind: .qwen2)
        #expect(try rawTokenizer.encode("e\u{301}") == Self.bytes("\u{E9}"))
        #expect(try rawTokenizer.encode("\u{E9}") == [300])
    }

    // MARK: Decoding and display

    @Test func decodeReplacesInvalidUTF8LikeHF() throws {
        let tokenizer = try Self.make()
        #expect(tokenizer.decode([0xE2, 0x82, 0xAC]) == "€")
        #expect(tokenizer.decode([0xE2, 0x82, 65]) == "\u{FFFD}A")
        #expect(tokenizer.decode([0xF0, 0x80, 0x80, 65]) == "\u{FFFD}\u{FFFD}\u{FFFD}A")
        #expect(tokenizer.decode([0xED, 0xA0, 0x80]) == "\u{FFFD}\u{FFFD}\u{FFFD}")
        #expect(tokenizer.decode([]) == "")
    }

    @Test func decodeMarksIdsOutsideTheVocabulary() throws {
        let tokenizer = try Self.make()
        #expect(tokenizer.decode([104, 123_456, 105]) == "h<unk id 123456>i")
        #expect(tokenizer.decode([-1]) == "<unk id -1>")
    }

    @Test func decodeAddedTokensAsHFsByteLevelDecoder() throws {
        let spaced = AddedToken(id: 301, content: " tab\t", special: false)
        let latin = AddedToken(id: 302, content: "\u{E9}", special: false)
        let tokenizer = try Self.withAddedTokens([Self.fill, spaced, latin])
        #expect(tokenizer.decode([104, 300, 105]) == "h<|fill|>i")
        // Scalars outside the byte alphabet: the content's own UTF-8.
        #expect(tokenizer.decode([301]) == " tab\t")
        // "é" is the byte-level symbol of byte 0xE9, so HF decodes it to that lone byte.
        #expect(tokenizer.decode([302]) == "\u{FFFD}")
    }

    /// HF keeps a `normalized: true` added token as its normalized content and decodes that (checked with
    /// tokenizers 0.23): under NFC "e\u{301}x" is "éx", and "é" is the byte-level symbol of the lone byte 0xE9.
    @Test func normalizedAddedTokensDecodeTheirNormalizedContent() throws {
        let tokens = [
            AddedToken(id: 256, content: "e\u{301}x", normalized: true, special: false),
            AddedToken(id: 257, content: "\u{3A9}\u{301}", normalized: true, special: false)
        ]
        let tokenizer = try Self.make(extra: ["<a>", "<b>"], kind: .qwen2, addedTokens: tokens)
        #expect(tokenizer.decode([256, 257]) == "\u{FFFD}x\u{38F}")
        #expect(try tokenizer.encode("\u{E9}x") == [256])
        #expect(tokenizer.displayString(for: 256) == "e\u{301}x")
    }

    @Test func displayStringShowsWhitespaceAndStrayBytes() throws {
        let euro = ByteEncoder.encode([0xE2, 0x82, 0xAC])
        let partialEuro = ByteEncoder.encode([0xE2, 0x82])
        let nextLine = ByteEncoder.encode([0xC2, 0x85])
        let tokenizer = try Self.make(
            extra: ["Ġthe", euro, partialEuro, nextLine, "ĠĠĊ"],
            addedTokens: [AddedToken(id: 300, content: " tab\t", special: false)])
        #expect(tokenizer.displayString(for: 32) == "␣")
        #expect(tokenizer.displayString(for: 10) == "↵")
        #expect(tokenizer.displayString(for: 9) == "⇥")
        #expect(tokenizer.displayString(for: 13) == "␍")
        #expect(tokenizer.displayString(for: 0) == "<U+0000>")
        #expect(tokenizer.displayString(for: 65) == "A")
        #expect(tokenizer.displayString(for: 0xE2) == "<0xE2>")
        #expect(tokenizer.displayString(for: 256) == "␣the")
        #expect(tokenizer.displayString(for: 257) == "€")
        #expect(tokenizer.displayString(for: 258) == "<0xE2><0x82>")
        #expect(tokenizer.displayString(for: 259) == "<U+0085>")
        #expect(tokenizer.displayString(for: 260) == "␣␣↵")
        #expect(tokenizer.displayString(for: 300) == "␣tab⇥")
        #expect(tokenizer.displayString(for: 100_000) == "<unk id 100000>")
        #expect(tokenizer.displayString(for: -5) == "<unk id -5>")
    }

    // MARK: Fixtures

    @Test func fixtureSpecialTokensAndSizes() throws {
        let gpt2 = try TokenizerLoader.load(directory: try TokenizerFixtures.directory("gpt2"))
        #expect(gpt2.vocabularySize == 641)
        #expect(gpt2.bosTokenID == 640)
        #expect(gpt2.eosTokenID == 640)
        #expect(gpt2.unkTokenID == 640 && gpt2.padTokenID == nil)
        #expect(try gpt2.encode("") == [])
        #expect(gpt2.displayString(for: 640) == "<|endoftext|>")

        let llama = try TokenizerLoader.load(directory: try TokenizerFixtures.directory("llama3"))
        #expect(llama.vocabularySize == 644)
        #expect(llama.bosTokenID == 640)
        #expect(llama.eosTokenID == 641)
        #expect(llama.unkTokenID == nil && llama.padTokenID == nil)
        #expect(try llama.encode("") == [640])

        let qwen = try TokenizerLoader.load(directory: try TokenizerFixtures.directory("qwen2"))
        #expect(qwen.vocabularySize == 643)
        #expect(qwen.bosTokenID == nil)
        #expect(qwen.eosTokenID == 640)
        #expect(qwen.unkTokenID == 640 && qwen.padTokenID == 640)

        let smollm = try TokenizerLoader.load(directory: try TokenizerFixtures.directory("smollm"))
        #expect(smollm.vocabularySize == 640)
        #expect(smollm.bosTokenID == 0)
        #expect(smollm.eosTokenID == 0)
        #expect(smollm.unkTokenID == 0 && smollm.padTokenID == nil)
    }

    @Test func tokenIDLookup() throws {
        let data = try Data(
            contentsOf: try TokenizerFixtures.directory("llama3").appendingPathComponent("tokenizer.json"))
        let llama = try ByteLevelBPETokenizer(tokenizerJSON: data)
        #expect(llama.tokenID(for: "<|end_of_text|>") == 641)
        #expect(llama.tokenID(for: "Ġ") == 220)
        #expect(llama.tokenID(for: "no such token") == nil)
        #expect(llama.preTokenize("it's 2024") == ["it", "'s", " ", "202", "4"])
    }

    /// A long text (all golden strings, four times) encodes and decodes back to itself.
    @Test func longTextRoundTrips() throws {
        let tokenizer = try TokenizerLoader.load(directory: try TokenizerFixtures.directory("gpt2"))
        let golden = try #require(try TokenizerFixtures.golden("tokenization.json")["gpt2"])
        let text = String(repeating: golden.map(\.text).joined(separator: "\n"), count: 4)
        let ids = try tokenizer.encode(text)
        #expect(ids.count > 2_000)
        #expect(tokenizer.decode(ids) == text)
    }

    /// The in-memory initializer (as a GGUF loader uses it) reproduces each fixture's golden ids.
    @Test(arguments: [("gpt2", PreTokenizerKind.gpt2), ("llama3", .llama3), ("qwen2", .qwen2), ("smollm", .smollm)])
    func inMemoryConstructionMatchesGolden(key: String, kind: PreTokenizerKind) throws {
        let data = try Data(contentsOf: try TokenizerFixtures.directory(key).appendingPathComponent("tokenizer.json"))
        let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let model = try #require(json["model"] as? [String: Any])
        let vocab = try #require(model["vocab"] as? [String: Int])
        let added = try #require(json["added_tokens"] as? [[String: Any]])
        var addedTokens: [AddedToken] = []
        for entry in added {
            addedTokens.append(
                AddedToken(
                    id: try #require(entry["id"] as? Int), content: try #require(entry["content"] as? String),
                    singleWord: entry["single_word"] as? Bool ?? false, lstrip: entry["lstrip"] as? Bool ?? false,
                    rstrip: entry["rstrip"] as? Bool ?? false, normalized: entry["normalized"] as? Bool ?? false,
                    special: entry["special"] as? Bool ?? true))
        }
        let size = max(vocab.values.max() ?? 0, addedTokens.map(\.id).max() ?? 0) + 1
        var vocabulary = [String](repeating: "", count: size)
        for (token, id) in vocab { vocabulary[id] = token }
        for token in addedTokens { vocabulary[token.id] = token.content }
        #expect(!vocabulary.contains(""), "\(key): the fixture vocabulary has holes")
        let rawMerges = try #require(model["merges"] as? [Any])
        let merges: [(String, String)] = try rawMerges.map { merge in
            let parts = (merge as? [String]) ?? (merge as? String)?.split(separator: " ").map(String.init) ?? []
            try #require(parts.count == 2)
            return (parts[0], parts[1])
        }
        let bos = key == "llama3" ? 640 : nil
        let tokenizer = try ByteLevelBPETokenizer(
            vocabulary: vocabulary, merges: merges, kind: kind,
            addedTokens: addedTokens, bosTokenID: bos, addsBOS: bos != nil)
        let golden = try #require(try TokenizerFixtures.golden("tokenization.json")[key])
        for entry in golden {
            #expect(
                try tokenizer.encode(entry.text) == entry.ids,
                "\(key) in memory: \(String(reflecting: entry.text))")
        }
    }

    // MARK: In-memory construction errors

    @Test func mergeWithUnknownPartIsRejected() throws {
        let error = try #require(throws: TokenizerError.self) {
            try Self.make(extra: ["ab"], merges: [("a", "b"), ("x", "zz")])
        }
        #expect(error.kind == .invalidVocabulary)
        #expect(error.description.contains("merge 1"))
        #expect(error.description.contains("\"zz\" is not in the vocabulary"))
    }

    @Test func mergeWhoseResultIsMissingIsRejected() throws {
        let error = try #require(throws: TokenizerError.self) {
            try Self.make(merges: [("a", "b")])
        }
        #expect(error.kind == .invalidVocabulary)
        #expect(error.description.contains("merged token \"ab\" is not in the vocabulary"))
    }

    @Test func specialIdsOutsideTheVocabularyAreRejected() throws {
        let error = try #require(throws: TokenizerError.self) {
            try ByteLevelBPETokenizer(
                vocabulary: Self.byteVocabulary, merges: [], kind: .gpt2,
                bosTokenID: 9_999, addsBOS: true)
        }
        #expect(error.kind == .idOutOfRange)
        #expect(error.description.contains("9999"))
        let missingBOS = try #require(throws: TokenizerError.self) {
            try ByteLevelBPETokenizer(vocabulary: Self.byteVocabulary, merges: [], kind: .gpt2, addsBOS: true)
        }
        #expect(missingBOS.description.contains("bosTokenID is nil"))
    }

    @Test func addsBOSPutsTheBOSTokenFirst() throws {
        let tokenizer = try ByteLevelBPETokenizer(
            vocabulary: Self.byteVocabulary + ["<s>"], merges: [], kind: .llama3,
            addedTokens: [AddedToken(id: 256, content: "<s>")],
            bosTokenID: 256, eosTokenID: 256, addsBOS: true)
        #expect(try tokenizer.encode("hi") == [256, 104, 105])
        #expect(try tokenizer.encode("") == [256])
        #expect(tokenizer.decode([256, 104]) == "<s>h")
    }
}
