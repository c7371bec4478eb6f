import Foundation
import Transformer

/// Everything a checkpoint series follows, measured on one checkpoint over a prompt set (`docs/analyses.md` §1, §3,
/// §4): the next-token loss, every head's metric means and class, the sink share, where the last position's
/// prediction settles under the lens, the anomaly counts and (with ablation) the redundant heads. No trace is kept.
public struct CheckpointMeasurement: Sendable {
    /// One prompt under this checkpoint.
    public struct Prompt: Sendable, Equatable {
        public let tokens: Int
        public let loss: PromptLoss
        /// The lens flip of the last position (its prediction, first and settled layer).
        public let lastPosition: LensFlip
        public let anomalies: AnomalyCounts

        public init(tokens: Int, loss: PromptLoss, lastPosition: LensFlip, anomalies: AnomalyCounts) {
            self.tokens = tokens
            self.loss = loss
            self.lastPosition = lastPosition
            self.anomalies = anomalies
        }
    }

    public let name: String
    public let info: ModelInfo
    public let prompts: [Prompt]
    /// In (layer, head) order.
    public let heads: [CheckpointHead]
    /// The mean next-token loss over every position of every prompt (pooled), in nats.
    public let loss: Double
    /// How many next tokens `loss` averages.
    public let positions: Int
    /// The mean over the heads of their first-token share (`docs/analyses.md` §1): how much attention sinks take.
    public let sinkShare: Double
    /// Summed over the prompts.
    public let anomalyCounts: AnomalyCounts
    /// Heads whose zeroing changes the predicted token's log-probability by less than the threshold on average, in
    /// (layer, head) order; nil without ablation.
    public let redundantHeads: [HeadIndex]?
    public let seconds: Double

    public init(
        name: String, info: ModelInfo, prompts: [Prompt], heads: [CheckpointHead], loss: Double, positions: Int,
        sinkShare: Double, anomalyCounts: AnomalyCounts, redundantHeads: [HeadIndex]?, seconds: Double
    ) {
        self.name = name
        self.info = info
        self.prompts = prompts
        self.heads = heads
        self.loss = loss
        self.positions = positions
        self.sinkShare = sinkShare
        self.anomalyCounts = anomalyCounts
        self.redundantHeads = redundantHeads
        self.seconds = seconds
    }

    /// Each prompt's settled layer (`LensFlip.settledLayer` of its last position).
    public var settledLayers: [Int] { prompts.map(\.lastPosition.settledLayer) }
    /// Their mean.
    public var meanSettledLayer: Double {
        Double(settledLayers.reduce(0, +)) / Double(max(prompts.count, 1))
    }

    /// The forward passes `measure` runs per prompt.
    public static func passes(_ info: ModelInfo, parameters: CheckpointParameters) -> Int {
        1 + (parameters.ablation ? AblationEffects.passes(for: info) : 0)
    }

    /// Measures `model` (called `name`) on the token ids of each prompt (at least two tokens each).
    /// `progress(passes done)` after each forward pass; `shouldContinue` before each (false stops with
    /// `AnalysisCancelled`).
    public static func measure(
        name: String, model: DecoderModel, prompts: [[Int]], parameters: CheckpointParameters = .init(),
        shouldContinue: () -> Bool = { true }, progress: (Int) -> Void = { _ in }
    ) throws -> CheckpointMeasurement {
        let start = DispatchTime.now()
        guard !prompts.isEmpty else { throw CheckpointError.noPrompts }
        if let short = prompts.firstIndex(where: { $0.count < 2 }) {
            throw CheckpointError.promptTooShort(prompt: short + 1, tokens: prompts[short].count, checkpoint: name)
        }
        let per = passes(model.info, parameters: parameters)
        var measured: [Prompt] = [], metrics: [[[HeadMetrics]]] = [], ablations: [AblationEffects] = []
        for (index, ids) in prompts.enumerated() {
            guard shouldContinue() else { throw AnalysisCancelled() }
            let workers = parameters.workers
            let trace = try model.forward(tokens: ids, options: ForwardOptions(workers: workers))
            progress(index * per + 1)
            metrics.append(try HeadMetrics.all(trace: trace, parameters: parameters.metricParameters))
            let anomalies = AttentionAnomalies(
                trace: trace, headOutputNorms: try HeadOutputNorms(model: model, trace: trace),
                parameters: parameters.anomalyParameters)
            let last = ids.count - 1
            let grid = try NextTokenTable.lensGrid(
                model: model, trace: trace, point: .post, k: 1, positions: last..<(last + 1), workers: workers,
                shouldContinue: shouldContinue)
            let flip = LensFlip(position: last, topByLayer: grid.map { $0[0][0].id })
            let loss = try PromptLoss.measure(
                model: model, trace: trace, workers: workers, shouldContinue: shouldContinue)
            if parameters.ablation {
                ablations.append(
                    try AblationEffects.measure(
                        model: model, baseline: trace, workers: workers, shouldContinue: shouldContinue,
                        progress: { progress(index * per + 1 + $0) }))
            }
            measured.append(
                Prompt(
                    tokens: ids.count, loss: loss, lastPosition: flip,
                    anomalies: AnomalyCounts(anomalies, lastPosition: flip)))
        }
        let H = model.info.heads
        let heads = (0..<model.info.layers).flatMap { l in
            (0..<H).map { h in
                let each = metrics.map { $0[l][h] }
                var means: [String: Double] = [:]
                for metric in HeadMetrics.metricNames {
                    means[metric] = each.reduce(0.0) { $0 + $1.value(of: metric)! } / Double(each.count)
                }
                let voted = PatternClass.vote(each.map(\.patternClass))
                let nats =
                    parameters.ablation
                    ? ablations.reduce(0.0) { $0 + abs($1.heads[l * H + h].deltaLogProbability) }
                        / Double(ablations.count)
                    : nil
                return CheckpointHead(
                    layer: l, head: h, means: means, patternClass: voted.patternClass, classPrompts: voted.count,
                    ablationNats: nats)
            }
        }
        let positions = measured.reduce(0) { $0 + $1.loss.nats.count }
        return CheckpointMeasurement(
            name: name, info: model.info, prompts: measured, heads: heads,
            loss: measured.reduce(0.0) { $0 + $1.loss.total } / Double(positions), positions: positions,
            sinkShare: heads.reduce(0.0) { $0 + $1.mean("first_token") } / Double(heads.count),
            anomalyCounts: measured.reduce(AnomalyCounts()) { $0 + $1.anomalies },
            redundantHeads: parameters.ablation
                ? heads.filter { $0.ablationNats! < parameters.redundantHeadNats }
                    .map { HeadIndex(layer: $0.layer, head: $0.head) } : nil,
            seconds: Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9)
    }
}
