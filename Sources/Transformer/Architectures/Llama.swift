import ModelFormats
import Tensors

/// The Llama family (`LlamaForCausalLM`, `MistralForCausalLM`, `Qwen2ForCausalLM`, `Qwen3ForCausalLM`, and
/// `Phi3ForCausalLM` through `Phi3.swift`): RMSNorm pre-norm blocks, grouped-query attention with rotate-half RoPE,
/// SwiGLU FFN, tied or untied LM head.
///
/// Ported from the structure of transformers' `modeling_llama.py`. Mistral adds a sliding window; Qwen2 adds q/k/v
/// biases; Qwen3 adds a per-head RMSNorm of queries and keys before RoPE (`q_norm`, `k_norm`, weights of size
/// head_dim), its `attention_bias` covers `o_proj` as in Llama, and its `head_dim` defaults to 128, not d/H;
/// Phi-3 fuses q/k/v and gate/up and may rotate part of each head. Everything else is configuration.
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
        /// Per-head RMSNorm of queries and keys before RoPE (Qwen3).
        let queryKeyNorm: Bool
        /// Leading dimensions of each head that rotate: head_dim, or less for Phi-3's partial rotary factor.
        let rotaryDim: Int
        let ropeBase: Double
        let ropeScaling: RoPEScaling

        init(_ config: JSONConfig, modelType: String) throws {
            self.modelType = modelType
            layers = try config.positiveInt("num_hidden_layers")
            dModel = try config.positiveInt("hidden_size")
            heads = try config.positiveInt("num_attention_heads")
            kvHeads = try config.positiveInt("num_key_value_heads", default: heads)
            // Qwen3Config's head_dim defaults to 128; the others' to d/H.
            headDim = try config.positiveInt("head_dim", default: modelType == "qwen3" ? 128 : max(1, dModel / heads))
            ffnDim = try config.positiveInt("intermediate_size")
            vocabSize = try config.positiveInt("vocab_size")
            contextLength = try config.positiveInt("max_position_embeddings")
            eps = try config.double("rms_norm_eps", default: modelType == "phi3" ? 1e-5 : 1e-6)
            activation = try Activations.named(
                config.string("hidden_act", default: "silu") ?? "silu",
                key: "hidden_act", path: config.path)
            // Which biases each family's modules are built with (transformers ignores the keys where it hard-codes
            // them): Llama and Qwen3 read attention_bias for q, k, v and o; Qwen2 always has q/k/v biases and no
            // o bias; Mistral and Phi-3 have none; only Llama reads mlp_bias.
            let attentionBias = try config.bool("attention_bias", default: false)
            switch modelType {
            case "llama", "qwen3": (qkvBias, outputBias) = (attentionBias, attentionBias)
            case "qwen2": (qkvBias, outputBias) = (true, false)
            default: (qkvBias, outputBias) = (false, false)
            }
            mlpBias = try modelType == "llama" && config.bool("mlp_bias", default: false)
            queryKeyNorm = modelType == "qwen3"
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
            case "qwen2", "qwen3":
                if try config.bool("use_sliding_window", default: false) {
                    throw ModelFormatError(
                        path: config.path, "use_sliding_window = true is not supported for \(modelType)")
                }
                // Without use_sliding_window transformers has no window for a "sliding_attention" layer to use.
                if let other = try config.strings("layer_types")?.first(where: { $0 != "full_attention" }) {
                    throw ModelFormatError(
                        path: config.path,
                        "layer_types entry \"\(other)\" is not supported for \(modelType) (only full_attention)")
                }
                window = nil
            case "phi3":
                window = try Phi3.slidingWindow(config)
            default:
                window = nil
            }
            if modelType == "phi3" {
                rotaryDim = try Phi3.rotaryDimension(config, headDim: headDim)
            } else {
                // transformers' Llama, Mistral, Qwen2 and Qwen3 rotate the whole head.
                let partial = try RoPEScaling.partialRotaryFactor(in: config)
                guard partial == 1 else {
                    throw ModelFormatError(
                        path: config.path,
                        "partial_rotary_factor \(partial) is not supported for \(modelType) (only 1)")
                }
                rotaryDim = headDim
            }
            (ropeBase, ropeScaling) = try RoPEScaling.read(from: config, defaultBase: 10_000)
        }
    }

    /// How a family stores each layer's q, k, v, gate and up projections.
    enum ProjectionLayout {
        /// `q_proj`, `k_proj`, `v_proj`, `gate_proj` and `up_proj`. `permutedQueryKey`: the q/k rows are in
        /// llama.cpp's interleaved order (llama-arch GGUF files) and are put back in HF's rotate-half order.
        case separate(permutedQueryKey: Bool)
        /// Phi-3's `qkv_proj` and `gate_up_proj`, split at load (`Phi3.swift`).
        case fused
    }

    /// One layer's q, k, v, gate and up projections, however the checkpoint stores them.
    struct InputProjections {
        let query: Linear
        let key: Linear
        let value: Linear
        let gate: Linear
        let up: Linear
    }

    static func load(
        config json: JSONConfig, checkpoint: SafetensorsCheckpoint, modelType: String,
        architecture: String, format: WeightFormat
    ) throws -> DecoderModel {
        let c = try Configuration(json, modelType: modelType)
        return try build(
            c, reader: CheckpointReader(checkpoint: checkpoint, prefix: "", format: format), architecture: architecture,
            layout: .separate(permutedQueryKey: false))
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
            architecture: qwen ? "Qwen2ForCausalLM" : "LlamaForCausalLM", layout: .separate(permutedQueryKey: !qwen))
    }

    /// The model from a configuration and weights addressed by HF names, with each layer's input projections
    /// stored as `layout` says.
    static func build(
        _ c: Configuration, reader: CheckpointReader, architecture: String, layout: ProjectionLayout
    ) throws -> DecoderModel {
        let d = c.dModel
        let tokenEmbedding = try reader.matrix("model.embed_tokens.weight", [c.vocabSize, d])
        // Check the head geometry against the weights before sizing anything from it.
        switch layout {
        case .separate:
            try reader.expectShape("model.layers.0.self_attn.q_proj.weight", [c.heads * c.headDim, d])
        case .fused:
            try reader.expectShape("model.layers.0.self_attn.qkv_proj.weight", Phi3.qkvShape(c))
        }
        let rope = RotaryEmbedding(
            inverseFrequencies: c.ropeScaling.inverseFrequencies(base: c.ropeBase, rotaryDim: c.rotaryDim),
            style: .rotateHalf)
        var layers: [DecoderLayer] = []
        for i in 0..<c.layers {
            let p = "model.layers.\(i)."
            func norm(_ name: String, _ dim: Int) throws -> Norm {
                Norm(
                    kind: .rmsNorm(weightOffset: 0), weight: try reader.tensor(p + name + ".weight", [dim]),
                    eps: c.eps)
            }
            let inputs: InputProjections
            switch layout {
            case .separate(let permutedQueryKey):
                inputs = try separateProjections(c, reader: reader, prefix: p, permutedQueryKey: permutedQueryKey)
            case .fused:
                inputs = try Phi3.splitProjections(c, reader: reader, prefix: p)
            }
            let attention = AttentionBlock(
                query: inputs.query, key: inputs.key, value: inputs.value,
                output: try reader.linear(p + "self_attn.o_proj", in: c.heads * c.headDim, out: d, bias: c.outputBias),
                heads: c.heads, kvHeads: c.kvHeads, headDim: c.headDim,
                scale: 1 / Float(c.headDim).squareRoot(),
                queryNorm: c.queryKeyNorm ? try norm("self_attn.q_norm", c.headDim) : nil,
                keyNorm: c.queryKeyNorm ? try norm("self_attn.k_norm", c.headDim) : nil,
                rope: rope, window: c.window)
            let ffn = FeedForward(
                up: inputs.up, gate: inputs.gate,
                down: try reader.linear(p + "mlp.down_proj", in: c.ffnDim, out: d, bias: c.mlpBias),
                activation: c.activation)
            layers.append(
                DecoderLayer(
                    inputNorm: try norm("input_layernorm", d), attention: attention,
                    ffnNorm: try norm("post_attention_layernorm", d), ffn: ffn))
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

extension Llama {
    /// Layer `prefix`'s separately stored projections.
    private static func separateProjections(
        _ c: Configuration, reader: CheckpointReader, prefix p: String, permutedQueryKey: Bool
    ) throws -> InputProjections {
        let d = c.dModel
        var query = try reader.linear(p + "self_attn.q_proj", in: d, out: c.heads * c.headDim, bias: c.qkvBias)
        var key = try reader.linear(p + "self_attn.k_proj", in: d, out: c.kvHeads * c.headDim, bias: c.qkvBias)
        if permutedQueryKey {
            query = LlamaCppPermutation.unpermute(query, heads: c.heads, headDim: c.headDim)
            key = LlamaCppPermutation.unpermute(key, heads: c.kvHeads, headDim: c.headDim)
        }
        return InputProjections(
            query: query, key: key,
            value: try reader.linear(p + "self_attn.v_proj", in: d, out: c.kvHeads * c.headDim, bias: c.qkvBias),
            gate: try reader.linear(p + "mlp.gate_proj", in: d, out: c.ffnDim, bias: c.mlpBias),
            up: try reader.linear(p + "mlp.up_proj", in: d, out: c.ffnDim, bias: c.mlpBias))
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
        queryKeyNorm = false
        try meta.checkHeads(heads: heads, kvHeads: kvHeads, headDim: headDim)
        let rotary = try meta.positiveInt("rope.dimension_count", default: headDim)
        guard rotary == headDim else {
            throw ModelFormatError(
                path: meta.file.path,
                "rope.dimension_count \(rotary) differs from the head size "
                    + "\(headDim): partial rotary embeddings are not supported for \(meta.architecture)")
        }
        rotaryDim = headDim
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
