import Foundation
import JSON
import Testing
import Tokenizers

/// golden/tokenization_sentencepiece.json (tools/references/make_sentencepiece_fixtures.py): per layout and text,
/// the ids and decoded text of HF `tokenizers` on the fixture's tokenizer.json with transformers' special-token
/// handling; and the same for variants of the fixtures with some sections replaced.
struct SentencePieceGolden: Decodable {
    struct Entry: Decodable {
        let text: String
        let ids: [Int]
        let decoded: String
        /// Set where transformers 5's declared class (which rebuilds the pipeline in its own code) gives other ids.
        let idsTransformers: [Int]?
        /// Set where that class decodes `idsTransformers` (or `ids`) to other text.
        let decodedTransformers: String?

        enum CodingKeys: String, CodingKey {
            case text, ids, decoded
            case idsTransformers = "ids_transformers"
            case decodedTransformers = "decoded_transformers"
        }
    }

    /// A fixture with tokenizer.json sections replaced (`replace`) and model fields changed (`model`, where
    /// `add_vocab` appends tokens and `prepend_merges` puts merges first).
    struct Variant: Decodable {
        let name: String
        let base: String
        let entries: [Entry]
    }

    let layouts: [String: [Entry]]
    let variants: [Variant]

    /// The fixture directory of each layout.
    static let directories = ["gemma": "sp-gemma", "llama2": "sp-llama2", "mistral": "sp-mistral"]

    static func load() throws -> SentencePieceGolden {
        try JSONDecoder().decode(SentencePieceGolden.self, from: try Data(contentsOf: file))
    }

    static var file: URL {
        TokenizerFixtures.root.appendingPathComponent("golden").appendingPathComponent(
            "tokenization_sentencepiece.json")
    }

    static func directory(_ layout: String) throws -> URL {
        let name = try #require(directories[layout], "no fixture directory for \(layout)")
        return TokenizerFixtures.root.appendingPathComponent("tokenizers").appendingPathComponent(name)
    }

    /// The tokenizer of a variant: its base fixture's tokenizer.json with the variant's changes, and the base's
    /// tokenizer_config.json.
    static func tokenizer(variant name: String) throws -> SentencePieceBPETokenizer {
        let golden = try JSONParser.parse(Array(try Data(contentsOf: file)))
        let variants = try #require(golden["variants"]?.arrayValue)
        let variant = try #require(variants.first { $0["name"]?.stringValue == name }, "no variant \(name)")
        let base = try directory(try #require(variant["base"]?.stringValue))
        var json = try JSONParser.parse(Array(try Data(contentsOf: base.appendingPathComponent("tokenizer.json"))))
        for member in try #require(variant["replace"]?.objectMembers) {
            json = json.replacing(member.key, with: member.value)
        }
        let model = try changingModel(
            try #require(json["model"]), try #require(variant["model"]?.objectMembers),
            addedIDs: (json["added_tokens"]?.arrayValue ?? []).compactMap { $0["id"]?.intValue })
        json = json.replacing("model", with: model)
        var writer = JSONWriter()
        writer.value(json)
        return try SentencePieceBPETokenizer(
            tokenizerJSON: writer.data,
            config: try Data(contentsOf: base.appendingPathComponent("tokenizer_config.json")))
    }
}

/// The model section with the variant's changes, as make_sentencepiece_fixtures.py's `change_model` makes them:
/// `add_vocab` tokens and `prepend_merges` results get the next free ids, merges keep the file's form.
private func changingModel(_ model: JSONValue, _ changes: [JSONMember], addedIDs: [Int]) throws -> JSONValue {
    var model = model
    var vocab = try #require(model["vocab"]?.objectMembers)
    func add(_ token: String) throws {
        guard !vocab.contains(where: { $0.key == token }) else { return }
        let next = try #require((vocab.compactMap { $0.value.intValue } + addedIDs).max()) + 1
        vocab.append(JSONMember(key: token, value: .number(Double(next))))
    }
    for change in changes {
        switch change.key {
        case "add_vocab":
            for token in try #require(change.value.arrayValue) { try add(try #require(token.stringValue)) }
        case "prepend_merges":
            var merges = try #require(model["merges"]?.arrayValue)
            let asStrings = merges.first?.stringValue != nil
            var first: [JSONValue] = []
            for pair in try #require(change.value.arrayValue) {
                let parts = (pair.arrayValue ?? []).compactMap { $0.stringValue }
                try #require(parts.count == 2)
                try add(parts[0] + parts[1])
                first.append(asStrings ? .string(parts[0] + " " + parts[1]) : pair)
            }
            merges = first + merges
            model = model.replacing("merges", with: .array(merges))
        default:
            model = model.replacing(change.key, with: change.value)
        }
    }
    return model.replacing("vocab", with: .object(vocab))
}

extension JSONValue {
    /// This object with `key` set to `value` (replaced where it is, else added at the end).
    func replacing(_ key: String, with value: JSONValue) -> JSONValue {
        guard case .object(var members) = self else { return self }
        let member = JSONMember(key: key, value: value)
        if let index = members.firstIndex(where: { $0.key == key }) {
            members[index] = member
        } else {
            members.append(member)
        }
        return .object(members)
    }
}
