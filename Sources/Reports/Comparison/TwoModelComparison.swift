import Analysis
import Foundation
import Tokenizers
import Transformer

/// Two models on one text (`docs/analyses.md` §5, model comparison). Each model tokenises the text itself; side by
/// side: the next-token distributions after the text, compared on the vocabulary strings both share
/// (`SharedDistributionComparison`: KL both ways, Jensen–Shannon, and each model's mass outside the shared part),
/// per-layer head-metric means by relative depth `(l + 1) / L`, where the logit lens settles at the last position by
/// relative depth, pattern-class counts and anomaly counts.
public struct TwoModelComparison: Sendable {
    /// One model's side.
    public struct Side: Sendable {
        public let name: String
        public let info: ModelInfo
        public let tokens: [Int]
        public let displays: [String]
        /// The display string of every token id of the model's vocabulary.
        public let vocabulary: [String]
        /// Top-k after the text.
        public let predictions: [NextTokenPrediction]
        /// `[layer][head]`.
        public let metrics: [[HeadMetrics]]
        /// The lens at the last position: each layer's top-1, where the prediction first appears and settles.
        public let lens: LensFlip
        public let anomalies: AttentionAnomalies
        /// Milliseconds of the forward pass and of the analyses.
        public let forwardMilliseconds: Double
        public let analysisMilliseconds: Double

        /// The display string of token `id`.
        public func display(_ id: Int) -> String { vocabulary.indices.contains(id) ? vocabulary[id] : "<id \(id)>" }

        /// `(l + 1) / L` for layer `l`.
        public func depth(ofLayer l: Int) -> Double { Double(l + 1) / Double(info.layers) }

        /// The mean over the layer's heads of `metric` (one of `HeadMetrics.metricNames`), NaN-free heads only.
        public func layerMean(_ metric: String, layer l: Int) -> Double {
            let values = metrics[l].compactMap { $0.value(of: metric) }.filter(\.isFinite)
            return values.isEmpty ? .nan : values.reduce(0, +) / Double(values.count)
        }

        /// How many heads fall in each pattern class, in `PatternClass.allCases` order.
        public var classCounts: [(PatternClass, Int)] {
            let all = metrics.joined().map(\.patternClass)
            return PatternClass.allCases.map { c in (c, all.filter { $0 == c }.count) }
        }
    }

    /// A model to compare: its name, weights and tokenizer, and the display string of every token id (its
    /// vocabulary strings, see `VocabularyAlignment`).
    public struct Input: Sendable {
        public let name: String
        public let model: DecoderModel
        public let tokenizer: any Tokenizer
        public let vocabulary: [String]

        public init(name: String, model: DecoderModel, tokenizer: any Tokenizer, vocabulary: [String]? = nil) {
            self.name = name
            self.model = model
            self.tokenizer = tokenizer
            self.vocabulary =
                vocabulary ?? (0..<model.info.vocabSize).map { tokenizer.displayString(for: $0) }
        }
    }

    public let text: String
    public let sides: [Side]
    public let distribution: SharedDistributionComparison
    /// Strings each model's vocabulary has.
    public let vocabularySizes: [Int]

    /// Runs `a` and `b` on `text`, one after the other.
    public static func compare(
        text: String, a: Input, b: Input, topK: Int = 10, maxTokens: Int = 512, workers: Int = 1
    ) throws -> TwoModelComparison {
        guard !text.isEmpty else { throw ReportError("the text is empty", parameter: "prompt") }
        var sides: [Side] = [], logps: [[Double]] = []
        for input in [a, b] {
            let (side, logp) = try measure(input, text: text, topK: topK, maxTokens: maxTokens, workers: workers)
            sides.append(side)
            logps.append(logp)
        }
        let alignment = VocabularyAlignment(a: a.vocabulary, b: b.vocabulary)
        let distribution = try alignment.compare(logProbabilitiesA: logps[0], logProbabilitiesB: logps[1])
        return TwoModelComparison(
            text: text, sides: sides, distribution: distribution,
            vocabularySizes: [Set(a.vocabulary).count, Set(b.vocabulary).count])
    }

    static func measure(_ input: Input, text: String, topK: Int, maxTokens: Int, workers: Int) throws -> (
        Side, [Double]
    ) {
        let runner = PromptRunner(model: input.model, tokenizer: input.tokenizer, maxTokens: maxTokens)
        let ids = try ReportError.prompt(input.name) { try runner.tokenize(text) }
        let start = DispatchTime.now().uptimeNanoseconds
        let run = try runner.run(ids: ids, options: ForwardOptions(workers: workers))
        let forwardEnd = DispatchTime.now().uptimeNanoseconds
        let trace = run.trace, n = trace.shape.tokens
        let logp = AblationEffects.logSoftmax(Array(trace.logits(at: n - 1)!))
        let grid = try NextTokenTable.lensGrid(
            model: input.model, trace: trace, point: .post, k: 1, positions: (n - 1)..<n, workers: workers)
        let lens = LensFlip(position: n - 1, topByLayer: grid.map { $0[0][0].id })
        let anomalies = AttentionAnomalies(
            trace: trace, headOutputNorms: try HeadOutputNorms(model: input.model, trace: trace))
        let side = Side(
            name: input.name, info: input.model.info, tokens: ids,
            displays: ids.map(input.tokenizer.displayString(for:)), vocabulary: input.vocabulary,
            predictions: run.predictions(k: topK),
            metrics: try HeadMetrics.all(trace: trace), lens: lens, anomalies: anomalies,
            forwardMilliseconds: Double(forwardEnd - start) / 1e6,
            analysisMilliseconds: Double(DispatchTime.now().uptimeNanoseconds - forwardEnd) / 1e6)
        return (side, logp)
    }
}
