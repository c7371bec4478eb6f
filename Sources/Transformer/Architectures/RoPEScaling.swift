import Foundation
public import ModelFormats

/// Rotary frequencies from a Hugging Face config: `rope_theta` with `rope_scaling` (transformers 4 layout) or
/// `rope_parameters` (transformers 5 layout), with the scaling types the supported families use.
public enum RoPEScaling: Sendable, Equatable {
    /// Plain `θ_i = base^(-2i/rotaryDim)`.
    case none
    /// Position interpolation: every frequency divided by `factor`.
    case linear(factor: Double)
    /// Llama 3.1/3.2 smooth frequency scaling.
    case llama3(factor: Double, lowFrequencyFactor: Double, highFrequencyFactor: Double, originalContext: Double)
    /// One divisor per pair, as llama.cpp applies a GGUF's `rope_freqs.weight` (Llama 3.1/3.2 files carry their
    /// llama3 scaling this way): `θ_i / factor_i`.
    case frequencyFactors([Double])

    /// Reads the base and scaling of `config`: `rope_parameters` (transformers 5) or `rope_theta` + `rope_scaling`
    /// (transformers 4). Unsupported scaling types are errors naming the type.
    public static func read(from config: JSONConfig, defaultBase: Double) throws -> (base: Double, scaling: RoPEScaling)
    {
        if let parameters = try config.object("rope_parameters") {
            let base =
                try parameters.has("rope_theta")
                ? parameters.double("rope_theta")
                : config.double("rope_theta", default: defaultBase)
            return (base, try scaling(parameters))
        }
        let base = try config.double("rope_theta", default: defaultBase)
        return (base, try config.object("rope_scaling").map(scaling) ?? .none)
    }

    /// Reads one parameter object (`{"rope_type", "rope_theta", "factor", …}`), as Gemma 3 keeps per layer type.
    public static func read(parameters: JSONConfig, defaultBase: Double) throws -> (base: Double, scaling: RoPEScaling)
    {
        (try parameters.double("rope_theta", default: defaultBase), try scaling(parameters))
    }

    /// The scaling type `config` declares: `rope_type` (or the older `type`) of `rope_parameters` (transformers 5) or
    /// `rope_scaling` (transformers 4), in the precedence `read(from:defaultBase:)` uses; nil when neither is there.
    static func declaredType(in config: JSONConfig) throws -> String? {
        guard let object = try config.object("rope_parameters") ?? config.object("rope_scaling") else { return nil }
        return try typeName(object)
    }

    /// `partial_rotary_factor`: from `rope_parameters` (transformers 5) or the top level (transformers 4), else 1.
    static func partialRotaryFactor(in config: JSONConfig) throws -> Double {
        if let parameters = try config.object("rope_parameters"), parameters.has("partial_rotary_factor") {
            return try parameters.double("partial_rotary_factor")
        }
        return try config.double("partial_rotary_factor", default: 1)
    }

    /// `rope_type`, or the older `type`, of one scaling object.
    private static func typeName(_ object: JSONConfig) throws -> String? {
        try object.string("rope_type", default: nil) ?? object.string("type", default: "default")
    }

    /// The scaling an object describes by `rope_type` (or the older `type`).
    static func scaling(_ object: JSONConfig) throws -> RoPEScaling {
        switch try typeName(object) {
        case "default", nil:
            return .none
        case "linear":
            return .linear(factor: try object.double("factor"))
        case "llama3":
            return .llama3(
                factor: try object.double("factor"),
                lowFrequencyFactor: try object.double("low_freq_factor"),
                highFrequencyFactor: try object.double("high_freq_factor"),
                originalContext: try object.double("original_max_position_embeddings"))
        case let other?:
            throw ModelFormatError(
                path: object.path,
                "RoPE scaling type \"\(other)\" is not supported (supported: default, linear, llama3)")
        }
    }

    /// Inverse frequencies of the `rotaryDim / 2` pairs for `base`, scaled.
    public func inverseFrequencies(base: Double, rotaryDim: Int) -> [Double] {
        let plain = (0..<(rotaryDim / 2)).map { 1 / pow(base, Double(2 * $0) / Double(rotaryDim)) }
        switch self {
        case .none:
            return plain
        case .linear(let factor):
            return plain.map { $0 / factor }
        case .frequencyFactors(let factors):
            return zip(plain, factors).map { $0 / $1 }
        case .llama3(let factor, let low, let high, let original):
            let lowWavelength = original / low
            let highWavelength = original / high
            return plain.map { inv in
                let wavelength = 2 * Double.pi / inv
                if wavelength < highWavelength { return inv }
                if wavelength > lowWavelength { return inv / factor }
                let smooth = (original / wavelength - low) / (high - low)
                return (1 - smooth) * inv / factor + smooth * inv
            }
        }
    }
}
