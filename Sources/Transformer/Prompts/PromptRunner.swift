import Tokenizers

/// The one path from a prompt's text to a trace: tokenize, refuse an empty or too long prompt, run the traced
/// forward pass, read the predictions. The run service, reports, comparisons and every CLI command go through it,
/// so "too long" means the same everywhere.
public struct PromptRunner: Sendable {
    public let model: DecoderModel
    public let tokenizer: any Tokenizer
    /// The most tokens a prompt may have: the caller's limit (a server's `limits.max_prompt_tokens`) and the
    /// model's context, whichever is smaller.
    public let tokenLimit: Int

    /// `maxTokens` nil: the model's context is the only limit.
    public init(model: DecoderModel, tokenizer: any Tokenizer, maxTokens: Int? = nil) {
        self.model = model
        self.tokenizer = tokenizer
        tokenLimit = min(maxTokens ?? Int.max, model.info.contextLength)
    }

    /// The prompt's token ids, checked against the limits.
    public func tokenize(_ prompt: String) throws(PromptError) -> [Int] {
        let ids: [Int]
        do { ids = try tokenizer.encode(prompt) } catch { throw .unencodable("\(error)") }
        guard !ids.isEmpty else { throw .empty }
        guard ids.count <= tokenLimit else { throw .tooLong(tokens: ids.count, limit: tokenLimit) }
        return ids
    }

    /// The traced forward pass of `prompt`.
    public func run(_ prompt: String, options: ForwardOptions = ForwardOptions()) throws -> PromptRun {
        try run(ids: try tokenize(prompt), options: options)
    }

    /// The traced forward pass of token ids already checked by `tokenize`.
    public func run(ids: [Int], options: ForwardOptions = ForwardOptions()) throws -> PromptRun {
        PromptRun(ids: ids, trace: try model.forward(tokens: ids, options: options))
    }
}

/// One prompt's forward pass: its token ids and trace.
public struct PromptRun: Sendable {
    public let ids: [Int]
    public let trace: Trace

    /// The top `k` next tokens after the last position (the trace keeps that position's logits).
    public func predictions(k: Int) -> [NextTokenPrediction] {
        NextTokenPrediction.top(trace.logits(at: ids.count - 1) ?? [], k: k)
    }
}
