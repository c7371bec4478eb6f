import Foundation
import Testing
import Tokenizers

/// The SentencePiece-style fixtures through the public API: special ids, display strings, lookups, round trips.
@Suite struct SentencePieceBPETokenizerTests {
    static func fixture(_ layout: String) throws -> SentencePieceBPETokenizer {
        let directory = try SentencePieceGolden.directory(layout)
        return try SentencePieceBPETokenizer(
            tokenizerJSON: try Data(contentsOf: directory.appendingPathComponent("tokenizer.json")),
            config: try Data(contentsOf: directory.appendingPathComponent("tokenizer_config.json")))
    }

    /// Sizes and special ids as transformers reports them (`len(tok)`, `tok.bos_token_id`, …).
    @Test func specialTokensAndSizes() throws {
        let gemma = try TokenizerLoader.load(directory: try SentencePieceGolden.directory("gemma"))
        #expect(gemma.vocabularySize == 802)
        #expect(gemma.bosTokenID == 2 && gemma.eosTokenID == 1 && gemma.unkTokenID == 3 && gemma.padTokenID == 0)
        #expect(try gemma.encode("") == [2])
        for layout in ["llama2", "mistral"] {
            let tokenizer = try TokenizerLoader.load(directory: try SentencePieceGolden.directory(layout))
            #expect(tokenizer.vocabularySize == (layout == "llama2" ? 1001 : 900))
            #expect(tokenizer.bosTokenID == 1 && tokenizer.eosTokenID == 2, "\(layout)")
            #expect(tokenizer.unkTokenID == 0 && tokenizer.padTokenID == nil, "\(layout)")
        }
    }

    @Test func displayStrings() throws {
        let gemma = try Self.fixture("gemma")
        #expect(gemma.displayString(for: 391) == "␣the") // "▁the"
        #expect(gemma.displayString(for: 381) == "␣") // "▁"
        #expect(gemma.displayString(for: 17) == "↵") // "<0x0A>"
        #expect(gemma.displayString(for: 233) == "<0xE2>") // a lead byte alone
        #expect(gemma.displayString(for: 2) == "<bos>")
        #expect(gemma.displayString(for: 801) == "␣␣") // the added token "  ", kept as "▁▁"
        #expect(gemma.displayString(for: 407) == "↵↵")
        #expect(gemma.displayString(for: 802) == "<unk id 802>")
        #expect(gemma.displayString(for: -1) == "<unk id -1>")
        let llama2 = try Self.fixture("llama2")
        #expect(llama2.displayString(for: 1000) == "␣<sep>") // normalized: true, so "▁<sep>"
        #expect(llama2.displayString(for: 1) == "<s>")
    }

    @Test func tokenIDLookupAndPreTokens() throws {
        let gemma = try Self.fixture("gemma")
        #expect(gemma.tokenID(for: "▁the") == 391)
        #expect(gemma.tokenID(for: "<bos>") == 2)
        #expect(gemma.tokenID(for: "  ") == 801)
        #expect(gemma.tokenID(for: "<0xE2>") == 233)
        #expect(gemma.tokenID(for: "no such token") == nil)
        #expect(gemma.preTokenize(" a b ") == ["▁a▁b▁"])
        #expect(try Self.fixture("llama2").preTokenize(" a b ") == ["▁▁a▁b▁"])
        #expect(try Self.fixture("mistral").preTokenize(" a b ") == ["▁a▁b▁"])
        #expect(try Self.fixture("mistral").preTokenize("a b") == ["▁a▁b"])
    }

    @Test func decodeMarksIdsOutsideTheVocabulary() throws {
        let mistral = try Self.fixture("mistral")
        #expect(mistral.decode([1, 5_000, -3]) == "<s><unk id 5000><unk id -3>")
        #expect(mistral.decode([]) == "")
    }

    /// Every golden text without special tokens and a literal `▁` (which decodes to a space), joined: the legacy layout's prefix `▁` is stripped again, so
    /// decoding without the BOS gives the text back scalar for scalar (byte fallback included).
    @Test func longTextRoundTrips() throws {
        let tokenizer = try Self.fixture("llama2")
        let entries = try #require(try SentencePieceGolden.load().layouts["llama2"])
        let text = String(
            repeating: entries.map(\.text).filter { !$0.contains("<") && !$0.contains("▁") }.joined(separator: "\n"),
            count: 3)
        let ids = try tokenizer.encode(text)
        #expect(ids.count > 2_000)
        #expect(ids.first == 1)
        #expect(Array(tokenizer.decode(Array(ids.dropFirst())).unicodeScalars) == Array(text.unicodeScalars))
    }
}
