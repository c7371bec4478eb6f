import Foundation
import Tokenizers
import Transformer

/// What `glassbox run` prints: as text for people, or as one stable JSON object for scripts.
struct RunReport: Encodable {
    struct Token: Encodable {
        let id: Int
        let text: String
    }

    struct Prediction: Encodable {
        let id: Int
        let text: String
        let logit: Float
        let probability: Double
    }

    struct Model: Encodable {
        let path: String
        let architecture: String
        let modelType: String
        let layers: Int
        let dModel: Int
        let heads: Int
        let kvHeads: Int
        let vocabSize: Int
        let contextLength: Int
        let parameters: Int

        enum CodingKeys: String, CodingKey {
            case path, architecture, layers, heads, parameters
            case modelType = "model_type"
            case dModel = "d_model"
            case kvHeads = "kv_heads"
            case vocabSize = "vocab_size"
            case contextLength = "context_length"
        }
    }

    let model: Model
    let tokens: [Token]
    let top: [Prediction]

    init(info: ModelInfo, path: String, ids: [Int], tokenizer: any Tokenizer, top: [NextTokenPrediction]) {
        model = Model(
            path: path, architecture: info.architecture, modelType: info.modelType, layers: info.layers,
            dModel: info.dModel, heads: info.heads, kvHeads: info.kvHeads, vocabSize: info.vocabSize,
            contextLength: info.contextLength, parameters: info.parameters)
        tokens = ids.map { Token(id: $0, text: tokenizer.decode([$0])) }
        self.top = top.map {
            Prediction(
                id: $0.id, text: tokenizer.decode([$0.id]), logit: $0.logit,
                probability: $0.probability)
        }
        displayTokens = ids.map { tokenizer.displayString(for: $0) }
        displayTop = top.map { tokenizer.displayString(for: $0.id) }
    }

    private let displayTokens: [String]
    private let displayTop: [String]

    enum CodingKeys: String, CodingKey { case model, tokens, top }

    func json() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }

    func text() -> String {
        var lines: [String] = []
        let m = model
        lines.append(
            "\(m.architecture) (\(m.modelType)): \(m.layers) layers, d_model \(m.dModel), \(m.heads) heads"
                + (m.kvHeads != m.heads ? " (\(m.kvHeads) KV)" : "") + ", vocab \(m.vocabSize), "
                + "\(m.parameters) parameters")
        lines.append("\(tokens.count) tokens:")
        for (i, t) in tokens.enumerated() {
            lines.append(String(format: "  %4d  %7d  ", i, t.id) + displayTokens[i])
        }
        lines.append("top \(top.count) next tokens:")
        lines.append("  rank       id      logit  probability  token")
        for (i, p) in top.enumerated() {
            lines.append(
                String(format: "  %4d  %7d  %9.4f  %11.6f  ", i + 1, p.id, p.logit, p.probability)
                    + displayTop[i])
        }
        return lines.joined(separator: "\n")
    }
}
