public import Transformer

/// One explainer's scores on the prompt and the faithfulness of their order.
public struct MethodEvaluation: Sendable, Equatable {
    public let method: EvaluationMethod
    /// One score per position.
    public let scores: [Double]
    /// The order of the scores (decreasing, ties to the lower position) with its curves.
    public let faithfulness: OrderEvaluation
    /// Integrated gradients' completeness gap.
    public let completenessGap: Double?

    /// How many of the random orders the method's deletion AUC is below (better than).
    public func deletionBeats(_ random: [RandomOrderEvaluation]) -> Int {
        random.filter { faithfulness.deletion.auc < $0.evaluation.deletion.auc }.count
    }

    /// How many of the random orders the method's insertion AUC is above (better than).
    public func insertionBeats(_ random: [RandomOrderEvaluation]) -> Int {
        random.filter { faithfulness.insertion.auc > $0.evaluation.insertion.auc }.count
    }
}

/// The evaluation of several explainers of one prediction (`docs/analyses.md` §7): faithfulness against seeded
/// random orders, agreement, consensus and stability.
public struct ExplanationEvaluation: Sendable, Equatable {
    public let parameters: EvaluationParameters
    public let target: GradientTarget
    public let tokens: [Int]
    /// `f(E)` and `f(E')` (the all-baseline input), from the curves' end passes.
    public let value: Double
    public let baselineValue: Double
    public let methods: [MethodEvaluation]
    public let random: [RandomOrderEvaluation]
    public let agreement: Agreement
    public let stability: Stability
    /// The forward (and backward) passes the evaluation ran, equal curve inputs counted once.
    public let passes: Int

    public func method(_ m: EvaluationMethod) -> MethodEvaluation? { methods.first { $0.method == m } }

    /// The mean of the random orders' deletion and insertion AUCs.
    public var randomDeletionMean: Double {
        random.reduce(0) { $0 + $1.evaluation.deletion.auc } / Double(max(1, random.count))
    }
    public var randomInsertionMean: Double {
        random.reduce(0) { $0 + $1.evaluation.insertion.auc } / Double(max(1, random.count))
    }
}

/// Where a running evaluation is: passes done of the total, and the stage.
public struct EvaluationProgress: Sendable, Equatable {
    public enum Stage: String, Sendable, Equatable {
        case scores, curves, noise, variant
    }
    public let done: Int
    public let total: Int
    public let stage: Stage
}
