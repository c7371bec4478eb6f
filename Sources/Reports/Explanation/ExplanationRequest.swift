import Analysis
import Transformer

/// What to explain and how: the prompt, the target (as `glassbox attribute` and the attribution API name it), the
/// evaluation's parameters, and optionally a variant prompt with the same token count.
public struct ExplanationRequest: Sendable, Equatable {
    public var prompt: String
    /// `top`, an id or a one-token text.
    public var target: TargetTokenSpec
    /// Position whose next token is explained; negative counts from the end (-1: the last).
    public var position: Int
    public var objective: GradientTarget.Objective
    public var contrast: TargetTokenSpec?
    public var parameters: EvaluationParameters
    /// Another prompt with as many tokens as `prompt`, for stability.
    public var variant: String?

    public init(
        prompt: String, target: TargetTokenSpec = .top, position: Int = -1,
        objective: GradientTarget.Objective = .logit, contrast: TargetTokenSpec? = nil,
        parameters: EvaluationParameters = EvaluationParameters(), variant: String? = nil
    ) {
        self.prompt = prompt
        self.target = target
        self.position = position
        self.objective = objective
        self.contrast = contrast
        self.parameters = parameters
        self.variant = variant
    }
}
