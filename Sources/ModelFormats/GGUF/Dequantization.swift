public import Tensors

/// Conversion of GGUF tensor data (plain and block-quantised ggml types) to float32.
///
/// Each kernel reads `blockCount` consecutive blocks from `source` and writes `blockCount * type.blockElements`
/// floats to `destination`. A tensor's blocks are contiguous and never straddle rows, so one call converts a row, a
/// range of rows or a whole tensor. Products and sums are done in Float32 in the order ggml's reference
/// `dequantize_row_*` and gguf-py write them (Swift never fuses them), so results are bit-identical to gguf-py.
public enum Dequantization {
    /// Stored bytes shared read-only between workers.
    struct ReadOnlyBytes: @unchecked Sendable {
        let base: UnsafeRawPointer
    }

    /// A dequantisation kernel: `(source, destination, blockCount)`. The caller guarantees that `source` holds
    /// `blockCount * blockBytes` readable bytes (no alignment needed) and `destination` room for
    /// `blockCount * blockElements` floats.
    public typealias Kernel = @Sendable (UnsafeRawPointer, UnsafeMutablePointer<Float>, Int) -> Void

    /// The kernel for `type`, or nil when Glassbox cannot dequantise it yet.
    public static func kernel(for type: GGUFTensorType) -> Kernel? {
        switch type {
        case .f32: f32
        case .f16: f16
        case .bf16: bf16
        case .q8_0: q8_0
        case .q4_0: q4_0
        case .q4_1: q4_1
        case .q5_0: q5_0
        case .q5_1: q5_1
        case .q4_K: q4_K
        case .q5_K: q5_K
        case .q6_K: q6_K
        case .q8_K: q8_K
        default: nil
        }
    }

    /// Whether `type` can be dequantised.
    public static func supports(_ type: GGUFTensorType) -> Bool { kernel(for: type) != nil }

    /// Dequantises whole blocks of `type` in `source` into a new array; nil when the type is not supported or
    /// `source.count` is not a whole number of blocks. `workers` splits the blocks between threads; each block is
    /// converted the same way whatever the split, so the result does not depend on it.
    public static func dequantize(
        _ type: GGUFTensorType, _ source: UnsafeRawBufferPointer,
        workers: WorkerPool = .serial
    ) -> [Float]? {
        guard let kernel = kernel(for: type), source.count % type.blockBytes == 0 else { return nil }
        let blocks = source.count / type.blockBytes
        let blockBytes = type.blockBytes, blockElements = type.blockElements
        let count = blocks * blockElements
        return [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
            if let destination = buffer.baseAddress, let base = source.baseAddress, blocks > 0 {
                let input = ReadOnlyBytes(base: base), output = DisjointPointer(destination)
                // Chunks of at least 64 Ki elements, so small tensors stay on the calling thread.
                let minimumBlocks = max(1, 65_536 / blockElements)
                let pool = WorkerPool(workers: min(workers.workers, max(1, blocks / minimumBlocks)))
                pool.forEachChunk(of: blocks) { range in
                    kernel(
                        input.base + range.lowerBound * blockBytes, output.base + range.lowerBound * blockElements,
                        range.count)
                }
            }
            initialized = count
        }
    }

    /// The IEEE half at `offset` (little-endian, unaligned) as Float.
    @inline(__always)
    static func half(_ pointer: UnsafeRawPointer, _ offset: Int) -> Float {
        FloatConversion.half(UInt16(littleEndian: pointer.loadUnaligned(fromByteOffset: offset, as: UInt16.self)))
    }

    /// The byte at `offset`.
    @inline(__always)
    static func byte(_ pointer: UnsafeRawPointer, _ offset: Int) -> UInt8 {
        pointer.load(fromByteOffset: offset, as: UInt8.self)
    }
}
