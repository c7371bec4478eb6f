/// The pseudo-random generator behind seeded sampling: SplitMix64 (Steele, Lea and Flood, "Fast splittable
/// pseudorandom number generators", OOPSLA 2014), written out here so that a seed gives the same draws on any machine
/// and in any language.
///
/// State: one `UInt64`, initially the seed. Each draw, in wrapping 64-bit arithmetic:
/// ```
/// state = state + 0x9E3779B97F4A7C15
/// z = state
/// z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9
/// z = (z ^ (z >> 27)) * 0x94D049BB133111EB
/// return z ^ (z >> 31)
/// ```
/// A uniform number in `[0, 1)` is the top 53 bits of a draw times 2⁻⁵³ (`Double(next() >> 11) / 2⁵³`), exact in
/// a Double. Seed 0 gives 0xE220A8397B1DCDAF first (the published test value).
public struct SplitMix64: Sendable, Equatable {
    public private(set) var state: UInt64

    public init(seed: UInt64) {
        state = seed
    }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniform number in `[0, 1)` with 53 random bits.
    public mutating func nextUniform() -> Double {
        Double(next() >> 11) * 0x1p-53
    }
}
