import Foundation

/// The scalar `f` a backward pass differentiates (analyses.md §6): a logit, a log-probability, or the contrast of
/// two logits, of the next-token distribution after one position. Soft-capped models use the capped logits.
public struct GradientTarget: Sendable, Equatable {
    /// What `f` is of the token.
    public enum Objective: String, Sendable, Equatable, CaseIterable {
        /// `f = z_token`.
        case logit
        /// `f = log softmax(z)_token`.
        case logprob
    }

    /// Position whose next-token logits hold the target.
    public var position: Int
    /// The token `y` (or `a` of a contrast).
    public var token: Int
    public var objective: Objective
    /// With a contrast token `b`, `f = z_token − z_b` ("why `token` rather than `b`"; the same for both objectives,
    /// since log-probabilities differ by the logits' difference).
    public var contrast: Int?

    public init(position: Int, token: Int, objective: Objective = .logit, contrast: Int? = nil) {
        self.position = position
        self.token = token
        self.objective = objective
        self.contrast = contrast
    }

    /// Throws unless the position is inside `tokens` and the tokens inside the vocabulary and distinct.
    public func validate(tokens: Int, vocabSize: Int) throws {
        guard position >= 0 && position < tokens else {
            throw TransformerError("target position \(position) is outside the prompt (0..<\(tokens))")
        }
        guard token >= 0 && token < vocabSize else {
            throw TransformerError("target token \(token) is outside the vocabulary (0..<\(vocabSize))")
        }
        if let contrast {
            guard contrast >= 0 && contrast < vocabSize else {
                throw TransformerError("contrast token \(contrast) is outside the vocabulary (0..<\(vocabSize))")
            }
            guard contrast != token else {
                throw TransformerError("the contrast token is the target token (\(token)): f would be 0")
            }
        }
    }

    /// `f` of one row of logits `z` (`[V]`, capped where the model caps), in Double.
    public func value(logits z: UnsafeBufferPointer<Float>) -> Double {
        if let contrast { return Double(z[token]) - Double(z[contrast]) }
        switch objective {
        case .logit: return Double(z[token])
        case .logprob: return Double(z[token]) - logSumExp(z)
        }
    }

    /// `∂f/∂z` into `gradient` (`[V]`).
    func logitGradient(logits z: UnsafeBufferPointer<Float>, into gradient: UnsafeMutableBufferPointer<Float>) {
        if let contrast {
            gradient.update(repeating: 0)
            gradient[token] = 1
            gradient[contrast] = -1
            return
        }
        switch objective {
        case .logit:
            gradient.update(repeating: 0)
            gradient[token] = 1
        case .logprob:
            let normalizer = logSumExp(z)
            for i in 0..<z.count { gradient[i] = -Float(Foundation.exp(Double(z[i]) - normalizer)) }
            gradient[token] += 1
        }
    }

    private func logSumExp(_ z: UnsafeBufferPointer<Float>) -> Double {
        let maximum = Double(z.max() ?? 0)
        var sum = 0.0
        for value in z { sum += Foundation.exp(Double(value) - maximum) }
        return maximum + Foundation.log(sum)
    }
}
