import Foundation
import Testing
import Tokenizers

/// Encoding and decoding of the SentencePiece-style fixtures against HF `tokenizers` and transformers.
@Suite struct SentencePieceGoldenTests {
    static let layouts = ["gemma", "llama2", "mistral"]

    @Test(arguments: layouts)
    func fixtureMatchesTokenizers(layout: String) throws {
        let entries = try #require(try SentencePieceGolden.load().layouts[layout])
        #expect(entries.count >= 60)
        let tokenizer = try TokenizerLoader.load(directory: try SentencePieceGolden.directory(layout))
        #expect(tokenizer is SentencePieceBPETokenizer)
        check(tokenizer, entries, name: layout)
    }

    @Test func variantsMatchTokenizers() throws {
        let golden = try SentencePieceGolden.load()
        #expect(golden.variants.count >= 12)
        for variant in golden.variants {
            #expect(variant.entries.count >= 30)
            check(try SentencePieceGolden.tokenizer(variant: variant.name), variant.entries, name: variant.name)
        }
    }

    /// transformers 5's LlamaTokenizer class ignores tokenizer.json's normalizer and pre-tokenizer and runs
    /// Metaspace(prepend_scheme "first"): the same as the Mistral layout, but not the legacy Llama 2 layout, where
    /// `Prepend("▁")` gives every text segment (also after a special token, and before leading spaces) its `▁`.
    @Test func transformersClassesDifferOnlyOnTheLegacyLlama2Layout() throws {
        let golden = try SentencePieceGolden.load()
        for layout in ["gemma", "mistral"] {
            let entries = try #require(golden.layouts[layout])
            #expect(entries.allSatisfy { $0.idsTransformers == nil && $0.decodedTransformers == nil }, "\(layout)")
        }
        let llama2 = try #require(golden.layouts["llama2"])
        let differing = llama2.filter { $0.idsTransformers != nil }
        #expect(differing.map(\.text).contains("  leading spaces"))
        #expect(differing.map(\.text).contains("Hello<s> world</s> "))
        #expect(differing.count < llama2.count / 2)
    }

    private func check(_ tokenizer: any Tokenizer, _ entries: [SentencePieceGolden.Entry], name: String) {
        for entry in entries {
            let text = String(reflecting: entry.text)
            do {
                let ids = try tokenizer.encode(entry.text)
                #expect(ids == entry.ids, "\(name): encoding \(text) gave \(ids), expected \(entry.ids)")
            } catch {
                Issue.record("\(name): encoding \(text) threw \(error)")
            }
            let decoded = tokenizer.decode(entry.ids)
            #expect(
                Array(decoded.unicodeScalars) == Array(entry.decoded.unicodeScalars),
                """
                \(name): decoding the ids of \(text) gave \(String(reflecting: decoded)), \
                expected \(String(reflecting: entry.decoded))
                """)
        }
    }
}
