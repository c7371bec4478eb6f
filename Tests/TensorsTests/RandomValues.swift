/// Deterministic pseudo-random floats for kernel tests (SplitMix64), so a failure reproduces exactly.
struct RandomValues {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    /// Next value uniform in [-scale, scale).
    mutating func next(scale: Float = 1) -> Float {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        z ^= z >> 31
        return (Float(z >> 40) / Float(1 << 24) * 2 - 1) * scale
    }

    /// `count` values uniform in [-scale, scale).
    mutating func array(_ count: Int, scale: Float = 1) -> [Float] {
        (0..<count).map { _ in next(scale: scale) }
    }
}
