import Testing
import Tokenizers

/// Pre-tokenizer splits, with expectations taken from HF `tokenizers` (Split/Digits on the same input).
@Suite struct PreTokenizerTests {
    /// Compares pieces by their exact scalars (Swift `String ==` would equate canonically equivalent text).
    private func expectPieces(
        _ kind: PreTokenizerKind, _ text: String, _ expected: [String],
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        let pieces = kind.preTokenize(text)
        #expect(
            pieces.map { Array($0.unicodeScalars) } == expected.map { Array($0.unicodeScalars) },
            "\(kind) split \(String(reflecting: text)) into \(pieces.map { String(reflecting: $0) })",
            sourceLocation: sourceLocation)
    }

    @Test func gpt2() {
        expectPieces(.gpt2, "Hello world", ["Hello", " world"])
        expectPieces(
            .gpt2, "I'm sure they'll say HE'S, don't",
            ["I", "'m", " sure", " they", "'ll", " say", " HE", "'", "S", ",", " don", "'t"])
        expectPieces(.gpt2, "  leading", [" ", " leading"])
        expectPieces(.gpt2, "trailing   ", ["trailing", "   "])
        expectPieces(.gpt2, "a\n\nb", ["a", "\n", "\n", "b"])
        expectPieces(.gpt2, "x  \n\n  y", ["x", "  \n\n ", " y"])
        expectPieces(.gpt2, "1234567 89", ["1234567", " 89"])
        expectPieces(.gpt2, "(hello) [x].\n\nNext", ["(", "hello", ")", " [", "x", "].", "\n", "\n", "Next"])
        expectPieces(.gpt2, "it'\u{17F} 'Re", ["it", "'", "\u{17F}", " '", "Re"])
        expectPieces(.gpt2, "tab\there\t\t x", ["tab", "\t", "here", "\t\t", " x"])
        expectPieces(.gpt2, "\r\n\r\n", ["\r\n\r\n"])
        expectPieces(.gpt2, "3.14 €42 ½²", ["3", ".", "14", " €", "42", " ½²"])
        expectPieces(.gpt2, "", [])
    }

    @Test func llama3() {
        expectPieces(.llama3, "Hello world", ["Hello", " world"])
        expectPieces(
            .llama3, "I'm sure they'll say HE'S, don't",
            ["I", "'m", " sure", " they", "'ll", " say", " HE", "'S", ",", " don", "'t"])
        expectPieces(.llama3, "  leading", [" ", " leading"])
        expectPieces(.llama3, "trailing   ", ["trailing", "   "])
        expectPieces(.llama3, "a\n\nb", ["a", "\n\n", "b"])
        expectPieces(.llama3, "x  \n\n  y", ["x", "  \n\n", " ", " y"])
        expectPieces(.llama3, "1234567 89", ["123", "456", "7", " ", "89"])
        expectPieces(.llama3, "(hello) [x].\n\nNext", ["(hello", ")", " [", "x", "].\n\n", "Next"])
        // Oniguruma's case folding lets (?i:'s) match a long s.
        expectPieces(.llama3, "it'\u{17F} 'Re", ["it", "'\u{17F}", " '", "Re"])
        expectPieces(.llama3, "tab\there\t\t x", ["tab", "\there", "\t\t", " x"])
        expectPieces(.llama3, "\r\n\r\n", ["\r\n\r\n"])
        expectPieces(.llama3, "3.14 €42 ½²", ["3", ".", "14", " €", "42", " ", "½²"])
    }

    @Test func qwen2() {
        expectPieces(
            .qwen2, "I'm sure they'll say HE'S, don't",
            ["I", "'m", " sure", " they", "'ll", " say", " HE", "'S", ",", " don", "'t"])
        expectPieces(.qwen2, "x  \n\n  y", ["x", "  \n\n", " ", " y"])
        expectPieces(.qwen2, "1234567 89", ["1", "2", "3", "4", "5", "6", "7", " ", "8", "9"])
        expectPieces(.qwen2, "(hello) [x].\n\nNext", ["(hello", ")", " [", "x", "].\n\n", "Next"])
        expectPieces(.qwen2, "3.14 €42 ½²", ["3", ".", "1", "4", " €", "4", "2", " ", "½", "²"])
    }

    @Test func smollmSplitsDigitsBeforeTheGPT2Regex() {
        expectPieces(.smollm, "1234567 89", ["1", "2", "3", "4", "5", "6", "7", " ", "8", "9"])
        expectPieces(
            .smollm, "I'm sure they'll say HE'S, don't",
            ["I", "'m", " sure", " they", "'ll", " say", " HE", "'", "S", ",", " don", "'t"])
        expectPieces(.smollm, "x  \n\n  y", ["x", "  \n\n ", " y"])
        expectPieces(.smollm, "3.14 €42 ½²", ["3", ".", "1", "4", " €", "4", "2", " ", "½", "²"])
        // The space before a digit is cut off by the Digits step, so the regex never sees " 8".
        expectPieces(.smollm, "a 8", ["a", " ", "8"])
    }

    /// `\s` is the Unicode White_Space property: U+3000, U+00A0 and U+0085 are whitespace, U+200B is not.
    @Test func whitespaceClass() {
        let text = "a\u{3000}b\u{A0}c\u{85}d\u{200B}e"
        expectPieces(.gpt2, text, ["a", "\u{3000}", "b", "\u{A0}", "c", "\u{85}", "d", "\u{200B}", "e"])
        expectPieces(.llama3, text, ["a", "\u{3000}b", "\u{A0}c", "\u{85}d", "\u{200B}e"])
        expectPieces(.gpt2, "a\u{2028}\u{2029}\u{1680} b", ["a", "\u{2028}\u{2029}\u{1680}", " b"])
    }

    /// Letters assigned after Unicode 16 are not `\p{L}` for HF's regex engine.
    @Test func lettersNewerThanTheReferenceEngineAreOther() {
        expectPieces(.gpt2, "e\u{301}\u{88F}z", ["e", "\u{301}\u{88F}", "z"])
        expectPieces(.llama3, "ab\u{88F}cd", ["ab", "\u{88F}cd"])
    }

    @Test func ggufNames() {
        #expect(PreTokenizerKind(ggufName: "llama-bpe") == .llama3)
        #expect(PreTokenizerKind(ggufName: "qwen2") == .qwen2)
        #expect(PreTokenizerKind(ggufName: "smollm") == .smollm)
        #expect(PreTokenizerKind(ggufName: "gpt-2") == .gpt2)
        #expect(PreTokenizerKind(ggufName: "deepseek-coder") == nil)
    }
}
