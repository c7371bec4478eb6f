/// A 2-D weight `[rows, columns]` kept in its stored encoding (GGUF quantised blocks, F16, BF16) inside a mapped
/// file, decoded to float32 a few rows at a time when it is used.
///
/// Each row is a whole number of blocks (GGUF never lets a block straddle rows), so any row range decodes on its own,
/// with the same kernels `GGUFFile.tensor` uses: a decoded row is bit-identical to the row of the dequantised tensor.
/// Immutable and shareable; the mapping lives as long as any copy.
public struct PackedMatrix: Sendable {
    /// The mapped file holding the data.
    public let file: MappedFile
    /// The stored encoding.
    public let type: GGUFTensorType
    /// Logical rows (outputs of an `[out, in]` weight).
    public let rows: Int
    /// Elements per row.
    public let columns: Int
    /// Offset in the file of stored row 0.
    let offset: Int
    /// Bytes per stored row.
    let rowBytes: Int
    let kernel: Dequantization.Kernel
    /// The stored row behind each logical row, or nil when they are the same.
    private(set) var rowOrder: [Int]?

    /// The matrix whose stored rows start at byte `offset` of `file`; nil when `type` cannot be decoded or a row is
    /// not a whole number of blocks. The caller has checked that `rows * rowBytes` bytes lie inside the file.
    init?(file: MappedFile, type: GGUFTensorType, offset: Int, rows: Int, columns: Int) {
        guard let kernel = Dequantization.kernel(for: type), rows > 0, columns > 0,
            columns % type.blockElements == 0
        else { return nil }
        self.file = file
        self.type = type
        self.offset = offset
        self.rows = rows
        self.columns = columns
        self.rowBytes = columns / type.blockElements * type.blockBytes
        self.kernel = kernel
        self.rowOrder = nil
        precondition(offset >= 0 && offset + rows * rowBytes <= file.count, "packed matrix outside its file")
    }

    /// Stored bytes (what the matrix keeps resident once touched).
    public var byteCount: Int { rows * rowBytes }

    /// The same matrix with logical row `r` read from logical row `order[r]` of this one (a permutation of rows).
    public func reorderingRows(_ order: [Int]) -> PackedMatrix {
        precondition(order.count == rows && order.allSatisfy { $0 >= 0 && $0 < rows }, "bad row order")
        var reordered = self
        reordered.rowOrder = order.map { rowOrder?[$0] ?? $0 }
        return reordered
    }

    /// Decodes logical rows `range` into `destination` (`range.count * columns` floats, row-major).
    public func decodeRows(_ range: Range<Int>, into destination: UnsafeMutablePointer<Float>) {
        precondition(range.lowerBound >= 0 && range.upperBound <= rows, "row range outside the matrix")
        guard let base = file.bytes else { return }
        let blocksPerRow = columns / type.blockElements
        guard let rowOrder else {
            kernel(base + offset + range.lowerBound * rowBytes, destination, range.count * blocksPerRow)
            return
        }
        for (i, r) in range.enumerated() {
            kernel(base + offset + rowOrder[r] * rowBytes, destination + i * columns, blocksPerRow)
        }
    }

    /// Element `column` of every logical row (`rows` floats): one block decoded per row.
    public func decodeColumn(_ column: Int, into destination: UnsafeMutablePointer<Float>) {
        precondition(column >= 0 && column < columns, "column outside the matrix")
        guard let base = file.bytes else { return }
        let block = column / type.blockElements
        let within = column % type.blockElements
        let scratch = UnsafeMutablePointer<Float>.allocate(capacity: type.blockElements)
        defer { scratch.deallocate() }
        for r in 0..<rows {
            let stored = rowOrder?[r] ?? r
            kernel(base + offset + stored * rowBytes + block * type.blockBytes, scratch, 1)
            destination[r] = scratch[within]
        }
    }
}

extension PackedMatrix {
    /// The stored bytes of logical row `r` (`storedRowBytes` bytes: whole blocks of `type`), for kernels that read
    /// the encoding directly.
    public func storedRow(_ r: Int) -> UnsafeRawPointer? {
        precondition(r >= 0 && r < rows, "row outside the matrix")
        return file.bytes.map { $0 + offset + (rowOrder?[r] ?? r) * rowBytes }
    }

    /// Bytes per stored row.
    public var storedRowBytes: Int { rowBytes }
}
