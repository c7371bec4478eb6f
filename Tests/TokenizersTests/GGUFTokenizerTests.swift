import Foundation
import ModelFormats
import TestSupport
import Testing
import Tokenizers

@Suite("Tokenizers from GGUF metadata")
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
        return try SentencePieceTokenizer(
            tokens: tokens, scores: scores, types: types, bosTokenID: 2, eosTokenID: 1,
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
            try SentencePieceTokenizer(
                tokens: ["a", "b"], scores: [0], types: [1, 1], bosTokenID: nil,
                eosTokenID: nil, addsBOS: false, addSpacePrefix: false)
        }
        #expect(throws: TokenizerError.self) {
            try SentencePieceTokenizer(
                tokens: ["a"], scores: [0], types: [1], bosTokenID: 5, eosTokenID: nil,
                addsBOS: true, addSpacePrefix: false)
        }
    }

    struct Golden: Decodable {
        struct Entry: Decodable {
            let text: String
            let ids: [Int]
        }
        let prompts: [Entry]
        let tokenization: [Entry]
    }

    /// Gemma 3 is SentencePiece; SmolLM2 is byte-level BPE with the smollm pre-tokenizer.
    @Test(
        "the real GGUF vocabularies give transformers' ids on every golden string and prompt",
        arguments: [
            // pad and unk as transformers' tokenizers name them: Gemma <pad> 0, <unk> 3; SmolLM2 <|im_end|> 2,
            // <|endoftext|> 0.
            ("gemma-3-270m-q4_k_m.gguf", "gemma-3-270m.json", 262_144, [2, 1, 0, 3], "<bos>Hello 🦙 world"),
            ("SmolLM2-135M-Instruct.Q4_1.gguf", "smollm2-135m.json", 49_152, [1, 2, 2, 0], "Hello 🦙 world"),
            // Qwen2.5: <|endoftext|> as BOS (never added) and pad, <|im_end|> as EOS, no unk.
            (
                "qwen2.5-coder-0.5b-instruct.gguf", "qwen2.5-coder-0.5b.json", 151_936,
                [151_643, 151_645, 151_643, nil],
                "Hello 🦙 world"
            ),
            (
                "qwen2.5-coder-1.5b-instruct-q4_k_m.gguf", "qwen2.5-coder-1.5b.json", 151_936,
                [151_643, 151_645, 151_643, nil],
                "Hello 🦙 world"
            )
        ])
    func realVocabularies(_ spec: (String, String, Int, [Int?], String)) throws {
        let (file, goldenFile, vocabulary, special, roundTrip) = spec
        let url = Fixtures.realModel(file)
        try #require(
            FileManager.default.fileExists(atPath: url.path),
            "\(url.path) is missing: run glassbox models install NAME (scripts/test does)")
        let tokenizer = try TokenizerLoader.load(url)
        let golden = try JSONDecoder().decode(Golden.self, from: Data(contentsOf: Fixtures.golden(goldenFile)))
        #expect(golden.tokenization.count >= 15)
        for entry in golden.tokenization + golden.prompts {
            #expect(try tokenizer.encode(entry.text) == entry.ids, "\(file): text \(entry.text.debugDescription)")
        }
        #expect(tokenizer.vocabularySize == vocabulary)
        let named = [tokenizer.bosTokenID, tokenizer.eosTokenID, tokenizer.padTokenID, tokenizer.unkTokenID]
        #expect(named == special, "bos, eos, pad, unk")
        #expect(tokenizer.decode(try tokenizer.encode("Hello 🦙 world")) == roundTrip)
    }

    @Test("a GGUF without a tokenizer vocabulary is a clear error")
    func notSentencePiece() throws {
        do {
            _ = try TokenizerLoader.load(Fixtures.root.appendingPathComponent("gguf/quants.gguf"))
            Issue.record("expected an error")
        } catch {
            #expect(
                "\(error)".contains(
                    "tokenizer model \"(none)\" in GGUF metadata is not supported yet (supported: llama, gpt2)"),
                "\(error)")
        }
    }
}
