public import Transformer

/// One explainer's answer for one run and target: a score per position, and what the method adds (the completeness
/// gap of integrated gradients, the gradient-flow map, the attention × gradient maps).
public struct Attribution: Sendable, Equatable {
    public let parameters: AttributionParameters
    public let target: GradientTarget
    /// `f` of the run.
    public let value: Double
    /// One score per position (Double reductions).
    public let scores: [Double]
    /// Integrated gradients and occlusion: `f` at the all-baseline input.
    public let baselineValue: Double?
    /// Integrated gradients: `Σ_t IG_t − (f(E) − f(E'))`.
    public let completenessGap: Double?
    /// Gradient flow: `‖∂f/∂x_t‖₂` per layer and position at `pre`, `mid` and `post`, `[L][n]` each.
    public let flow: GradientFlowMap?
    /// Attention × gradient: `R[l][q, k]`, `[L][n·n]`.
    public let attentionMaps: [[Double]]?

    /// The gap relative to `|f(E) − f(E')|` (nil without a gap, infinite when `f` did not move).
    public var relativeCompletenessGap: Double? {
        guard let completenessGap, let baselineValue else { return nil }
        let moved = abs(value - baselineValue)
        return moved == 0 ? (completenessGap == 0 ? 0 : .infinity) : abs(completenessGap) / moved
    }

    init(
        parameters: AttributionParameters, target: GradientTarget, value: Double, scores: [Double],
        baselineValue: Double? = nil, completenessGap: Double? = nil, flow: GradientFlowMap? = nil,
        attentionMaps: [[Double]]? = nil
    ) {
        self.parameters = parameters
        self.target = target
        self.value = value
        self.scores = scores
        self.baselineValue = baselineValue
        self.completenessGap = completenessGap
        self.flow = flow
        self.attentionMaps = attentionMaps
    }
}

/// `‖∂f/∂x_t‖₂` at the residual points the lens uses, `[L][n]` each, and per layer the sum over positions.
public struct GradientFlowMap: Sendable, Equatable {
    public let pre: [[Double]]
    public let mid: [[Double]]
    public let post: [[Double]]

    /// Per layer, the sum over positions of each point.
    public var layerSums: (pre: [Double], mid: [Double], post: [Double]) {
        (pre.map { $0.reduce(0, +) }, mid.map { $0.reduce(0, +) }, post.map { $0.reduce(0, +) })
    }
}
