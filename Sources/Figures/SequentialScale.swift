/// A sequential colour scale as a 256-entry table, made like the browser's (`Public/js/components/color-scales.js`):
/// the scheme's stops interpolated linearly at i / 255 and rounded, so a server-drawn figure has the browser's
/// colours exactly.
public struct SequentialScale: Sendable, Equatable {
    /// The scheme's stops as `#rrggbb`.
    public let stops: [String]
    /// The 256 colours, `(r, g, b)`.
    public let table: [(UInt8, UInt8, UInt8)]

    /// ColorBrewer Blues (the attention heatmaps').
    public static let blues = SequentialScale(stops: [
        "#f7fbff", "#deebf7", "#c6dbef", "#9ecae1", "#6baed6", "#4292c6", "#2171b5", "#08519c", "#08306b"
    ])

    public init(stops: [String]) {
        precondition(stops.count >= 2, "a scale needs two stops")
        self.stops = stops
        let rgb = stops.map(Self.rgb)
        table = (0..<256).map { i in
            let position = Double(i) / 255 * Double(rgb.count - 1)
            let lower = min(Int(position.rounded(.down)), rgb.count - 2)
            let f = position - Double(lower)
            let (a, b) = (rgb[lower], rgb[lower + 1])
            func mix(_ x: Double, _ y: Double) -> UInt8 { UInt8((x + (y - x) * f).rounded(.toNearestOrAwayFromZero)) }
            return (mix(a.0, b.0), mix(a.1, b.1), mix(a.2, b.2))
        }
    }

    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.stops == rhs.stops }

    /// The table index of `value` on a scale whose top is `max` (as the browser's `lutIndex`): 0 for NaN, negatives
    /// and a non-positive top, 255 from the top up.
    public static func index(_ value: Double, max: Double) -> Int {
        let t = value * (max > 0 ? 255 / max : 0)
        guard t > 0 else { return 0 }
        return t >= 255 ? 255 : Int(t + 0.5)
    }

    /// The colour at `index` as `#rrggbb`.
    public func hex(_ index: Int) -> String {
        let (r, g, b) = table[index]
        return "#"
            + [r, g, b].map { byte in
                let digits = String(byte, radix: 16)
                return digits.count < 2 ? "0" + digits : digits
            }.joined()
    }

    private static func rgb(_ hex: String) -> (Double, Double, Double) {
        let value = Int(hex.dropFirst(), radix: 16) ?? 0
        return (Double((value >> 16) & 255), Double((value >> 8) & 255), Double(value & 255))
    }
}
