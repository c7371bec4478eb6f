import Foundation
import Testing
import Tokenizers

/// Compares encoding and decoding with the ids and text transformers produced for the fixture tokenizers.
@Suite struct GoldenTokenizationTests {
    static let keys = ["gpt2", "llama3", "qwen2", "smollm"]

    @Test(arguments: keys)
    func tokenizerJSONMatchesTransformers(key: String) throws {
        let golden = try TokenizerFixtures.golden("tokenization.json")
        let entries = try #require(golden[key], "golden/tokenization.json has no \"\(key)\" entries")
        #expect(entries.count >= 30)
        let tokenizer = try TokenizerLoader.load(directory: try TokenizerFixtures.directory(key))
        try check(tokenizer, entries, name: key)
    }

    @Test func vocabAndMergesMatchTransformers() throws {
        let golden = try TokenizerFixtures.golden("tokenization_vocab_merges.json")
        let entries = try #require(golden["gpt2"])
        #expect(entries.count >= 30)
        let directory = try TokenizerFixtures.directory("gpt2")
        let tokenizer = try ByteLevelBPETokenizer(
            vocabJSON: try Data(contentsOf: directory.appendingPathComponent("vocab.json")),
            merges: try String(contentsOf: directory.appendingPathComponent("merges.txt"), encoding: .utf8),
            config: try Data(contentsOf: directory.appendingPathComponent("tokenizer_config.json")))
        try check(tokenizer, entries, name: "gpt2 (vocab.json + merges.txt)")
    }

    private func check(_ tokenizer: any Tokenizer, _ entries: [TokenizerFixtures.GoldenEntry], name: String) throws {
        for entry in entries {
            let ids = try tokenizer.encode(entry.text)
            let text = String(reflecting: entry.text)
            #expect(ids == entry.ids, "\(name): encoding \(text) gave \(ids), expected \(entry.ids)")
            let decoded = tokenizer.decode(entry.ids)
            #expect(
                decoded == entry.decoded,
                """
                \(name): decoding the ids of \(text) gave \(String(reflecting: decoded)), \
                expected \(String(reflecting: entry.decoded))
                """)
        }
    }
}
