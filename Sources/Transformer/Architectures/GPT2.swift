import ModelFormats
import Tensors

/// GPT-2 (`GPT2LMHeadModel`, `model_type: gpt2`): learned positions, pre-LayerNorm blocks, fused `c_attn`,
/// Conv1D weights stored `[in, out]`, GELU (tanh) MLP, LM head tied to the token embedding.
///
/// Ported from the structure of transformers' `modeling_gpt2.py`. Tensor names may carry the `transformer.` prefix
/// (`save_pretrained`) or not (the original hub files); both load. `attn.bias` / `attn.masked_bias` mask buffers
/// of old files are ignored.
enum GPT2 {
    /// The config.json keys GPT-2 reads.
    struct Configuration {
        let layers: Int
        let dModel: Int
        let heads: Int
        let contextLength: Int
        let vocabSize: Int
        let ffnDim: Int
        let eps: Double
        let activation: Activation
        let tied: Bool
        /// `scale_attn_weights`: divide scores by √headDim (true in every released GPT-2).
        let scaleAttention: Bool

        init(_ config: JSONConfig) throws {
            layers = try config.positiveInt("n_layer")
            dModel = try config.positiveInt("n_embd")
            heads = try config.positiveInt("n_head")
            contextLength = try config.positiveInt("n_positions")
            vocabSize = try config.positiveInt("vocab_size")
            ffnDim = try config.positiveInt("n_inner", default: 4 * dModel)
            eps = try config.double("layer_norm_epsilon", default: 1e-5)
            activation = try Activations.named(
                config.string("activation_function", default: "gelu_new") ?? "gelu_new",
                key: "activation_function", path: config.path)
            tied = try config.bool("tie_word_embeddings", default: true)
            scaleAttention = try config.bool("scale_attn_weights", default: true)
            guard dModel % heads == 0 else {
                throw ModelFormatError(path: config.path, "n_embd \(dModel) is not a multiple of n_head \(heads)")
            }
            if try config.bool("scale_attn_by_inverse_layer_idx", default: false) {
                throw ModelFormatError(path: config.path, "scale_attn_by_inverse_layer_idx = true is not supported")
            }
        }
    }

    static func load(
        config json: JSONConfig, checkpoint: SafetensorsCheckpoint, format: WeightFormat
    ) throws -> DecoderModel {
        let c = try Configuration(json)
        let prefix = checkpoint.contains("transformer.wte.weight") ? "transformer." : ""
        let reader = CheckpointReader(checkpoint: checkpoint, prefix: prefix, format: format)
        let d = c.dModel, headDim = c.dModel / c.heads

        let tokenEmbedding = try reader.matrix("wte.weight", [c.vocabSize, d])
        let positionEmbedding = try reader.tensor("wpe.weight", [c.contextLength, d])
        var layers: [DecoderLayer] = []
        for i in 0..<c.layers {
            let p = "h.\(i)."
            func norm(_ name: String) throws -> Norm {
                Norm(
                    kind: .layerNorm, weight: try reader.tensor(p + name + ".weight", [d]),
                    bias: try reader.tensor(p + name + ".bias", [d]), eps: c.eps)
            }
            func conv1D(_ name: String, in inF: Int, out outF: Int) throws -> Linear {
                Linear(
                    weight: try reader.tensor(p + name + ".weight", [inF, outF]),
                    bias: try reader.tensor(p + name + ".bias", [outF]), layout: .inOut,
                    inFeatures: inF, outFeatures: outF)
            }
            // c_attn is [d, 3d]: output columns [0, d) are q, [d, 2d) k, [2d, 3d) v.
            let fused = try reader.tensor(p + "attn.c_attn.weight", [d, 3 * d])
            let fusedBias = try reader.tensor(p + "attn.c_attn.bias", [3 * d])
            func part(_ j: Int) -> Linear {
                var w = [Float](repeating: 0, count: d * d)
                for row in 0..<d {
                    w[(row * d)..<((row + 1) * d)] = fused[(row * 3 * d + j * d)..<(row * 3 * d + (j + 1) * d)]
                }
                return Linear(
                    weight: w, bias: Array(fusedBias[(j * d)..<((j + 1) * d)]), layout: .inOut,
                    inFeatures: d, outFeatures: d)
            }
            let attention = AttentionBlock(
                query: part(0), key: part(1), value: part(2),
                output: try conv1D("attn.c_proj", in: d, out: d), heads: c.heads,
                kvHeads: c.heads, headDim: headDim,
                scale: c.scaleAttention ? 1 / Float(headDim).squareRoot() : 1, rope: nil)
            let ffn = FeedForward(
                up: try conv1D("mlp.c_fc", in: d, out: c.ffnDim), gate: nil,
                down: try conv1D("mlp.c_proj", in: c.ffnDim, out: d), activation: c.activation)
            layers.append(
                DecoderLayer(
                    inputNorm: try norm("ln_1"), attention: attention, ffnNorm: try norm("ln_2"),
                    ffn: ffn))
        }
        let finalNorm = Norm(
            kind: .layerNorm, weight: try reader.tensor("ln_f.weight", [d]),
            bias: try reader.tensor("ln_f.bias", [d]), eps: c.eps)
        // lm_head lives outside the `transformer.` prefix.
        let untiedHead =
            c.tied
            ? nil
            : try CheckpointReader(checkpoint: checkpoint, prefix: "", format: format)
                .matrix("lm_head.weight", [c.vocabSize, d])
        let lmHead = Linear(
            weight: untiedHead ?? tokenEmbedding, bias: nil, layout: .outIn, inFeatures: d,
            outFeatures: c.vocabSize)
        let counts = DecoderModel.parameterCounts(
            tokenEmbedding: tokenEmbedding, positionEmbedding: positionEmbedding,
            layers: layers, finalNorm: finalNorm, lmHead: lmHead,
            tied: untiedHead == nil)
        let info = ModelInfo(
            architecture: "GPT2LMHeadModel", modelType: "gpt2", layers: c.layers, dModel: d,
            heads: c.heads, kvHeads: c.heads, headDim: headDim, ffnDim: c.ffnDim,
            vocabSize: c.vocabSize, contextLength: c.contextLength, parameters: counts.total,
            nonEmbeddingParameters: counts.nonEmbedding, tiedEmbeddings: untiedHead == nil)
        return DecoderModel(
            info: info, tokenEmbedding: tokenEmbedding, positionEmbedding: positionEmbedding,
            embeddingScale: nil, layers: layers, finalNorm: finalNorm, lmHead: lmHead,
            logitSoftcap: nil)
    }
}
