import JSON
/// Typed extraction of tokenizer structures from `JSONValue`s, with errors naming the file and JSON path.
struct JSONReader {
    /// The file name used in error messages.
    let file: String

    /// The `"type"` string of a component object.
    func typeName(_ value: JSONValue, path: String) throws(TokenizerError) -> String {
        guard let type = value["type"]?.stringValue else {
            throw .invalidJSON(file, "\(path): expected an object with a \"type\" string, found \(value.typeName)")
        }
        return type
    }

    /// A `{token: id}` vocabulary object, in file order.
    func vocabulary(_ value: JSONValue, path: String) throws(TokenizerError) -> [(token: String, id: Int)] {
        guard let members = value.objectMembers else {
            throw .invalidJSON(file, "\(path): expected an object mapping tokens to ids, found \(value.typeName)")
        }
        var result: [(token: String, id: Int)] = []
        result.reserveCapacity(members.count)
        for member in members {
            guard let id = member.value.intValue else {
                throw .invalidJSON(
                    file,
                    "\(path): the id of token \"\(member.key)\" is \(member.value.typeName), not an integer")
            }
            guard id >= 0, id <= Int(Int32.max) else {
                throw .idOutOfRange(file, "\(path): token \"\(member.key)\" has id \(id), outside 0...\(Int32.max)")
            }
            result.append((member.key, id))
        }
        return result
    }

    /// Merges in either form: `"a b"` strings or `["a", "b"]` pairs.
    func merges(_ value: JSONValue, path: String) throws(TokenizerError) -> [(String, String)] {
        guard let items = value.arrayValue else {
            throw .invalidJSON(file, "\(path): expected an array of merges, found \(value.typeName)")
        }
        var result: [(String, String)] = []
        result.reserveCapacity(items.count)
        for (index, item) in items.enumerated() {
            switch item {
            case .string(let line):
                guard let pair = Self.splitMergeLine(line[...].unicodeScalars) else {
                    throw .invalidJSON(
                        file,
                        "\(path)[\(index)]: merge \"\(line)\" is not two tokens separated by one space")
                }
                result.append(pair)
            case .array(let parts):
                guard parts.count == 2, let left = parts[0].stringValue, let right = parts[1].stringValue else {
                    throw .invalidJSON(file, "\(path)[\(index)]: expected a pair of two strings")
                }
                result.append((left, right))
            default:
                throw .invalidJSON(
                    file,
                    "\(path)[\(index)]: expected a string or a pair of strings, found \(item.typeName)")
            }
        }
        return result
    }

    /// Splits `"a b"` into its two parts; nil unless there is exactly one space (as HF requires).
    /// Works on scalars: a space followed by a combining mark is still a separator.
    static func splitMergeLine(_ line: Substring.UnicodeScalarView) -> (String, String)? {
        let parts = line.split(separator: " ", omittingEmptySubsequences: false)
        guard parts.count == 2 else { return nil }
        return (String(String.UnicodeScalarView(parts[0])), String(String.UnicodeScalarView(parts[1])))
    }

    /// The `added_tokens` array of tokenizer.json.
    func addedTokens(_ value: JSONValue, path: String) throws(TokenizerError) -> [AddedToken] {
        guard let items = value.arrayValue else {
            throw .invalidJSON(file, "\(path): expected an array, found \(value.typeName)")
        }
        var result: [AddedToken] = []
        for (index, item) in items.enumerated() {
            guard let id = item["id"]?.intValue else {
                throw .invalidJSON(file, "\(path)[\(index)]: missing integer \"id\"")
            }
            result.append(try addedToken(item, id: id, path: "\(path)[\(index)]"))
        }
        return result
    }

    /// One added token object (`content`, `single_word`, `lstrip`, `rstrip`, `normalized`, `special`).
    func addedToken(_ item: JSONValue, id: Int, path: String) throws(TokenizerError) -> AddedToken {
        guard id >= 0, id <= Int(Int32.max) else {
            throw .idOutOfRange(file, "\(path): added token id \(id) is outside 0...\(Int32.max)")
        }
        guard let content = item["content"]?.stringValue else {
            throw .invalidJSON(file, "\(path): missing string \"content\"")
        }
        let special = item["special"]?.boolValue ?? false
        return AddedToken(
            id: id, content: content,
            singleWord: item["single_word"]?.boolValue ?? false,
            lstrip: item["lstrip"]?.boolValue ?? false,
            rstrip: item["rstrip"]?.boolValue ?? false,
            normalized: item["normalized"]?.boolValue ?? !special,
            special: special)
    }

    /// The id of a `["token", id]` pair (as in RobertaProcessing's `cls`/`sep`).
    func tokenAndID(_ value: JSONValue?, path: String) throws(TokenizerError) -> Int {
        guard let pair = value?.arrayValue, pair.count == 2, pair[0].stringValue != nil,
            let id = pair[1].intValue, id >= 0
        else {
            throw .invalidJSON(file, "\(path): expected [\"token\", id]")
        }
        return id
    }
}
