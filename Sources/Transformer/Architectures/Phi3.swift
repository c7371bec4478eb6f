import ModelFormats

/// Phi-3 (`Phi3ForCausalLM`, `model_type: phi3`: Phi-3 and Phi-3.5 mini and medium, Phi-4-mini) from Hugging Face
/// safetensors: the Llama block (`Llama.swift`) with fused projections, a partial rotary embedding and a sliding
/// window over the whole model.
///
/// Ported from the structure of transformers' `modeling_phi3.py`:
/// - `self_attn.qkv_proj.weight` `[(H + 2·KV)·head_dim, d]` stacks the rows of q, then k, then v; and
///   `mlp.gate_up_proj.weight` `[2·ffn, d]` those of gate, then up (`Phi3MLP` chunks its output in two and applies
///   the activation to the first half). Both are split into separate projections at load. No projection has a bias.
/// - RoPE rotates the first `int(head_dim · partial_rotary_factor)` dimensions of each head (rotate-half within
///   them, with `θ_i = base^(-2i/rotary_dim)`) and passes the rest through.
/// - `sliding_window` (absent or null: full attention) applies to every layer: query `i` sees keys `(i − w, i]`.
/// - `rope_scaling` must be the default: longrope (also written `su` or `yarn`) switches between two sets of
///   frequency factors at `original_max_position_embeddings` and scales cos/sin, which is not implemented.
/// - `resid_pdrop`, `embd_pdrop` and `attention_dropout` only act in training and are ignored.
enum Phi3 {
    /// Loads a Phi-3 directory. The fused q/k/v and gate/up matrices are split at load, into float32 whatever
    /// `format` says; `o_proj`, `down_proj`, the embeddings and the head follow `format`.
    static func load(
        config json: JSONConfig, checkpoint: SafetensorsCheckpoint, format: WeightFormat
    ) throws -> DecoderModel {
        let c = try Llama.Configuration(json, modelType: "phi3")
        return try Llama.build(
            c, reader: CheckpointReader(checkpoint: checkpoint, prefix: "", format: format),
            architecture: "Phi3ForCausalLM",
            layout: .fused)
    }

    /// `sliding_window`: a positive number of keys, or nil (absent or null) for full attention.
    static func slidingWindow(_ config: JSONConfig) throws -> Int? {
        config.has("sliding_window") ? try config.positiveInt("sliding_window") : nil
    }

    /// The leading dimensions of each head that rotate, `int(head_dim · partial_rotary_factor)` as transformers
    /// computes it, after checking that the RoPE is one Phi-3 loads here.
    static func rotaryDimension(_ config: JSONConfig, headDim: Int) throws -> Int {
        // Phi3Config accepts "default" and "longrope" (and rewrites the older "su" and "yarn" to longrope).
        let type = try RoPEScaling.declaredType(in: config) ?? "default"
        guard type == "default" else {
            throw ModelFormatError(
                path: config.path,
                "RoPE scaling type \"\(type)\" is not supported for phi3 (only default: longrope's short and long "
                    + "frequency factors and its attention scaling are not implemented)")
        }
        let factor = try RoPEScaling.partialRotaryFactor(in: config)
        guard factor > 0, factor <= 1 else {
            throw ModelFormatError(path: config.path, "partial_rotary_factor \(factor) must be in (0, 1]")
        }
        let rotaryDim = Int(Double(headDim) * factor)
        guard rotaryDim >= 2, rotaryDim % 2 == 0 else {
            throw ModelFormatError(
                path: config.path,
                "partial_rotary_factor \(factor) rotates \(rotaryDim) of the head's \(headDim) dimensions "
                    + "(must be a positive even number)")
        }
        return rotaryDim
    }

    /// Shape of `qkv_proj.weight`: `[(H + 2·KV)·head_dim, d]`.
    static func qkvShape(_ c: Llama.Configuration) -> [Int] {
        [(c.heads + 2 * c.kvHeads) * c.headDim, c.dModel]
    }

    /// Layer `prefix`'s q, k, v, gate and up projections, cut from its fused `qkv_proj` and `gate_up_proj`.
    static func splitProjections(
        _ c: Llama.Configuration, reader: CheckpointReader, prefix: String
    ) throws -> Llama.InputProjections {
        let d = c.dModel, q = c.heads * c.headDim, kv = c.kvHeads * c.headDim, ffn = c.ffnDim
        let qkv = try reader.tensor(prefix + "self_attn.qkv_proj.weight", qkvShape(c))
        let gateUp = try reader.tensor(prefix + "mlp.gate_up_proj.weight", [2 * ffn, d])
        return Llama.InputProjections(
            query: rows(qkv, 0..<q, inFeatures: d),
            key: rows(qkv, q..<(q + kv), inFeatures: d),
            value: rows(qkv, (q + kv)..<(q + 2 * kv), inFeatures: d),
            gate: rows(gateUp, 0..<ffn, inFeatures: d),
            up: rows(gateUp, ffn..<(2 * ffn), inFeatures: d))
    }

    /// Rows `range` of a row-major `[out, inFeatures]` weight as a projection without bias.
    private static func rows(_ weight: [Float], _ range: Range<Int>, inFeatures: Int) -> Linear {
        Linear(
            weight: Array(weight[(range.lowerBound * inFeatures)..<(range.upperBound * inFeatures)]), bias: nil,
            layout: .outIn, inFeatures: inFeatures, outFeatures: range.count)
    }
}
