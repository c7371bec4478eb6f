/// A byte sequence used as a dictionary key.
///
/// Sequences of up to 24 bytes (nearly every token) are stored inline, so hashing and comparing them
/// touches no other memory; longer ones keep their bytes in an array. Cheaper than `String` keys, and
/// exact: vocabulary entries are compared byte for byte, as HF does, never by canonical equivalence.
struct ByteString: Hashable, Sendable {
    private var word0: UInt64 = 0
    private var word1: UInt64 = 0
    private var word2: UInt64 = 0
    private var count: Int
    /// The bytes past the first 24, or nil if there are none.
    private var overflow: [UInt8]?

    init<Bytes: Collection<UInt8>>(_ bytes: Bytes) {
        count = bytes.count
        var index = 0
        for byte in bytes.prefix(24) {
            let shift = UInt64((index & 7) * 8)
            switch index >> 3 {
            case 0: word0 |= UInt64(byte) << shift
            case 1: word1 |= UInt64(byte) << shift
            default: word2 |= UInt64(byte) << shift
            }
            index += 1
        }
        overflow = count > 24 ? Array(bytes.dropFirst(24)) : nil
    }
}
