import ModelFormats

/// Typed access to a GGUF file's `{architecture}.*` hyperparameters, with errors that name the file and key.
struct GGUFHyperparameters {
    let file: GGUFFile
    /// `general.architecture`, the prefix of the model's keys (`gemma3`, `llama`, …).
    let architecture: String

    init(file: GGUFFile) throws {
        self.file = file
        guard let architecture = file.metadata["general.architecture"]?.stringValue else {
            throw ModelFormatError(path: file.path, "metadata key \"general.architecture\" is missing or not a string")
        }
        self.architecture = architecture
    }

    private func value(_ key: String) -> GGUFValue? { file.metadata["\(architecture).\(key)"] }

    private func fail(_ key: String, _ expected: String) -> ModelFormatError {
        ModelFormatError(path: file.path, "metadata key \"\(architecture).\(key)\" must be \(expected)")
    }

    /// A required positive integer no larger than `JSONConfig.maximumDimension`.
    func positiveInt(_ key: String) throws -> Int {
        guard let v = value(key)?.intValue, v > 0, v <= JSONConfig.maximumDimension else {
            throw fail(key, "a positive integer")
        }
        return v
    }

    /// An optional positive integer.
    func positiveInt(_ key: String, default fallback: Int) throws -> Int {
        value(key) == nil ? fallback : try positiveInt(key)
    }

    /// An optional number.
    func double(_ key: String, default fallback: Double) throws -> Double {
        guard let v = value(key) else { return fallback }
        guard let d = v.doubleValue else { throw fail(key, "a number") }
        return d
    }

    /// An optional string.
    func string(_ key: String) -> String? { value(key)?.stringValue }

    /// Whether the key is present.
    func has(_ key: String) -> Bool { value(key) != nil }

    /// The vocabulary size: rows of `token_embd.weight`.
    func vocabularySize() throws -> Int {
        guard let embedding = file.tensorInfo(named: "token_embd.weight"), embedding.shape.count == 2 else {
            throw ModelFormatError(path: file.path, "missing 2-D tensor 'token_embd.weight'")
        }
        return embedding.shape[0]
    }

    /// `rope.scaling.type` / `rope.scaling.factor`: none or linear.
    func ropeScaling() throws -> RoPEScaling {
        switch string("rope.scaling.type") {
        case nil, "none"?: return .none
        case "linear"?: return .linear(factor: try double("rope.scaling.factor", default: 1))
        case let other?:
            throw ModelFormatError(
                path: file.path, "RoPE scaling type \"\(other)\" is not supported for \(architecture)")
        }
    }

    /// The RoPE scaling of the file: `rope_freqs.weight` (one factor per pair, `pairs` of them) when present, else
    /// the `rope.scaling.*` keys.
    func ropeScaling(pairs: Int) throws -> RoPEScaling {
        guard let info = file.tensorInfo(named: "rope_freqs.weight") else { return try ropeScaling() }
        guard info.shape == [pairs] else {
            throw ModelFormatError(
                path: file.path,
                "tensor 'rope_freqs.weight' has shape \(info.shape), expected [\(pairs)] (head_dim / 2)")
        }
        let factors = try file.tensor(info).elements.map(Double.init)
        guard factors.allSatisfy({ $0.isFinite && $0 > 0 }) else {
            throw ModelFormatError(path: file.path, "tensor 'rope_freqs.weight' holds a factor that is not positive")
        }
        return .frequencyFactors(factors)
    }

    /// Checks that the query heads group evenly over the key/value heads and that the head size is even.
    func checkHeads(heads: Int, kvHeads: Int, headDim: Int) throws {
        guard heads % kvHeads == 0, headDim % 2 == 0 else {
            throw ModelFormatError(
                path: file.path,
                "attention heads \(heads)/\(kvHeads) and head_dim \(headDim) "
                    + "must divide evenly, with an even head_dim")
        }
    }
}

/// A GGUF file answering HF tensor names through an architecture's name map (`layers.3.mlp.up_proj.weight` →
/// `blk.3.ffn_up.weight`) with the PyTorch shape (reversed `ne`): matrices kept in their blocks when `format` is
/// `.quantized`, everything else dequantised to float32.
struct GGUFWeights: WeightSource {
    let file: GGUFFile
    /// Maps an HF name (without the `model.` prefix) to the GGUF name, or nil when the file has no such tensor.
    let ggufName: @Sendable (String) -> String?
    let format: WeightFormat

    var location: String { file.path }

    func shape(of name: String) -> [Int]? {
        ggufName(name).flatMap { file.tensorInfo(named: $0)?.shape }
    }

    /// The entry of `name`, checked to have `shape`.
    private func info(_ name: String, shape: [Int]) throws -> GGUFTensorInfo {
        guard let mapped = ggufName(name), let info = file.tensorInfo(named: mapped) else {
            throw ModelFormatError(path: file.path, "missing tensor '\(ggufName(name) ?? name)'")
        }
        guard info.shape == shape else {
            throw ModelFormatError(
                path: file.path,
                "tensor '\(mapped)' has shape \(info.shape), expected \(shape) "
                    + "from the model's metadata")
        }
        return info
    }

    func tensor(_ name: String, shape: [Int]) throws -> [Float] {
        let info = try info(name, shape: shape)
        let tensor = try file.tensor(info)
        file.file.release(info.byteRange)
        return tensor.elements
    }

    func matrix(_ name: String, shape: [Int]) throws -> WeightMatrix {
        precondition(shape.count == 2, "a matrix has two dimensions")
        let info = try info(name, shape: shape)
        if format == .quantized, info.type != .f32 {
            return WeightMatrix(packed: try file.packedMatrix(info))
        }
        return WeightMatrix(dense: try tensor(name, shape: shape), rows: shape[0], columns: shape[1])
    }

    /// The llama.cpp names of Gemma 3 decoder-layer tensors, by HF suffix. (Llama differs: its HF
    /// `post_attention_layernorm` is the pre-FFN norm, `ffn_norm` in GGUF.)
    static let gemma3LayerNames: [String: String] = [
        "input_layernorm.weight": "attn_norm.weight",
        "self_attn.q_proj.weight": "attn_q.weight", "self_attn.q_proj.bias": "attn_q.bias",
        "self_attn.k_proj.weight": "attn_k.weight", "self_attn.k_proj.bias": "attn_k.bias",
        "self_attn.v_proj.weight": "attn_v.weight", "self_attn.v_proj.bias": "attn_v.bias",
        "self_attn.o_proj.weight": "attn_output.weight",
        "self_attn.q_norm.weight": "attn_q_norm.weight", "self_attn.k_norm.weight": "attn_k_norm.weight",
        "post_attention_layernorm.weight": "post_attention_norm.weight",
        "pre_feedforward_layernorm.weight": "ffn_norm.weight",
        "post_feedforward_layernorm.weight": "post_ffw_norm.weight",
        "mlp.gate_proj.weight": "ffn_gate.weight", "mlp.up_proj.weight": "ffn_up.weight",
        "mlp.down_proj.weight": "ffn_down.weight"
    ]

    /// The llama.cpp names of Llama-family decoder-layer tensors, by HF suffix.
    static let llamaLayerNames: [String: String] = [
        "input_layernorm.weight": "attn_norm.weight",
        "self_attn.q_proj.weight": "attn_q.weight", "self_attn.q_proj.bias": "attn_q.bias",
        "self_attn.k_proj.weight": "attn_k.weight", "self_attn.k_proj.bias": "attn_k.bias",
        "self_attn.v_proj.weight": "attn_v.weight", "self_attn.v_proj.bias": "attn_v.bias",
        "self_attn.o_proj.weight": "attn_output.weight",
        "post_attention_layernorm.weight": "ffn_norm.weight",
        "mlp.gate_proj.weight": "ffn_gate.weight", "mlp.up_proj.weight": "ffn_up.weight",
        "mlp.down_proj.weight": "ffn_down.weight"
    ]

    /// HF name → GGUF name for the Llama family (names carry `model.`, except `lm_head`).
    @Sendable static func llamaName(_ name: String) -> String? {
        switch name {
        case "model.embed_tokens.weight": return "token_embd.weight"
        case "model.norm.weight": return "output_norm.weight"
        case "lm_head.weight": return "output.weight"
        default:
            guard name.hasPrefix("model.") else { return nil }
            return layerName(String(name.dropFirst("model.".count)), llamaLayerNames)
        }
    }

    /// `layers.N.<suffix>` → `blk.N.<mapped suffix>`.
    private static func layerName(_ name: String, _ names: [String: String]) -> String? {
        let parts = name.split(separator: ".", maxSplits: 2)
        guard parts.count == 3, parts[0] == "layers", let index = Int(parts[1]),
            let suffix = names[String(parts[2])]
        else { return nil }
        return "blk.\(index).\(suffix)"
    }

    /// HF name (without `model.`) → GGUF name for Gemma 3.
    @Sendable static func gemma3Name(_ name: String) -> String? {
        switch name {
        case "embed_tokens.weight": return "token_embd.weight"
        case "norm.weight": return "output_norm.weight"
        case "lm_head.weight": return "output.weight"
        default:
            return layerName(name, gemma3LayerNames)
        }
    }
}
