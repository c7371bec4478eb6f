import Transformer

/// Heads grouped by what their attention looks like (`docs/analyses.md` §1, pattern clustering): k-means on the
/// per-head metric means, seeded by k-means++ from a fixed SplitMix64 seed, so the same run always gives the same
/// clusters.
///
/// Pinned where the spec is silent: features are used as they are (all lie in [0, 1]); the first centre is point
/// `⌊u·N⌋`; each next centre is the first point whose running sum of squared distances to the nearest centre exceeds
/// `u·S` (the smallest unchosen index when every point coincides with a centre); Lloyd iterations assign each point to
/// the nearest centre (ties to the lower index), move each centre to its members' mean (an empty cluster keeps its
/// centre) and stop when no assignment changes, after at most 100 passes.
public struct HeadClustering: Sendable, Equatable {
    /// The names of the features, in order.
    public static let featureNames = [
        "normalized_entropy", "sparsity", "locality", "focus", "first_token",
        "previous_token", "self", "diagonal", "uniformity"
    ]
    public static let defaultSeed: UInt64 = 0x5EED

    /// The heads in (layer, head) order.
    public let heads: [HeadIndex]
    /// The feature vector of each head.
    public let features: [[Double]]
    /// The cluster of each head.
    public let assignment: [Int]
    public let centroids: [[Double]]
    /// The heads picked as initial centres.
    public let seeds: [Int]
    /// Σ squared distance of each head to its centroid.
    public let inertia: Double
    /// Assignment passes run.
    public let iterations: Int

    /// The members of cluster `c`.
    public func members(of c: Int) -> [HeadIndex] { heads.indices.filter { assignment[$0] == c }.map { heads[$0] } }

    /// A head's features.
    public static func features(of m: HeadMetrics) -> [Double] { featureNames.map { m.value(of: $0)! } }

    /// Clusters the heads of `metrics` (`[layer][head]`) into `min(k, heads)` groups.
    public init(metrics: [[HeadMetrics]], k: Int = 5, seed: UInt64 = defaultSeed) throws {
        let flat = metrics.flatMap { $0 }
        try self.init(
            heads: flat.map { HeadIndex(layer: $0.layer, head: $0.head) }, features: flat.map(Self.features),
            k: k, seed: seed)
    }

    /// Clusters heads given their feature vectors (in `featureNames` order), e.g. means over several prompts.
    public init(heads: [HeadIndex], features points: [[Double]], k: Int = 5, seed: UInt64 = defaultSeed) throws {
        guard k >= 1 else { throw AnalysisError("the number of clusters must be at least 1, got \(k)") }
        guard !points.isEmpty else { throw AnalysisError("there are no heads to cluster") }
        guard points.count == heads.count else {
            throw AnalysisError("\(points.count) feature vectors for \(heads.count) heads: give one per head")
        }
        guard points.allSatisfy({ $0.allSatisfy(\.isFinite) }) else {
            throw AnalysisError("heads cannot be clustered on a one-token run: their metrics are undefined")
        }
        self.heads = heads
        features = points
        let count = min(k, points.count)
        var random = SplitMix64(seed: seed)
        var chosen = [min(points.count - 1, Int(random.nextUniform() * Double(points.count)))]
        while chosen.count < count {
            let d2 = points.map { p in chosen.map { Self.distance2(p, points[$0]) }.min()! }
            let total = d2.reduce(0, +)
            if total == 0 {
                chosen.append(points.indices.first { !chosen.contains($0) }!)
                continue
            }
            let r = random.nextUniform() * total
            var running = 0.0
            var pick = d2.lastIndex { $0 > 0 }!
            for (i, value) in d2.enumerated() {
                running += value
                if running > r {
                    pick = i
                    break
                }
            }
            chosen.append(pick)
        }
        seeds = chosen
        var centres = chosen.map { points[$0] }
        var assigned = [Int](repeating: -1, count: points.count)
        var passes = 0
        while passes < 100 {
            passes += 1
            let next = points.map { p in
                centres.indices.min { (Self.distance2(p, centres[$0]), $0) < (Self.distance2(p, centres[$1]), $1) }!
            }
            if next == assigned { break }
            assigned = next
            for c in centres.indices {
                let members = points.indices.filter { assigned[$0] == c }
                guard !members.isEmpty else { continue }
                centres[c] = (0..<points[0].count).map { f in
                    members.reduce(0.0) { $0 + points[$1][f] } / Double(members.count)
                }
            }
        }
        assignment = assigned
        centroids = centres
        iterations = passes
        inertia = points.indices.reduce(0.0) { $0 + Self.distance2(points[$1], centres[assigned[$1]]) }
    }

    static func distance2(_ a: [Double], _ b: [Double]) -> Double {
        zip(a, b).reduce(0.0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }
    }
}
