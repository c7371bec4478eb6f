/// Vocabulary ids by token string, compared byte for byte (as HF does) without `String` hashing.
struct VocabularyIndex: Sendable {
    /// Ids of tokens written in the byte-level alphabet, keyed by the bytes they stand for.
    let byteLevelIDs: [ByteString: Int]
    /// Ids of the other tokens (e.g. with a literal space), keyed by their UTF-8.
    private let otherIDs: [ByteString: Int]

    /// Indexes `vocabulary`; for a repeated token the last entry wins.
    init(_ vocabulary: [(token: String, id: Int)]) {
        var byteLevel: [ByteString: Int] = [:]
        var other: [ByteString: Int] = [:]
        byteLevel.reserveCapacity(vocabulary.count)
        for (token, id) in vocabulary {
            if let bytes = ByteEncoder.decode(token) {
                byteLevel[ByteString(bytes)] = id
            } else {
                other[ByteString(Array(token.utf8))] = id
            }
        }
        byteLevelIDs = byteLevel
        otherIDs = other
    }

    /// The id of `token`, or nil if it is not in the vocabulary.
    func id(of token: String) -> Int? {
        if let bytes = ByteEncoder.decode(token) {
            return byteLevelIDs[ByteString(bytes)]
        }
        return otherIDs[ByteString(Array(token.utf8))]
    }
}
