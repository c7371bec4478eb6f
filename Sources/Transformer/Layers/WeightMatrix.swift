public import ModelFormats

/// A 2-D weight `[rows, columns]` (row-major): float32 in memory, or kept packed in its file (quantised GGUF blocks,
/// F16/BF16 safetensors) and decoded a few rows at a time when it is used.
///
/// Both forms give the same floats: a packed matrix decodes with the kernels that produce the dense form, so the
/// model computes bit-identical results either way (`Linear.apply` multiplies both tile by tile).
public struct WeightMatrix: Sendable {
    public enum Storage: Sendable {
        case dense([Float])
        case packed(PackedMatrix)
    }

    public let storage: Storage
    public let rows: Int
    public let columns: Int

    /// A float32 matrix of `rows × columns` elements.
    public init(dense elements: [Float], rows: Int, columns: Int) {
        precondition(
            elements.count == rows * columns, "weight has \(elements.count) elements, expected \(rows)×\(columns)")
        storage = .dense(elements)
        self.rows = rows
        self.columns = columns
    }

    /// A matrix kept in its stored encoding.
    public init(packed: PackedMatrix) {
        storage = .packed(packed)
        rows = packed.rows
        columns = packed.columns
    }

    /// Number of elements.
    public var count: Int { rows * columns }

    /// Whether the matrix is kept packed.
    public var isPacked: Bool {
        if case .packed = storage { return true }
        return false
    }

    /// Bytes the weight occupies: 4 per element when dense, the stored bytes when packed.
    public var residentBytes: Int {
        switch storage {
        case .dense(let elements): elements.count * MemoryLayout<Float>.stride
        case .packed(let packed): packed.byteCount
        }
    }

    /// Writes rows `range` into `destination` (`range.count * columns` floats).
    public func decodeRows(_ range: Range<Int>, into destination: UnsafeMutablePointer<Float>) {
        switch storage {
        case .dense(let elements):
            elements.withUnsafeBufferPointer {
                destination.update(from: $0.baseAddress! + range.lowerBound * columns, count: range.count * columns)
            }
        case .packed(let packed):
            packed.decodeRows(range, into: destination)
        }
    }

    /// Row `r`.
    public func row(_ r: Int) -> [Float] {
        [Float](unsafeUninitializedCapacity: columns) { buffer, initialized in
            decodeRows(r..<(r + 1), into: buffer.baseAddress!)
            initialized = columns
        }
    }

    /// Column `c` (one element of every row).
    public func column(_ c: Int) -> [Float] {
        switch storage {
        case .dense(let elements):
            return (0..<rows).map { elements[$0 * columns + c] }
        case .packed(let packed):
            return [Float](unsafeUninitializedCapacity: rows) { buffer, initialized in
                packed.decodeColumn(c, into: buffer.baseAddress!)
                initialized = rows
            }
        }
    }

    /// All elements as float32 (a copy of a packed matrix, decoded).
    public var elements: [Float] {
        switch storage {
        case .dense(let elements): return elements
        case .packed(let packed):
            return [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
                packed.decodeRows(0..<rows, into: buffer.baseAddress!)
                initialized = count
            }
        }
    }

    /// Calls `body` with all elements as float32: the stored array when dense, a decoded copy freed afterwards when
    /// packed.
    public func withElements<R>(_ body: (UnsafePointer<Float>) throws -> R) rethrows -> R {
        switch storage {
        case .dense(let elements):
            return try elements.withUnsafeBufferPointer { try body($0.baseAddress!) }
        case .packed(let packed):
            let buffer = UnsafeMutablePointer<Float>.allocate(capacity: count)
            defer { buffer.deallocate() }
            packed.decodeRows(0..<rows, into: buffer)
            return try body(buffer)
        }
    }

    /// The matrix with its rows reordered: row `r` of the result is row `order[r]` of this one.
    public func reorderingRows(_ order: [Int]) -> WeightMatrix {
        switch storage {
        case .dense(let elements):
            var reordered = [Float](repeating: 0, count: count)
            for (target, source) in order.enumerated() {
                reordered[(target * columns)..<((target + 1) * columns)] =
                    elements[(source * columns)..<((source + 1) * columns)]
            }
            return WeightMatrix(dense: reordered, rows: rows, columns: columns)
        case .packed(let packed):
            return WeightMatrix(packed: packed.reorderingRows(order))
        }
    }
}
