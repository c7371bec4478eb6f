import Foundation
import ModelFormats
import TestSupport
import Testing
import Tokenizers

@Suite("SentencePiece (GGUF) tokenizer")
struct SentencePieceTokenizerTests {
    /// A small vocabulary: control 0-2, user-defined "\n\n" and "  ", bytes <0x00>..<0xFF>, then normal pieces
    /// whose scores make "▁a" + "b" merge before "a" + "b".
    static func small(addSpacePrefix: Bool = false) throws -> SentencePieceTokenizer {
        var tokens = ["<pad>", "<eos>", "<bos>", "\n\n", "  "]
        var types: [Int32] = [3, 3, 3, 4, 4]
        tokens += (0..<256).map { String(format: "<0x%02X>", $0) }
        types += Array(repeating: 6, count: 256)
        let normal = ["▁", "a", "b", "▁a", "ab", "▁ab", "c"]
        tokens += normal
        types += Array(repeating: 1, count: normal.count)
        var scores = [Float](repeating: -1000, count: tokens.count)
        for (i, piece) in normal.enumerated() { scores[261 + i] = ["▁a": -1, "▁ab": -2, "ab": -3][piece] ?? -10 }
        return try SentencePieceTokenizer(tokens: tokens, scores: scores, types: types, bosTokenID: 2, eosTokenID: 1,
                                          addsBOS: true, addSpacePrefix: addSpacePrefix)
    }

    @Test("merges by score, splits specials out, falls back to bytes, and decodes back")
    func smallVocabulary() throws {
        let t = try Self.small()
        // "ab ab": "ab" (score -3), then "▁a" (-1) + "b" → "▁ab" (-2).
        #expect(try t.encode("ab ab") == [2, 265, 266])
        // A user-defined run and a control token in text are whole tokens; "é" is not a piece: two byte tokens.
        #expect(try t.encode("a\n\n<eos>é") == [2, 262, 3, 1, 5 + 0xC3, 5 + 0xA9])
        #expect(t.decode([2, 265, 266, 3, 5 + 0xC3, 5 + 0xA9]) == "<bos>ab ab\n\né")
        #expect(try t.encode("") == [2])
        #expect(t.displayString(for: 266) == "␣ab")
        #expect(t.displayString(for: 999_999) == "<unk id 999999>")
        // With a space prefix (Llama 2 style) the first fragment gets "▁".
        #expect(try Self.small(addSpacePrefix: true).encode("ab") == [2, 266])
    }

    @Test("mismatched vocabulary arrays are an error")
    func badVocabulary() {
        #expect(throws: TokenizerError.self) {
            try SentencePieceTokenizer(tokens: ["a", "b"], scores: [0], types: [1, 1], bosTokenID: nil,
                                       eosTokenID: nil, addsBOS: false, addSpacePrefix: false)
        }
        #expect(throws: TokenizerError.self) {
            try SentencePieceTokenizer(tokens: ["a"], scores: [0], types: [1], bosTokenID: 5, eosTokenID: nil,
                                       addsBOS: true, addSpacePrefix: false)
        }
    }

    struct Golden: Decodable {
        struct Entry: Decodable { let text: String; let ids: [Int] }
        let prompts: [Entry]
        let tokenization: [Entry]
    }

    @Test("the real Gemma 3 vocabulary gives transformers' ids on every golden string and prompt")
    func realGemma() throws {
        let url = Fixtures.realModel("gemma-3-270m-q4_k_m.gguf")
        try #require(FileManager.default.fileExists(atPath: url.path),
                     "\(url.path) is missing: run scripts/fetch-models (scripts/test does)")
        let tokenizer = try TokenizerLoader.load(url)
        let golden = try JSONDecoder().decode(Golden.self, from: Data(contentsOf: Fixtures.golden("gemma-3-270m.json")))
        #expect(golden.tokenization.count >= 20)
        for entry in golden.tokenization + golden.prompts {
            #expect(try tokenizer.encode(entry.text) == entry.ids, "text \(entry.text.debugDescription)")
        }
        #expect(tokenizer.vocabularySize == 262_144 && tokenizer.bosTokenID == 2 && tokenizer.eosTokenID == 1)
        #expect(tokenizer.decode(try tokenizer.encode("Hello 🦙 world")) == "<bos>Hello 🦙 world")
    }

    @Test("a GGUF without a SentencePiece vocabulary is a clear error")
    func notSentencePiece() throws {
        do {
            _ = try TokenizerLoader.load(Fixtures.root.appendingPathComponent("gguf/quants.gguf"))
            Issue.record("expected an error")
        } catch {
            #expect("\(error)".contains("tokenizer model \"(none)\" in GGUF metadata is not supported yet"), "\(error)")
        }
    }
}
