import Foundation
import Reports
import Testing
import TestSupport
import Tokenizers

@Suite("Marked prompts")
struct MarkedPromptTests {
    @Test("marks are removed and spans kept as byte ranges")
    func parsing() throws {
        let m = try MarkedPrompt("The [[doctor]] said that [[he]]")
        #expect(m.text == "The doctor said that he")
        #expect(m.spans == [4..<10, 21..<23])
        let none = try MarkedPrompt("plain [ text ] here")
        #expect(none.text == "plain [ text ] here" && none.spans.isEmpty)
        let unicode = try MarkedPrompt("Le [[médecin]] a dit")
        #expect(unicode.spans == [3..<11])
    }

    @Test("unbalanced, nested and empty marks are errors", arguments: ["a [[b", "a ]] b", "[[a [[b]] c]]", "a [[]] b"])
    func bad(text: String) {
        #expect(throws: ReportError.self) { try MarkedPrompt(text) }
    }

    @Test("span token positions: the tokens whose text overlaps the span, never BOS")
    func positions() throws {
        let tokenizer = try TokenizerLoader.load(Fixtures.model("tiny-llama"))
        let m = try MarkedPrompt("The [[doctor]] said")
        let ids = try tokenizer.encode(m.text)
        #expect(ids.first == tokenizer.bosTokenID)
        let positions = m.positions(of: ids, tokenizer: tokenizer)[0]
        #expect(!positions.isEmpty && !positions.contains(0))
        // The span's tokens decode to text containing "doctor", and no token outside it is needed for that.
        let decoded = tokenizer.decode(positions.map { ids[$0] })
        #expect(decoded.contains("doctor"), "\(decoded)")
        #expect(
            !tokenizer.decode(ids.indices.filter { $0 > 0 && !positions.contains($0) }.map { ids[$0] })
                .contains("doctor"))
    }
}

/// A tokenizer of one token per character that decodes with a leading space, as a SentencePiece tokenizer with a
/// space prefix does.
private struct SpacePrefixTokenizer: Tokenizer {
    func encode(_ text: String) throws -> [Int] { [1] + text.unicodeScalars.map { Int($0.value) } }
    func decode(_ ids: [Int]) -> String {
        " " + String(String.UnicodeScalarView(ids.filter { $0 != 1 }.compactMap { Unicode.Scalar(UInt32($0)) }))
    }
    func displayString(for id: Int) -> String { decode([id]) }
    var vocabularySize: Int { 0x110000 }
    var bosTokenID: Int? { 1 }
    var eosTokenID: Int? { nil }
}

@Suite("Marked prompts: decoders that add a space prefix")
struct MarkedPromptPrefixTests {
    @Test("span positions are shifted by the decoder's extra leading bytes")
    func shifted() throws {
        let tokenizer = SpacePrefixTokenizer()
        let m = try MarkedPrompt("The U.[[S]].")
        let ids = try tokenizer.encode(m.text)
        // Positions: 0 BOS, 1 "T", 2 "h", 3 "e", 4 " ", 5 "U", 6 ".", 7 "S", 8 ".".
        #expect(m.positions(of: ids, tokenizer: tokenizer) == [[7]])
    }
}
