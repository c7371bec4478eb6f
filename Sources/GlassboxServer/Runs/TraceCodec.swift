import Foundation
import Transformer

/// A trace as bytes for the run cache: a small header (format version, shape, token ids) and the float32 storage,
/// little-endian.
enum TraceCodec {
    private static let magic: UInt32 = 0x4742_5452 // "GBTR"
    private static let version: UInt32 = 1

    static func encode(_ trace: Trace) -> Data {
        let s = trace.shape
        var header: [Int64] = [
            Int64(magic), Int64(version), Int64(s.layers), Int64(s.tokens), Int64(s.dModel),
            Int64(s.heads), Int64(s.kvHeads), Int64(s.headDim), Int64(s.ffnDim), Int64(s.vocabSize),
            s.hasPostAttentionNorm ? 1 : 0, s.hasPostFFNNorm ? 1 : 0,
            Int64(s.logitPositions.count)
        ]
        header += s.logitPositions.map(Int64.init) + trace.tokens.map(Int64.init)
        var data = Data(capacity: header.count * 8 + trace.storage.count * 4)
        for value in header { withUnsafeBytes(of: value.littleEndian) { data.append(contentsOf: $0) } }
        trace.storage.withUnsafeBytes { data.append(contentsOf: $0) } // x86_64 and arm64 are little-endian
        return data
    }

    static func decode(_ data: Data) throws -> Trace {
        try data.withUnsafeBytes { bytes in
            var offset = 0
            func next() throws -> Int {
                guard offset + 8 <= bytes.count else { throw ServiceError.internal("a cached trace is truncated") }
                defer { offset += 8 }
                return Int(Int64(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: Int64.self)))
            }
            guard try next() == Int(magic), try next() == Int(version) else {
                throw ServiceError.internal("a cached trace has an unknown format")
            }
            let layers = try next(), tokens = try next(), d = try next(), heads = try next(), kv = try next()
            let headDim = try next(), ffn = try next(), vocab = try next()
            let postAttention = try next() == 1, postFFN = try next() == 1
            let positionCount = try next()
            guard (0...tokens).contains(positionCount), tokens > 0, tokens < 1 << 20 else {
                throw ServiceError.internal("a cached trace has a bad header")
            }
            let positions = try (0..<positionCount).map { _ in try next() }
            let ids = try (0..<tokens).map { _ in try next() }
            let shape = TraceShape(
                layers: layers, tokens: tokens, dModel: d, heads: heads, kvHeads: kv, headDim: headDim,
                ffnDim: ffn, vocabSize: vocab, logitPositions: positions,
                hasPostAttentionNorm: postAttention, hasPostFFNNorm: postFFN)
            let count = (bytes.count - offset) / 4
            let storage = [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
                UnsafeMutableRawBufferPointer(buffer).copyMemory(
                    from: UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + count * 4)]))
                initialized = count
            }
            return try Trace(shape: shape, tokens: ids, storage: storage)
        }
    }
}
