import Foundation
import TestSupport
import Testing
import Tokenizers

/// The tokenizer fixtures and the golden tokenization files.
enum TokenizerFixtures {
    static var root: URL { Fixtures.root }

    /// The tokenizer directory for each golden key.
    static let directories: [String: String] = [
        "gpt2": "models/tiny-gpt2",
        "llama3": "models/tiny-llama",
        "qwen2": "models/tiny-qwen2",
        "smollm": "tokenizers/smollm"
    ]

    static func directory(_ key: String) throws -> URL {
        let path = try #require(directories[key], "no fixture directory for \(key)")
        return root.appendingPathComponent(path)
    }

    /// One golden entry: the text, its ids as transformers encodes it, and their decoding.
    struct GoldenEntry: Decodable, Sendable {
        let text: String
        let ids: [Int]
        let decoded: String
    }

    /// Reads a golden file (`{"gpt2": [{"text", "ids", "decoded"}], …}`).
    static func golden(_ name: String) throws -> [String: [GoldenEntry]] {
        let data = try Data(contentsOf: root.appendingPathComponent("golden").appendingPathComponent(name))
        return try JSONDecoder().decode([String: [GoldenEntry]].self, from: data)
    }

    /// A temporary directory holding the given files, removed by the caller.
    static func temporaryDirectory(files: [String: Data]) throws -> URL {
        let url = try Fixtures.temporaryDirectory()
        for (name, data) in files {
            try data.write(to: url.appendingPathComponent(name))
        }
        return url
    }
}
