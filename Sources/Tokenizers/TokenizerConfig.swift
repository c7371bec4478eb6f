import JSON
/// The settings of an HF `tokenizer_config.json` that change token ids.
struct TokenizerConfig {
    /// A named special token setting (`bos_token`, …): absent, explicitly null, or a token.
    enum SpecialToken {
        case absent
        case none
        /// The token's flags; its `id` is provisional until resolved against the vocabulary.
        case token(AddedToken)
    }

    var bosToken: SpecialToken = .absent
    var eosToken: SpecialToken = .absent
    var unkToken: SpecialToken = .absent
    var padToken: SpecialToken = .absent
    /// `additional_special_tokens` / `extra_special_tokens` (ids provisional until resolved).
    var extraSpecialTokens: [AddedToken] = []
    var addBOSToken: Bool?
    var addEOSToken: Bool?
    var addPrefixSpace: Bool?
    /// `added_tokens_decoder` entries, with their ids.
    var addedTokens: [AddedToken] = []

    /// The special tokens in the order transformers adds them to the vocabulary.
    var namedSpecialTokens: [AddedToken] {
        var result: [AddedToken] = []
        for setting in [bosToken, eosToken, unkToken, padToken] {
            if case .token(let token) = setting { result.append(token) }
        }
        return result + extraSpecialTokens
    }

    /// Parses `tokenizer_config.json` bytes; `file` names the file in error messages.
    static func parse(_ bytes: [UInt8], file: String) throws(TokenizerError) -> TokenizerConfig {
        let root = try JSONObjectReader.tokenizerFile(bytes, file: file)
        let reader = JSONReader(file: file)
        var config = TokenizerConfig()
        config.bosToken = try specialToken(root["bos_token"], reader: reader, path: "bos_token")
        config.eosToken = try specialToken(root["eos_token"], reader: reader, path: "eos_token")
        config.unkToken = try specialToken(root["unk_token"], reader: reader, path: "unk_token")
        config.padToken = try specialToken(root["pad_token"], reader: reader, path: "pad_token")
        for key in ["additional_special_tokens", "extra_special_tokens"] {
            for (index, item) in (root[key]?.arrayValue ?? []).enumerated() {
                if case .token(let token) = try specialToken(item, reader: reader, path: "\(key)[\(index)]") {
                    config.extraSpecialTokens.append(token)
                }
            }
        }
        config.addBOSToken = try TokenizerError.reading { () throws(JSONReadError) in
            try root.bool("add_bos_token", default: nil)
        }
        config.addEOSToken = try TokenizerError.reading { () throws(JSONReadError) in
            try root.bool("add_eos_token", default: nil)
        }
        config.addPrefixSpace = try TokenizerError.reading { () throws(JSONReadError) in
            try root.bool("add_prefix_space", default: nil)
        }
        if let decoder = root["added_tokens_decoder"] {
            guard let members = decoder.objectMembers else {
                throw .invalidJSON(file, "added_tokens_decoder: expected an object, found \(decoder.typeName)")
            }
            for member in members {
                guard let id = Int(member.key) else {
                    throw .invalidJSON(file, "added_tokens_decoder: key \"\(member.key)\" is not an integer id")
                }
                let path = "added_tokens_decoder.\(member.key)"
                config.addedTokens.append(try reader.addedToken(member.value, id: id, path: path))
            }
        }
        return config
    }

    private static func specialToken(_ value: JSONValue?, reader: JSONReader, path: String)
        throws(TokenizerError) -> SpecialToken
    {
        guard let value else { return .absent }
        switch value {
        case .null:
            return .none
        case .string(let content):
            return .token(AddedToken(id: -1, content: content))
        case .object:
            guard let content = value["content"]?.stringValue else {
                throw .invalidJSON(reader.file, "\(path): expected a string or an object with \"content\"")
            }
            return .token(
                AddedToken(
                    id: -1, content: content,
                    singleWord: value["single_word"]?.boolValue ?? false,
                    lstrip: value["lstrip"]?.boolValue ?? false,
                    rstrip: value["rstrip"]?.boolValue ?? false,
                    normalized: value["normalized"]?.boolValue ?? false,
                    special: true))
        default:
            throw .invalidJSON(reader.file, "\(path): expected a string or an object, found \(value.typeName)")
        }
    }
}
