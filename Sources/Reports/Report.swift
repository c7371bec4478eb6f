import Analysis
import Foundation
import Tokenizers
import Transformer

/// A report over a set of prompts (`docs/analyses.md` §1, §3, §4, §9): per prompt the prediction, anomalies and
/// lens flips; aggregated over the prompts the head metrics and classes, head clusters, layer flow, redundant layers
/// and heads (by ablation) and the recommendations, each citing the measurement that fired it.
public struct Report: Sendable {
    /// One head's metric means over the prompts.
    public struct HeadSummary: Sendable {
        public let layer: Int
        public let head: Int
        /// Metric name (`HeadMetrics.metricNames`) → mean over the prompts.
        public let means: [String: Double]
        /// The most frequent pattern class and in how many prompts it was the class.
        public let patternClass: PatternClass
        public let classCount: Int
        /// Mean `|Δ log p|` of the predicted token when the head is zeroed, or nil without ablation.
        public let ablationNats: Double?
        public let cluster: Int?

        public init(
            layer: Int, head: Int, means: [String: Double], patternClass: PatternClass, classCount: Int,
            ablationNats: Double?, cluster: Int?
        ) {
            self.layer = layer
            self.head = head
            self.means = means
            self.patternClass = patternClass
            self.classCount = classCount
            self.ablationNats = ablationNats
            self.cluster = cluster
        }
    }

    /// One layer's flow over every position of every prompt.
    public struct LayerSummary: Sendable {
        public let layer: Int
        public let meanCosine: Double
        public let meanRelativeUpdate: Double
        public let meanAttentionShare: Double
        /// Mean `|Δ log p|` when the layer is skipped, or nil without ablation.
        public let skipNats: Double?
        public let redundant: Bool

        public init(
            layer: Int, meanCosine: Double, meanRelativeUpdate: Double, meanAttentionShare: Double,
            skipNats: Double?, redundant: Bool
        ) {
            self.layer = layer
            self.meanCosine = meanCosine
            self.meanRelativeUpdate = meanRelativeUpdate
            self.meanAttentionShare = meanAttentionShare
            self.skipNats = skipNats
            self.redundant = redundant
        }
    }

    public let model: String
    public let info: ModelInfo
    public let options: ReportOptions
    public let prompts: [PromptAnalysis]
    public let heads: [HeadSummary]
    public let layers: [LayerSummary]
    public let clusters: HeadClustering?
    public let redundantHeads: [HeadSummary]
    public let recommendations: [Recommendation]
    public let created: Date

    public init(
        model: String, info: ModelInfo, options: ReportOptions, prompts: [PromptAnalysis], created: Date = Date()
    ) {
        self.model = model
        self.info = info
        self.options = options
        self.prompts = prompts
        self.created = created
        let L = info.layers, H = info.heads
        func mean(_ values: [Double]) -> Double {
            let finite = values.filter(\.isFinite)
            return finite.isEmpty ? .nan : finite.reduce(0, +) / Double(finite.count)
        }
        // Clusters of the heads' mean features (heads of one-token prompts are left out of the means).
        var meanFeatures: [[Double]] = []
        var summaries: [[(means: [String: Double], cls: PatternClass, count: Int, nats: Double?)]] = []
        for l in 0..<L {
            var row: [(means: [String: Double], cls: PatternClass, count: Int, nats: Double?)] = []
            for h in 0..<H {
                let per = prompts.map { $0.metrics[l][h] }
                var means: [String: Double] = [:]
                for name in HeadMetrics.metricNames { means[name] = mean(per.map { $0.value(of: name)! }) }
                let counts = Dictionary(grouping: per.filter { $0.normalizedEntropy.isFinite }, by: \.patternClass)
                    .mapValues(\.count)
                // The most frequent class (ties to the earlier one); `mixed` with no vote when no prompt has a class.
                let voted = PatternClass.allCases.max { (counts[$0] ?? 0, -$0.order) < (counts[$1] ?? 0, -$1.order) }!
                let top = counts.isEmpty ? PatternClass.mixed : voted
                let nats =
                    prompts.allSatisfy({ $0.ablation != nil }) && !prompts.isEmpty
                    ? mean(prompts.map { abs($0.ablation!.heads[l * H + h].deltaLogProbability) }) : nil
                row.append((means, top, counts[top] ?? 0, nats))
                meanFeatures.append(HeadClustering.featureNames.map { means[$0]! })
            }
            summaries.append(row)
        }
        let indices = (0..<L).flatMap { l in (0..<H).map { HeadIndex(layer: l, head: $0) } }
        let clustering = try? HeadClustering(heads: indices, features: meanFeatures, k: options.clusters)
        clusters = clustering
        heads = (0..<L).flatMap { l in
            (0..<H).map { h in
                let s = summaries[l][h]
                return HeadSummary(
                    layer: l, head: h, means: s.means, patternClass: s.cls, classCount: s.count,
                    ablationNats: s.nats, cluster: clustering?.assignment[l * H + h])
            }
        }
        layers = (0..<L).map { l in
            let flows = prompts.map { $0.flow[l] }
            let cosine = mean(flows.flatMap(\.cosine)), update = mean(flows.flatMap(\.relativeUpdate))
            let skip =
                prompts.allSatisfy({ $0.ablation != nil }) && !prompts.isEmpty
                ? mean(prompts.map { abs($0.ablation!.layers[l].deltaLogProbability) }) : nil
            return LayerSummary(
                layer: l, meanCosine: cosine, meanRelativeUpdate: update,
                meanAttentionShare: mean(flows.flatMap(\.attentionShare)), skipNats: skip,
                redundant: cosine > options.redundantLayerCosine && update < options.redundantLayerUpdate)
        }
        redundantHeads = heads.filter { ($0.ablationNats ?? .infinity) < options.redundantHeadNats }
        recommendations = Recommendation.rules(
            heads: heads, layers: layers, redundantHeads: redundantHeads,
            options: options)
    }
}

extension PatternClass {
    /// Position in the first-match order (ties in a vote go to the earlier class).
    var order: Int { Self.allCases.firstIndex(of: self)! }
}
