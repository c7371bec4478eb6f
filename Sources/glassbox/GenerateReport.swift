import Tokenizers
import Transformer

/// What `glassbox generate --json` prints.
struct GenerateReport: Encodable {
    struct Token: Encodable {
        let id: Int
        let text: String
    }

    struct Candidate: Encodable {
        let id: Int
        let text: String
        let logit: Float
        let probability: Double
        let sampledProbability: Double
        let chosen: Bool

        enum CodingKeys: String, CodingKey {
            case id, text, logit, probability, chosen
            case sampledProbability = "sampled_probability"
        }
    }

    struct Step: Encodable {
        let id: Int
        let text: String
        let display: String
        let position: Int
        let uniform: Double?
        let top: [Candidate]
    }

    struct Sampling: Encodable {
        let greedy: Bool
        let temperature: Double
        let topK: Int
        let topP: Double
        let repetitionPenalty: Double
        let seed: UInt64
        let maxNewTokens: Int
        let stop: [String]
        let eosTokenIDs: [Int]

        enum CodingKeys: String, CodingKey {
            case greedy, temperature, seed, stop
            case topK = "top_k"
            case topP = "top_p"
            case repetitionPenalty = "repetition_penalty"
            case maxNewTokens = "max_new_tokens"
            case eosTokenIDs = "eos_token_ids"
        }
    }

    let model: String
    let prompt: String
    let promptTokens: [Token]
    let generated: [Step]
    let text: String
    let stopReason: String
    let sampling: Sampling

    enum CodingKeys: String, CodingKey {
        case model, prompt, generated, text, sampling
        case promptTokens = "prompt_tokens"
        case stopReason = "stop_reason"
    }

    init(
        model: String, prompt: String, generation: Generation, options: GenerationOptions, tokenizer: any Tokenizer
    ) {
        self.model = model
        self.prompt = prompt
        promptTokens = generation.promptIDs.map { Token(id: $0, text: tokenizer.displayString(for: $0)) }
        generated = generation.tokens.map { token in
            Step(
                id: token.id, text: token.text, display: tokenizer.displayString(for: token.id),
                position: token.position, uniform: token.uniform,
                top: token.candidates.map {
                    Candidate(
                        id: $0.id, text: tokenizer.displayString(for: $0.id), logit: $0.logit,
                        probability: $0.probability, sampledProbability: $0.sampledProbability, chosen: $0.chosen)
                })
        }
        text = generation.text
        stopReason = generation.stopReason.rawValue
        let s = options.sampling
        sampling = Sampling(
            greedy: s.greedy, temperature: s.temperature, topK: s.topK, topP: s.topP,
            repetitionPenalty: s.repetitionPenalty, seed: s.seed, maxNewTokens: options.maxNewTokens,
            stop: options.stopStrings, eosTokenIDs: options.endOfSequenceIDs)
    }
}
