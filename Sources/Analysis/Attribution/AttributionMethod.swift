/// The gradient and perturbation explainers of analyses.md §6, by the names the CLI and the API use.
public enum AttributionMethod: String, Sendable, Equatable, CaseIterable {
    /// `‖∂f/∂e_t‖` (L2, or L1 with `AttributionNorm.l1`).
    case saliency
    /// `Σ_j (∂f/∂e_t)_j · e_{t,j}`.
    case gradxinput
    /// Integrated gradients from a baseline, midpoint rule with `m` steps, with the completeness gap.
    case ig
    /// Leave one out: `f(E) − f(E with row t replaced by the baseline row)`; forward passes only.
    case occlusion
    /// `Σ_l Σ_q mean_h ReLU(A[l,h][q,t] · ∂f/∂A[l,h][q,t])`, with the per-layer maps.
    case attentionGradient = "attention-gradient"
    /// `‖∂f/∂x_t‖₂` at every residual point (`pre`, `mid`, `post` of each layer); its scores are those of `pre(0)`.
    case gradientFlow = "gradient-flow"

    /// Whether the method runs a backward pass (occlusion does not).
    public var usesGradients: Bool { self != .occlusion }

    /// Every name, for error messages.
    public static var names: String { allCases.map(\.rawValue).joined(separator: ", ") }
}

/// The norm saliency takes of each position's gradient.
public enum AttributionNorm: String, Sendable, Equatable, CaseIterable {
    case l2, l1
}

/// What replaces an input embedding row in integrated gradients and occlusion.
public enum AttributionBaseline: Sendable, Equatable, CustomStringConvertible {
    /// The zero vector at every position.
    case zero
    /// The input embedding of one token at every position (the CLI's `pad` and `unk` resolve to their ids).
    case token(Int)

    public var description: String {
        switch self {
        case .zero: return "zero"
        case .token(let id): return "token:\(id)"
        }
    }
}

/// How a method runs: integrated-gradient steps, the baseline, the saliency norm.
public struct AttributionParameters: Sendable, Equatable {
    public var method: AttributionMethod
    /// Integrated gradients' `m` (1…1024; default 32).
    public var steps: Int
    public var baseline: AttributionBaseline
    public var norm: AttributionNorm

    public static let stepRange = 1...1024

    /// The passes the method runs on a prompt of `n` tokens, as its progress counts them: integrated gradients
    /// `m` interpolations plus `f(E)` and `f(E')`, occlusion one per position plus the two ends, one otherwise.
    public func passCount(tokens n: Int) -> Int {
        switch method {
        case .ig: return steps + 2
        case .occlusion: return n + 2
        default: return 1
        }
    }

    public init(
        method: AttributionMethod, steps: Int = 32, baseline: AttributionBaseline = .zero,
        norm: AttributionNorm = .l2
    ) {
        self.method = method
        self.steps = steps
        self.baseline = baseline
        self.norm = norm
    }
}
