import Foundation
import Transformer

/// The parameters of the attention metrics and pattern classes (`docs/analyses.md` §1), with its defaults.
public struct AttentionMetricParameters: Sendable, Equatable {
    /// A key is "sparse" when its weight is below this.
    public var sparsityEpsilon = 0.01
    /// Half-width `w` of the diagonal band.
    public var diagonalWidth = 2
    public var sinkThreshold = 0.6
    public var previousTokenThreshold = 0.5
    public var diagonalThreshold = 0.7
    public var verticalThreshold = 0.5
    public var uniformThreshold = 0.8
    public var sparseThreshold = 0.8

    public init() {}
}

/// What a head mostly does (the first class whose test passes, in this order).
public enum PatternClass: String, Sendable, CaseIterable {
    case sink
    case previousToken = "previous-token"
    case diagonal
    case vertical
    case uniform
    case sparse
    case mixed
}

/// Per-row metrics of one attention pattern `[q][k]`: row `q` has the `q + 1` admissible keys `k ≤ q`. Row 0 has one
/// key and carries no information; its normalised entropy is NaN and head means leave it out.
public struct AttentionRowMetrics: Sendable, Equatable {
    public var entropy: [Double] = []
    public var normalizedEntropy: [Double] = []
    public var sparsity: [Double] = []
    public var locality: [Double] = []
    public var focus: [Double] = []
    public var firstToken: [Double] = []
    public var previousToken: [Double] = []
    public var selfShare: [Double] = []
    public var diagonal: [Double] = []
    public var uniformity: [Double] = []

    /// Computes every row of an `n × n` pattern, in Double.
    public init(pattern: some Collection<Float>, tokens n: Int, parameters: AttentionMetricParameters = .init()) {
        let a = pattern.map(Double.init)
        precondition(a.count == n * n, "pattern size mismatch")
        for q in 0..<n {
            let row = a[(q * n)...(q * n + q)]
            var h = 0.0, distance = 0.0, below = 0, tv = 0.0, band = 0.0
            let uniform = 1 / Double(q + 1)
            for (k, p) in zip(0...q, row) {
                if p > 0 { h -= p * Foundation.log(p) }
                distance += p * Double(q - k)
                if p < parameters.sparsityEpsilon { below += 1 }
                tv += abs(p - uniform)
                if q - k <= parameters.diagonalWidth { band += p }
            }
            entropy.append(h)
            normalizedEntropy.append(q == 0 ? .nan : h / Foundation.log(Double(q + 1)))
            sparsity.append(Double(below) / Double(q + 1))
            locality.append(1 / (1 + distance))
            focus.append(row.max() ?? 0)
            firstToken.append(a[q * n])
            previousToken.append(q == 0 ? .nan : a[q * n + q - 1])
            selfShare.append(a[q * n + q])
            diagonal.append(band)
            uniformity.append(1 - 0.5 * tv)
        }
    }

    /// Mean over rows `q ≥ 1` (NaN for a one-token run).
    static func mean(_ values: [Double]) -> Double {
        guard values.count > 1 else { return .nan }
        return values.dropFirst().reduce(0, +) / Double(values.count - 1)
    }
}

/// One head's metrics: per-row metrics averaged over rows `q ≥ 1`, the vertical score and the pattern class.
public struct HeadMetrics: Sendable, Equatable {
    public let layer: Int
    public let head: Int
    public let entropy: Double
    public let normalizedEntropy: Double
    public let sparsity: Double
    public let locality: Double
    public let focus: Double
    public let firstToken: Double
    public let previousToken: Double
    public let selfShare: Double
    public let diagonal: Double
    public let uniformity: Double
    /// `max_k mean_{q ≥ k, q ≥ 1} A[q,k]`: one key that every later query attends.
    public let vertical: Double
    /// The key of `vertical` (the smallest on ties).
    public let verticalKey: Int
    public let patternClass: PatternClass

    /// The metrics of head `head` of `layer`.
    public static func compute(trace: Trace, layer: Int, head: Int, parameters: AttentionMetricParameters = .init())
        throws -> HeadMetrics
    {
        try AnalysisError.check(layer, below: trace.shape.layers, "layer")
        try AnalysisError.check(head, below: trace.shape.heads, "head")
        let n = trace.shape.tokens
        let pattern = trace.attention(layer: layer, head: head)
        let rows = AttentionRowMetrics(pattern: pattern, tokens: n, parameters: parameters)
        let a = pattern.map(Double.init)
        var vertical = -Double.infinity, verticalKey = 0
        for k in 0..<n {
            let first = max(k, 1)
            guard first < n else { continue }
            let mean = (first..<n).reduce(0.0) { $0 + a[$1 * n + k] } / Double(n - first)
            if mean > vertical {
                vertical = mean
                verticalKey = k
            }
        }
        if vertical == -.infinity { vertical = .nan }
        let m = AttentionRowMetrics.mean
        let firstToken = m(rows.firstToken), previous = m(rows.previousToken), diagonal = m(rows.diagonal)
        let uniformity = m(rows.uniformity), sparsity = m(rows.sparsity)
        let p = parameters
        let patternClass: PatternClass
        if firstToken >= p.sinkThreshold {
            patternClass = .sink
        } else if previous >= p.previousTokenThreshold {
            patternClass = .previousToken
        } else if diagonal >= p.diagonalThreshold {
            patternClass = .diagonal
        } else if vertical >= p.verticalThreshold && verticalKey != 0 {
            patternClass = .vertical
        } else if uniformity >= p.uniformThreshold {
            patternClass = .uniform
        } else if sparsity >= p.sparseThreshold {
            patternClass = .sparse
        } else {
            patternClass = .mixed
        }
        return HeadMetrics(
            layer: layer, head: head, entropy: m(rows.entropy), normalizedEntropy: m(rows.normalizedEntropy),
            sparsity: sparsity, locality: m(rows.locality), focus: m(rows.focus), firstToken: firstToken,
            previousToken: previous, selfShare: m(rows.selfShare), diagonal: diagonal,
            uniformity: uniformity, vertical: vertical, verticalKey: verticalKey,
            patternClass: patternClass)
    }

    /// Every head of every layer, `[layer][head]`.
    public static func all(trace: Trace, parameters: AttentionMetricParameters = .init()) throws -> [[HeadMetrics]] {
        try (0..<trace.shape.layers).map { l in
            try (0..<trace.shape.heads).map { h in try compute(trace: trace, layer: l, head: h, parameters: parameters)
            }
        }
    }
}

extension HeadMetrics {
    /// The names of the per-head metric means, in the API's order (`/metrics`, `/api/compare`, reports).
    public static let metricNames = [
        "entropy", "normalized_entropy", "sparsity", "locality", "focus", "first_token",
        "previous_token", "self", "diagonal", "uniformity", "vertical"
    ]

    /// The metric called `name` (one of `metricNames`), or nil for another name.
    public func value(of name: String) -> Double? {
        switch name {
        case "entropy": return entropy
        case "normalized_entropy": return normalizedEntropy
        case "sparsity": return sparsity
        case "locality": return locality
        case "focus": return focus
        case "first_token": return firstToken
        case "previous_token": return previousToken
        case "self": return selfShare
        case "diagonal": return diagonal
        case "uniformity": return uniformity
        case "vertical": return vertical
        default: return nil
        }
    }
}
