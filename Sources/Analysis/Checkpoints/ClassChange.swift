import Transformer

/// A head whose pattern class differs between two checkpoints of a series.
public struct ClassChange: Sendable, Equatable, CustomStringConvertible {
    public let head: HeadIndex
    public let from: PatternClass
    public let to: PatternClass
    public let fromCheckpoint: String
    public let toCheckpoint: String

    public init(head: HeadIndex, from: PatternClass, to: PatternClass, fromCheckpoint: String, toCheckpoint: String) {
        self.head = head
        self.from = from
        self.to = to
        self.fromCheckpoint = fromCheckpoint
        self.toCheckpoint = toCheckpoint
    }

    /// `L1H2: mixed → previous-token`.
    public var label: String { "L\(head.layer)H\(head.head): \(from.rawValue) → \(to.rawValue)" }

    /// `L1H2: mixed → previous-token (step-0050 → step-0100)`.
    public var description: String { "\(label) (\(fromCheckpoint) → \(toCheckpoint))" }

    /// Every head whose class differs from `a` to `b` (two checkpoints of one shape), in (layer, head) order.
    public static func between(_ a: CheckpointMeasurement, _ b: CheckpointMeasurement) -> [ClassChange] {
        zip(a.heads, b.heads).compactMap { x, y in
            x.patternClass == y.patternClass
                ? nil
                : ClassChange(
                    head: HeadIndex(layer: x.layer, head: x.head), from: x.patternClass, to: y.patternClass,
                    fromCheckpoint: a.name, toCheckpoint: b.name)
        }
    }
}
