import Foundation

/// A golden forward-pass file written by `tools/references/make_fixtures.py`: float64 reference values of one fixture
/// model.
public struct GoldenForward: Decodable {
    /// Model dimensions as the script saw them.
    public struct Config: Decodable {
        public let nLayers: Int, dModel: Int, nHeads: Int, nKvHeads: Int, headDim: Int, ffn: Int, vocab: Int

        enum CodingKeys: String, CodingKey {
            case nLayers = "n_layers"
            case dModel = "d_model"
            case nHeads = "n_heads"
            case nKvHeads = "n_kv_heads"
            case headDim = "head_dim"
            case ffn, vocab
        }
    }

    /// One prompt's recorded tensors, each flattened row-major; shapes are given in the comments.
    public struct Prompt: Decodable {
        public let text: String
        public let ids: [Int]
        /// `[n, V]`
        public let logits: [Double]
        /// `[L][n, d]` each. `residualMid = residualPre + attentionOutput` and `residualPost = residualMid + mlpOutput`
        /// are not stored (the script asserts those identities); they are rebuilt here in Double.
        public let residualPre: [[Double]], residualMid: [[Double]], residualPost: [[Double]]
        public let attentionOutput: [[Double]], mlpOutput: [[Double]]
        /// `[L][H, n, n]`
        public let attentions: [[Double]]
        /// `[L][n, ffn]`
        public let ffnPre: [[Double]], ffnPost: [[Double]]
        /// `[L][n, kvHeads·headDim]`
        public let values: [[Double]]
        /// `[n, d]`
        public let finalNormed: [Double]

        enum CodingKeys: String, CodingKey {
            case text, ids, logits, attentions, values
            case residualPre = "residual_pre"
            case attentionOutput = "attn_output"
            case mlpOutput = "mlp_output"
            case ffnPre = "ffn_pre"
            case ffnPost = "ffn_post"
            case finalNormed = "final_normed"
        }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            text = try c.decode(String.self, forKey: .text)
            ids = try c.decode([Int].self, forKey: .ids)
            func matrix(_ key: CodingKeys) throws -> [Double] {
                try c.decode([[Double]].self, forKey: key).flatMap { $0 }
            }
            func perLayer(_ key: CodingKeys) throws -> [[Double]] {
                try c.decode([[[Double]]].self, forKey: key).map { $0.flatMap { $0 } }
            }
            logits = try matrix(.logits)
            finalNormed = try matrix(.finalNormed)
            residualPre = try perLayer(.residualPre)
            attentionOutput = try perLayer(.attentionOutput)
            mlpOutput = try perLayer(.mlpOutput)
            residualMid = zip(residualPre, attentionOutput).map { pre, out in zip(pre, out).map { $0 + $1 } }
            residualPost = zip(residualMid, mlpOutput).map { mid, out in zip(mid, out).map { $0 + $1 } }
            ffnPre = try perLayer(.ffnPre)
            ffnPost = try perLayer(.ffnPost)
            values = try perLayer(.values)
            attentions = try c.decode([[[[Double]]]].self, forKey: .attentions).map { $0.flatMap { $0.flatMap { $0 } } }
        }
    }

    public let model: String
    public let config: Config
    public let prompts: [Prompt]

    /// Loads `Tests/Fixtures/golden/<model>.json`.
    public static func load(_ model: String) throws -> GoldenForward {
        try JSONDecoder().decode(GoldenForward.self, from: Data(contentsOf: Fixtures.golden(model + ".json")))
    }
}
