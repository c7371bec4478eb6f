import Foundation
import Tensors
import Tokenizers

/// What to generate and when to stop.
public struct GenerationOptions: Sendable, Equatable {
    /// Most tokens to generate (at least 1; the prompt plus these must fit the context).
    public var maxNewTokens: Int
    public var sampling: SamplingParameters
    /// Texts that end generation when the continuation contains one (the text ends before it).
    public var stopStrings: [String]
    /// Ids that end generation when generated (the model's end-of-sequence ids: `EndOfSequence.ids`).
    public var endOfSequenceIDs: [Int]
    /// Candidates recorded per step (the most probable by the model's logits).
    public var candidates: Int
    /// Workers of the pool the passes split over.
    public var workers: Int
    /// Most prompt tokens run in one pass when the prompt is read (longer prompts are read in chunks).
    public var prefillChunk: Int

    public init(
        maxNewTokens: Int = 32, sampling: SamplingParameters = SamplingParameters(), stopStrings: [String] = [],
        endOfSequenceIDs: [Int] = [], candidates: Int = 10, workers: Int = 1, prefillChunk: Int = 512
    ) {
        self.maxNewTokens = maxNewTokens
        self.sampling = sampling
        self.stopStrings = stopStrings
        self.endOfSequenceIDs = endOfSequenceIDs
        self.candidates = candidates
        self.workers = workers
        self.prefillChunk = prefillChunk
    }
}

/// Continues a prompt token by token: the prompt is read once into a KV cache, then each step samples a token
/// (`SamplingParameters`) and runs only that token through the model (`DecoderModel.decode`).
public struct TextGenerator: Sendable {
    public let model: DecoderModel
    public let tokenizer: any Tokenizer

    public init(model: DecoderModel, tokenizer: any Tokenizer) {
        self.model = model
        self.tokenizer = tokenizer
    }

    /// Checks `options` for a prompt of `promptTokens` tokens, naming the first bad value.
    public func validate(_ options: GenerationOptions, promptTokens: Int) throws(GenerationError) {
        try options.sampling.validate()
        guard options.maxNewTokens >= 1 else {
            throw .invalid("max_new_tokens", "must be at least 1, got \(options.maxNewTokens)")
        }
        let context = model.info.contextLength
        guard promptTokens + options.maxNewTokens <= context else {
            throw .invalid(
                "max_new_tokens",
                "\(options.maxNewTokens) after a prompt of \(promptTokens) tokens passes the model's context of "
                    + "\(context) tokens (at most \(max(0, context - promptTokens)))")
        }
        guard options.candidates >= 0 else {
            throw .invalid("candidates", "must be 0 or more, got \(options.candidates)")
        }
        guard options.prefillChunk >= 1 else {
            throw .invalid("prefill_chunk", "must be at least 1, got \(options.prefillChunk)")
        }
    }

    /// Generates after `promptIDs`, calling `onToken` with each token as soon as it is chosen (before the next pass);
    /// `onToken` returning false stops generation there (`StopReason.cancelled`).
    public func generate(
        promptIDs: [Int], options: GenerationOptions, onToken: (GeneratedToken) -> Bool = { _ in true }
    ) throws -> Generation {
        guard !promptIDs.isEmpty else { throw TransformerError("the prompt has no tokens: nothing to continue") }
        try validate(options, promptTokens: promptIDs.count)
        let workspace = DecodeWorkspace(workers: options.workers)
        var cache = model.makeCache()
        var logits: [Float] = []
        for start in stride(from: 0, to: promptIDs.count, by: options.prefillChunk) {
            let end = min(promptIDs.count, start + options.prefillChunk)
            logits = try model.decode(
                tokens: Array(promptIDs[start..<end]), cache: &cache, logits: end == promptIDs.count ? .last : .none,
                workers: options.workers, workspace: workspace)
        }

        let sampling = options.sampling
        var random = SplitMix64(seed: sampling.seed)
        var sequence = promptIDs
        var text = ContinuationText(tokenizer: tokenizer, promptIDs: promptIDs, stopStrings: options.stopStrings)
        var tokens: [GeneratedToken] = []
        let endOfSequence = Set(options.endOfSequenceIDs)
        var reason = StopReason.maxNewTokens
        for step in 0..<options.maxNewTokens {
            let penalized = Sampling.penalized(logits, seen: sequence, penalty: sampling.repetitionPenalty)
            let id: Int, uniform: Double?, distribution: SamplingDistribution?
            if sampling.greedy {
                (id, uniform, distribution) = (Sampling.argmax(penalized), nil, nil)
            } else {
                let filtered = SamplingDistribution(
                    logits: penalized, temperature: sampling.temperature, topK: sampling.topK, topP: sampling.topP)
                let u = random.nextUniform()
                (id, uniform, distribution) = (filtered.sample(uniform: u), u, filtered)
            }
            let ended = endOfSequence.contains(id)
            var piece = ended ? "" : text.append(id)
            if ended {
                reason = .endOfSequence
            } else if text.stopped {
                reason = .stopString
            }
            let last = ended || text.stopped || step == options.maxNewTokens - 1
            if last { piece += text.finish() }
            let token = GeneratedToken(
                id: id, text: piece, position: sequence.count, uniform: uniform,
                candidates: Self.candidates(
                    logits, chosen: id, count: options.candidates,
                    sampled: { candidate in distribution?.probability(of: candidate) ?? (candidate == id ? 1 : 0) }))
            tokens.append(token)
            sequence.append(id)
            if !onToken(token), !last {
                reason = .cancelled
                break
            }
            if last { break }
            logits = try model.decode(
                tokens: [id], cache: &cache, logits: .last, workers: options.workers, workspace: workspace)
        }
        return Generation(promptIDs: promptIDs, tokens: tokens, text: text.text, stopReason: reason)
    }

    /// The `count` most probable tokens of the raw `logits` and the chosen one, with the model's and the sampled
    /// probabilities.
    static func candidates(
        _ logits: [Float], chosen: Int, count: Int, sampled: (Int) -> Double
    ) -> [GeneratedToken.Candidate] {
        var top = NextTokenPrediction.top(logits, k: count)
        if !top.contains(where: { $0.id == chosen }) {
            let maximum = Double(logits.max() ?? 0)
            let total = logits.withUnsafeBufferPointer {
                NextTokenPrediction.softmaxDenominator($0, maximum: maximum)
            }
            top.append(
                NextTokenPrediction(
                    id: chosen, logit: logits[chosen], probability: exp(Double(logits[chosen]) - maximum) / total))
        }
        return top.map {
            GeneratedToken.Candidate(
                id: $0.id, logit: $0.logit, probability: $0.probability, sampledProbability: sampled($0.id),
                chosen: $0.id == chosen)
        }
    }
}
