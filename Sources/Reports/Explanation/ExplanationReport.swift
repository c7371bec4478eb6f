import Analysis
import Foundation
import Transformer

/// An explanation report: the prompt, its tokens, the target and the evaluation of every explainer, and optionally
/// a second model's explanation of the same text compared word by word.
public struct ExplanationReport: Sendable {
    public let modelName: String
    public let info: ModelInfo
    public let prompt: String
    public let ids: [Int]
    /// Display strings of the prompt's tokens.
    public let displays: [String]
    /// The explained token's text (and the contrast token's).
    public let targetText: String
    /// The explained token as the tokenizer shows it (`<0xEE>` for a byte token whose text alone is not UTF-8).
    public let targetDisplay: String
    public let contrastText: String?
    public let predictions: [NextTokenPrediction]
    public let predictionTexts: [String]
    public let evaluation: ExplanationEvaluation
    public let variant: String?
    public let variantDisplays: [String]?
    public let comparison: ModelComparison?
    public let seconds: Double
    public let created: Date

    public var verdict: EvaluationVerdict { EvaluationVerdict(evaluation) }
}

/// Two models on one text, each tokenised by itself (`docs/analyses.md` §7): their predictions and, per explainer,
/// the per-word comparison of their scores.
public struct ModelComparison: Sendable {
    public struct Side: Sendable {
        public let modelName: String
        public let displays: [String]
        public let targetText: String
        public let predictions: [NextTokenPrediction]
        public let predictionTexts: [String]
    }
    public let text: String
    public let sides: (Side, Side)
    /// In the evaluation's method order.
    public let methods: [EvaluationMethod]
    public let disagreements: [ModelDisagreement]
}
