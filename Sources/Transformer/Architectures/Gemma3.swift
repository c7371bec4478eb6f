import Foundation
import ModelFormats
import Tensors

/// Gemma 3 text models (`Gemma3ForCausalLM`, `model_type: gemma3_text`) from Hugging Face safetensors.
///
/// Ported from the structure of transformers' `modeling_gemma3.py` (see `docs/models.md` §4): embeddings
/// scaled by √d; RMSNorm with `(1 + w)` weights; per-head RMSNorm of queries and keys before RoPE; sandwich norms
/// on both branch outputs; GeGLU (tanh GELU on the gate); grouped-query attention with `head_dim ≠ d/H` and the
/// scale `query_pre_attn_scalar^-½`; sliding-window layers with their own RoPE base; a tied, unscaled LM head with
/// an optional final soft-cap.
enum Gemma3 {
    /// The config.json keys Gemma 3 reads, in the transformers 5 layout (`layer_types`, per-type `rope_parameters`)
    /// or the transformers 4 one (`sliding_window_pattern`, `rope_theta`, `rope_local_base_freq`, `rope_scaling`).
    struct Configuration {
        /// `gemma3_text` (HF) or `gemma3` (GGUF `general.architecture`).
        let modelType: String
        let layers: Int
        let dModel: Int
        let heads: Int
        let kvHeads: Int
        let headDim: Int
        let ffnDim: Int
        let vocabSize: Int
        let contextLength: Int
        let eps: Double
        let activation: Activation
        let attentionScale: Float
        let attentionBias: Bool
        let window: Int
        let sliding: [Bool]
        let global: (base: Double, scaling: RoPEScaling)
        let local: (base: Double, scaling: RoPEScaling)
        let finalSoftcap: Float?
        let tied: Bool

        init(_ config: JSONConfig) throws {
            modelType = "gemma3_text"
            layers = try config.positiveInt("num_hidden_layers")
            dModel = try config.positiveInt("hidden_size")
            heads = try config.positiveInt("num_attention_heads")
            kvHeads = try config.positiveInt("num_key_value_heads", default: heads)
            headDim = try config.positiveInt("head_dim", default: 256)
            ffnDim = try config.positiveInt("intermediate_size")
            vocabSize = try config.positiveInt("vocab_size")
            contextLength = try config.positiveInt("max_position_embeddings")
            eps = try config.double("rms_norm_eps", default: 1e-6)
            let activationName =
                try config.string("hidden_activation", default: nil)
                ?? config.string("hidden_act", default: "gelu_pytorch_tanh") ?? "gelu_pytorch_tanh"
            activation = try Activations.named(activationName, key: "hidden_activation", path: config.path)
            let scalar = try config.double("query_pre_attn_scalar", default: Double(headDim))
            guard scalar > 0 else {
                throw ModelFormatError(path: config.path, "query_pre_attn_scalar must be positive, found \(scalar)")
            }
            attentionScale = Float(1 / scalar.squareRoot())
            attentionBias = try config.bool("attention_bias", default: false)
            window = try config.positiveInt("sliding_window", default: 4096)
            tied = try config.bool("tie_word_embeddings", default: true)
            guard heads % kvHeads == 0 else {
                throw ModelFormatError(
                    path: config.path,
                    "num_attention_heads \(heads) is not a multiple of num_key_value_heads \(kvHeads)")
            }
            guard headDim % 2 == 0 else {
                throw ModelFormatError(path: config.path, "head_dim \(headDim) must be even for RoPE")
            }
            if config.has("attn_logit_softcapping") {
                throw ModelFormatError(
                    path: config.path,
                    "attn_logit_softcapping is not supported for gemma3_text "
                        + "(Gemma 3 checkpoints set it to null)")
            }
            finalSoftcap =
                try config.has("final_logit_softcapping")
                ? Float(config.double("final_logit_softcapping")) : nil
            if let cap = finalSoftcap, !(cap > 0) {
                throw ModelFormatError(path: config.path, "final_logit_softcapping must be positive, found \(cap)")
            }

            if let types = try config.strings("layer_types") {
                guard types.count == layers else {
                    throw ModelFormatError(
                        path: config.path, "layer_types has \(types.count) entries for \(layers) layers")
                }
                sliding = try types.map { type in
                    switch type {
                    case "sliding_attention": return true
                    case "full_attention": return false
                    default: throw ModelFormatError(path: config.path, "layer_types: unknown layer type \"\(type)\"")
                    }
                }
            } else {
                let pattern = try config.positiveInt("sliding_window_pattern", default: 6)
                sliding = (0..<layers).map { ($0 + 1) % pattern != 0 }
            }

            if let parameters = try config.object("rope_parameters"),
                parameters.has("full_attention") || parameters.has("sliding_attention")
            {
                func perType(_ key: String, _ base: Double) throws -> (base: Double, scaling: RoPEScaling) {
                    guard let object = try parameters.object(key) else { return (base, .none) }
                    return try RoPEScaling.read(parameters: object, defaultBase: base)
                }
                global = try perType("full_attention", 1_000_000)
                local = try perType("sliding_attention", 10_000)
            } else {
                // transformers 4: rope_scaling applies to the global layers only.
                global = try RoPEScaling.read(from: config, defaultBase: 1_000_000)
                local = (try config.double("rope_local_base_freq", default: 10_000), .none)
            }
        }
    }

    static func load(
        config json: JSONConfig, checkpoint: SafetensorsCheckpoint, format: WeightFormat
    ) throws -> DecoderModel {
        let c = try Configuration(json)
        // Gemma3ForCausalLM uses `model.`; the text part of multimodal checkpoints sits under `language_model.model.`.
        let prefix =
            checkpoint.contains("language_model.model.embed_tokens.weight") ? "language_model.model." : "model."
        // HF checkpoints store RMSNorm weights as w − 1.
        return try build(
            c, reader: CheckpointReader(checkpoint: checkpoint, prefix: prefix, format: format), normOffset: 1)
    }

    /// Loads a `gemma3` GGUF file (llama.cpp names; norm weights already include the +1).
    static func load(gguf file: GGUFFile, format: WeightFormat) throws -> DecoderModel {
        let c = try Configuration(GGUFHyperparameters(file: file))
        let weights = GGUFWeights(file: file, ggufName: GGUFWeights.gemma3Name, format: format)
        return try build(
            c, reader: CheckpointReader(source: weights),
            normOffset: 0)
    }

    /// The model from a configuration and weights addressed by HF names without the `model.` prefix.
    private static func build(_ c: Configuration, reader: CheckpointReader, normOffset: Float) throws -> DecoderModel {
        let d = c.dModel
        let tokenEmbedding = try reader.matrix("embed_tokens.weight", [c.vocabSize, d])
        try reader.expectShape("layers.0.self_attn.q_proj.weight", [c.heads * c.headDim, d])
        let globalRope = RotaryEmbedding(
            inverseFrequencies: c.global.scaling.inverseFrequencies(base: c.global.base, rotaryDim: c.headDim),
            style: .rotateHalf)
        let localRope = RotaryEmbedding(
            inverseFrequencies: c.local.scaling.inverseFrequencies(base: c.local.base, rotaryDim: c.headDim),
            style: .rotateHalf)

        func norm(_ name: String, _ dim: Int) throws -> Norm {
            Norm(
                kind: .rmsNorm(weightOffset: normOffset), weight: try reader.tensor(name + ".weight", [dim]), eps: c.eps
            )
        }
        var layers: [DecoderLayer] = []
        for i in 0..<c.layers {
            let p = "layers.\(i)."
            let attention = AttentionBlock(
                query: try reader.linear(
                    p + "self_attn.q_proj", in: d, out: c.heads * c.headDim, bias: c.attentionBias),
                key: try reader.linear(
                    p + "self_attn.k_proj", in: d, out: c.kvHeads * c.headDim, bias: c.attentionBias),
                value: try reader.linear(
                    p + "self_attn.v_proj", in: d, out: c.kvHeads * c.headDim, bias: c.attentionBias),
                output: try reader.linear(
                    p + "self_attn.o_proj", in: c.heads * c.headDim, out: d, bias: c.attentionBias),
                heads: c.heads, kvHeads: c.kvHeads, headDim: c.headDim, scale: c.attentionScale,
                queryNorm: try norm(p + "self_attn.q_norm", c.headDim),
                keyNorm: try norm(p + "self_attn.k_norm", c.headDim),
                rope: c.sliding[i] ? localRope : globalRope, window: c.sliding[i] ? c.window : nil)
            let ffn = FeedForward(
                up: try reader.linear(p + "mlp.up_proj", in: d, out: c.ffnDim, bias: false),
                gate: try reader.linear(p + "mlp.gate_proj", in: d, out: c.ffnDim, bias: false),
                down: try reader.linear(p + "mlp.down_proj", in: c.ffnDim, out: d, bias: false),
                activation: c.activation)
            layers.append(
                DecoderLayer(
                    inputNorm: try norm(p + "input_layernorm", d), attention: attention,
                    postAttentionNorm: try norm(p + "post_attention_layernorm", d),
                    ffnNorm: try norm(p + "pre_feedforward_layernorm", d), ffn: ffn,
                    postFFNNorm: try norm(p + "post_feedforward_layernorm", d)))
        }
        let finalNorm = try norm("norm", d)
        let untiedHead = c.tied ? nil : try reader.matrix("lm_head.weight", [c.vocabSize, d])
        let lmHead = Linear(
            weight: untiedHead ?? tokenEmbedding, bias: nil, layout: .outIn, inFeatures: d,
            outFeatures: c.vocabSize)
        let counts = DecoderModel.parameterCounts(
            tokenEmbedding: tokenEmbedding, positionEmbedding: nil,
            layers: layers, finalNorm: finalNorm, lmHead: lmHead,
            tied: untiedHead == nil)
        let info = ModelInfo(
            architecture: "Gemma3ForCausalLM", modelType: c.modelType, layers: c.layers, dModel: d,
            heads: c.heads, kvHeads: c.kvHeads, headDim: c.headDim, ffnDim: c.ffnDim,
            vocabSize: c.vocabSize, contextLength: c.contextLength, parameters: counts.total,
            nonEmbeddingParameters: counts.nonEmbedding, tiedEmbeddings: untiedHead == nil)
        // HF multiplies by `hidden_size ** 0.5` cast to the weights' dtype (float32 here): 25.298222 for d = 640.
        return DecoderModel(
            info: info, tokenEmbedding: tokenEmbedding, positionEmbedding: nil,
            embeddingScale: Float(Double(d).squareRoot()), layers: layers, finalNorm: finalNorm,
            lmHead: lmHead, logitSoftcap: c.finalSoftcap)
    }
}

extension Gemma3.Configuration {
    /// Reads the `gemma3.*` keys of a GGUF file (`docs/models.md` §1.2), with llama.cpp's defaults for the
    /// keys the converter does not write: local RoPE base 10,000, five sliding layers then one global, attention
    /// scale `1/√head_dim`, no soft-caps.
    init(_ meta: GGUFHyperparameters) throws {
        guard meta.architecture == "gemma3" else {
            throw ModelFormatError(
                path: meta.file.path, "general.architecture is \"\(meta.architecture)\", expected \"gemma3\"")
        }
        modelType = "gemma3"
        layers = try meta.positiveInt("block_count")
        dModel = try meta.positiveInt("embedding_length")
        heads = try meta.positiveInt("attention.head_count")
        kvHeads = try meta.positiveInt("attention.head_count_kv", default: heads)
        headDim = try meta.positiveInt("attention.key_length", default: max(1, dModel / heads))
        ffnDim = try meta.positiveInt("feed_forward_length")
        vocabSize = try meta.vocabularySize()
        contextLength = try meta.positiveInt("context_length")
        eps = try meta.double("attention.layer_norm_rms_epsilon", default: 1e-6)
        activation = .geluTanh
        // llama.cpp: 1/√head_dim, except the 27B (62 layers), which uses 1/√(d/H).
        attentionScale = Float(1 / Double(layers == 62 ? dModel / heads : headDim).squareRoot())
        attentionBias = false
        window = try meta.positiveInt("attention.sliding_window", default: 4096)
        sliding = (0..<layers).map { $0 % 6 < 5 }
        global = (try meta.double("rope.freq_base", default: 1_000_000), try meta.ropeScaling())
        local = (try meta.double("rope.freq_base_swa", default: 10_000), .none)
        finalSoftcap =
            try meta.has("final_logit_softcapping")
            ? Float(meta.double("final_logit_softcapping", default: 0)) : nil
        tied = meta.file.tensorInfo(named: "output.weight") == nil
        try meta.checkHeads(heads: heads, kvHeads: kvHeads, headDim: headDim)
    }
}
