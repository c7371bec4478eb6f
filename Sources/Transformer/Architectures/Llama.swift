import ModelFormats
import Tensors

/// The Llama family (`LlamaForCausalLM`, `MistralForCausalLM`, `Qwen2ForCausalLM`): RMSNorm pre-norm blocks,
/// grouped-query attention with rotate-half RoPE, SwiGLU FFN, tied or untied LM head.
///
/// Ported from the structure of transformers' `modeling_llama.py`; Mistral adds a sliding window, Qwen2 adds q/k/v
/// biases. Everything else is configuration.
enum Llama {
    /// The config.json keys the family reads.
    struct Configuration {
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
        let qkvBias: Bool
        let outputBias: Bool
        let mlpBias: Bool
        let tied: Bool
        let window: Int?
        let ropeBase: Double
        let ropeScaling: RoPEScaling

        init(_ config: JSONConfig, modelType: String) throws {
            self.modelType = modelType
            layers = try config.positiveInt("num_hidden_layers")
            dModel = try config.positiveInt("hidden_size")
            heads = try config.positiveInt("num_attention_heads")
            kvHeads = try config.positiveInt("num_key_value_heads", default: heads)
            headDim = try config.positiveInt("head_dim", default: max(1, dModel / heads))
            ffnDim = try config.positiveInt("intermediate_size")
            vocabSize = try config.positiveInt("vocab_size")
            contextLength = try config.positiveInt("max_position_embeddings")
            eps = try config.double("rms_norm_eps", default: 1e-6)
            activation = try Activations.named(
                config.string("hidden_act", default: "silu") ?? "silu",
                key: "hidden_act", path: config.path)
            let attentionBias = try config.bool("attention_bias", default: false)
            qkvBias = modelType == "qwen2" || attentionBias
            outputBias = modelType != "qwen2" && attentionBias
            mlpBias = try config.bool("mlp_bias", default: false)
            tied = try config.bool("tie_word_embeddings", default: false)
            guard heads % kvHeads == 0 else {
                throw ModelFormatError(
                    path: config.path,
                    "num_attention_heads \(heads) is not a multiple of num_key_value_heads \(kvHeads)")
            }
            guard headDim % 2 == 0 else {
                throw ModelFormatError(path: config.path, "head_dim \(headDim) must be even for RoPE")
            }
            switch modelType {
            case "mistral":
                // MistralConfig's default is 4096 when the key is absent; null means full attention.
                switch config["sliding_window"] {
                case nil: window = 4096
                case .null?: window = nil
                default: window = try config.positiveInt("sliding_window")
                }
            case "qwen2":
                if try config.bool("use_sliding_window", default: false) {
                    throw ModelFormatError(path: config.path, "use_sliding_window = true is not supported for qwen2")
                }
                window = nil
            default:
                window = nil
            }
            // transformers' Llama, Mistral and Qwen2 rotate the whole head; a partial factor is another family's.
            let parameters = try config.object("rope_parameters")
            let partial =
                try parameters.flatMap { $0.has("partial_rotary_factor") ? $0 : nil }?
                .double("partial_rotary_factor") ?? config.double("partial_rotary_factor", default: 1)
            guard partial == 1 else {
                throw ModelFormatError(
                    path: config.path,
                    "partial_rotary_factor \(partial) is not supported for \(modelType) (only 1)")
            }
            (ropeBase, ropeScaling) = try RoPEScaling.read(from: config, defaultBase: 10_000)
        }
    }

    static func load(
        config json: JSONConfig, checkpoint: SafetensorsCheckpoint, modelType: String,
        architecture: String, format: WeightFormat
    ) throws -> DecoderModel {
        let c = try Configuration(json, modelType: modelType)
        return try build(
            c, reader: CheckpointReader(checkpoint: checkpoint, prefix: "", format: format), architecture: architecture,
            permutedQueryKey: false)
    }

    /// Loads a `llama`-architecture GGUF file (SmolLM2, Llama, Mistral conversions by llama.cpp).
    /// A `llama` or `qwen2` GGUF file. Only `llama` files carry llama.cpp's q/k row permutation: the converter
    /// writes Qwen2's projections as they are (its RoPE is NEOX-style, HF's rotate-half).
    static func load(gguf file: GGUFFile, format: WeightFormat) throws -> DecoderModel {
        let c = try Configuration(GGUFHyperparameters(file: file))
        let qwen = c.modelType == "qwen2"
        return try build(
            c,
            reader: CheckpointReader(source: GGUFWeights(file: file, ggufName: GGUFWeights.llamaName, format: format)),
            architecture: qwen ? "Qwen2ForCausalLM" : "LlamaForCausalLM", permutedQueryKey: !qwen)
    }

    /// The model from a configuration and weights addressed by HF names. `permutedQueryKey`: the q/k rows are in
    /// llama.cpp's interleaved order (llama-arch GGUF files) and are put back in HF's rotate-half order.
    private static func build(
        _ c: Configuration, reader: CheckpointReader, architecture: String,
        permutedQueryKey: Bool
    ) throws -> DecoderModel {
        let d = c.dModel
        let tokenEmbedding = try reader.matrix("model.embed_tokens.weight", [c.vocabSize, d])
        // Check the head geometry against the weights before sizing anything from it.
        try reader.expectShape("model.layers.0.self_attn.q_proj.weight", [c.heads * c.headDim, d])
        let rope = RotaryEmbedding(
            inverseFrequencies: c.ropeScaling.inverseFrequencies(
                base: c.ropeBase,
                rotaryDim: c.headDim),
            style: .rotateHalf)
        var layers: [DecoderLayer] = []
        for i in 0..<c.layers {
            let p = "model.layers.\(i)."
            func norm(_ name: String) throws -> Norm {
                Norm(kind: .rmsNorm(weightOffset: 0), weight: try reader.tensor(p + name + ".weight", [d]), eps: c.eps)
            }
            var query = try reader.linear(p + "self_attn.q_proj", in: d, out: c.heads * c.headDim, bias: c.qkvBias)
            var key = try reader.linear(p + "self_attn.k_proj", in: d, out: c.kvHeads * c.headDim, bias: c.qkvBias)
            if permutedQueryKey {
                query = LlamaCppPermutation.unpermute(query, heads: c.heads, headDim: c.headDim)
                key = LlamaCppPermutation.unpermute(key, heads: c.kvHeads, headDim: c.headDim)
            }
            let attention = AttentionBlock(
                query: query,
                key: key,
                value: try reader.linear(p + "self_attn.v_proj", in: d, out: c.kvHeads * c.headDim, bias: c.qkvBias),
                output: try reader.linear(p + "self_attn.o_proj", in: c.heads * c.headDim, out: d, bias: c.outputBias),
                heads: c.heads, kvHeads: c.kvHeads, headDim: c.headDim,
                scale: 1 / Float(c.headDim).squareRoot(), rope: rope, window: c.window)
            let ffn = FeedForward(
                up: try reader.linear(p + "mlp.up_proj", in: d, out: c.ffnDim, bias: c.mlpBias),
                gate: try reader.linear(p + "mlp.gate_proj", in: d, out: c.ffnDim, bias: c.mlpBias),
                down: try reader.linear(p + "mlp.down_proj", in: c.ffnDim, out: d, bias: c.mlpBias),
                activation: c.activation)
            layers.append(
                DecoderLayer(
                    inputNorm: try norm("input_layernorm"), attention: attention,
                    ffnNorm: try norm("post_attention_layernorm"), ffn: ffn))
        }
        let finalNorm = Norm(
            kind: .rmsNorm(weightOffset: 0), weight: try reader.tensor("model.norm.weight", [d]),
            eps: c.eps)
        // Some tied checkpoints still store lm_head.weight as a copy; an untied config requires it.
        let untiedHead = c.tied ? nil : try reader.matrix("lm_head.weight", [c.vocabSize, d])
        let lmHead = Linear(
            weight: untiedHead ?? tokenEmbedding, bias: nil, layout: .outIn, inFeatures: d,
            outFeatures: c.vocabSize)
        let counts = DecoderModel.parameterCounts(
            tokenEmbedding: tokenEmbedding, positionEmbedding: nil,
            layers: layers, finalNorm: finalNorm, lmHead: lmHead,
            tied: untiedHead == nil)
        let info = ModelInfo(
            architecture: architecture, modelType: c.modelType, layers: c.layers, dModel: d,
            heads: c.heads, kvHeads: c.kvHeads, headDim: c.headDim, ffnDim: c.ffnDim,
            vocabSize: c.vocabSize, contextLength: c.contextLength, parameters: counts.total,
            nonEmbeddingParameters: counts.nonEmbedding, tiedEmbeddings: untiedHead == nil)
        return DecoderModel(
            info: info, tokenEmbedding: tokenEmbedding, positionEmbedding: nil, embeddingScale: nil,
            layers: layers, finalNorm: finalNorm, lmHead: lmHead, logitSoftcap: nil)
    }
}

extension Llama.Configuration {
    /// Reads the `llama.*` or `qwen2.*` keys of a GGUF file (`docs/models.md` §6.3); Qwen2 has q/k/v biases.
    init(_ meta: GGUFHyperparameters) throws {
        guard ["llama", "qwen2"].contains(meta.architecture) else {
            throw ModelFormatError(
                path: meta.file.path,
                "general.architecture is \"\(meta.architecture)\", expected \"llama\" or \"qwen2\"")
        }
        modelType = meta.architecture
        layers = try meta.positiveInt("block_count")
        dModel = try meta.positiveInt("embedding_length")
        heads = try meta.positiveInt("attention.head_count")
        kvHeads = try meta.positiveInt("attention.head_count_kv", default: heads)
        headDim = try meta.positiveInt("attention.key_length", default: max(1, dModel / heads))
        ffnDim = try meta.positiveInt("feed_forward_length")
        vocabSize = try meta.vocabularySize()
        contextLength = try meta.positiveInt("context_length")
        eps = try meta.double("attention.layer_norm_rms_epsilon", default: 1e-5)
        activation = .silu
        qkvBias = meta.file.tensorInfo(named: "blk.0.attn_q.bias") != nil
        outputBias = false
        mlpBias = false
        tied = meta.file.tensorInfo(named: "output.weight") == nil
        window = nil
        try meta.checkHeads(heads: heads, kvHeads: kvHeads, headDim: headDim)
        let rotary = try meta.positiveInt("rope.dimension_count", default: headDim)
        guard rotary == headDim else {
            throw ModelFormatError(
                path: meta.file.path,
                "rope.dimension_count \(rotary) differs from the head size "
                    + "\(headDim): partial rotary embeddings are not supported for \(meta.architecture)")
        }
        ropeBase = try meta.double("rope.freq_base", default: 10_000)
        // Llama 3.1/3.2 files carry their llama3 frequency scaling as the `rope_freqs.weight` factors.
        ropeScaling = try meta.ropeScaling(pairs: headDim / 2)
    }
}

/// llama.cpp's reordering of q/k projection rows for `llama`-architecture GGUF files.
///
/// `convert_hf_to_gguf.py` stores, per head, HF row `i` at row `2i` and HF row `i + headDim/2` at row `2i + 1`, so
/// that llama.cpp can rotate adjacent pairs. Undoing it restores HF's rotate-half layout (`docs/models.md` §6.3).
enum LlamaCppPermutation {
    static func unpermute(_ linear: Linear, heads: Int, headDim: Int) -> Linear {
        let half = headDim / 2
        // HF row `h·headDim + i` is stored at `h·headDim + 2i`, HF row `h·headDim + half + i` at `… + 2i + 1`.
        let order = (0..<(heads * headDim)).map { row in
            let h = row / headDim, i = row % headDim
            return h * headDim + (i < half ? 2 * i : 2 * (i - half) + 1)
        }
        return Linear(
            weight: linear.weight.reorderingRows(order), bias: linear.bias.map { b in order.map { b[$0] } },
            layout: .outIn, inFeatures: linear.inFeatures, outFeatures: linear.outFeatures)
    }
}
