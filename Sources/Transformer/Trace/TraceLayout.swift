/// Where each field of a Trace lives in its single storage block: planned once from the shape, before the pass.
public struct TraceLayout: Sendable, Equatable {
    /// Offset, elements per block and number of blocks of each field.
    public struct Region: Sendable, Equatable {
        public let offset: Int
        public let blockSize: Int
        public let blocks: Int

        /// The element range of block `index`.
        public func range(_ index: Int) -> Range<Int> {
            precondition(index >= 0 && index < blocks, "trace block \(index) out of 0..<\(blocks)")
            return (offset + index * blockSize)..<(offset + (index + 1) * blockSize)
        }
    }

    /// Regions by field.
    public let regions: [TraceField: Region]
    /// Total number of floats.
    public let totalCount: Int

    /// Plans every field of `shape`.
    public init(shape s: TraceShape) {
        let n = s.tokens, r = s.rows, L = s.layers
        func size(_ field: TraceField) -> (block: Int, blocks: Int) {
            switch field {
            case .residual: return (r * s.dModel, L + 1)
            case .mid, .attentionOutput, .mlpOutput: return (r * s.dModel, L)
            case .attention: return (s.batch * s.heads * n * n, L)
            case .values: return (r * s.kvHeads * s.headDim, L)
            case .ffnPre, .ffnPost: return (r * s.ffnDim, L)
            case .inputNormMean, .inputNormScale, .ffnNormMean, .ffnNormScale: return (r, L)
            case .postAttentionNormScale: return (r, s.hasPostAttentionNorm ? L : 0)
            case .postFFNNormScale: return (r, s.hasPostFFNNorm ? L : 0)
            case .finalNormMean, .finalNormScale: return (r, 1)
            case .logits: return (s.batch * s.logitPositions.count * s.vocabSize, 1)
            }
        }
        var regions: [TraceField: Region] = [:]
        var offset = 0
        for field in TraceField.allCases {
            let (block, blocks) = size(field)
            regions[field] = Region(offset: offset, blockSize: block, blocks: blocks)
            offset += block * blocks
        }
        self.regions = regions
        self.totalCount = offset
    }

    /// The region of `field` (every field has one, possibly empty).
    public subscript(field: TraceField) -> Region { regions[field]! }
}
