/// Where in a layer a residual-stream representation is read.
public enum ResidualPoint: String, Sendable, CaseIterable {
    /// Entering the layer (`X0` for layer 0, else the previous layer's output).
    case pre
    /// After the attention add (`A{l}`).
    case mid
    /// After the FFN add (`I{l}`).
    case post
}

/// A representation: one residual-stream vector of a run.
public struct Representation: Sendable, Hashable, CustomStringConvertible {
    public let layer: Int
    public let point: ResidualPoint
    public let token: Int

    public init(layer: Int, point: ResidualPoint, token: Int) {
        self.layer = layer
        self.point = point
        self.token = token
    }

    /// The representation just before this one in the residual stream, or nil for the embeddings: `pre` for
    /// `mid`, `mid` for `post`, and for `pre` of layer `l ≥ 1` the previous layer's `mid` (its `post` is the same
    /// vector as this `pre`, so comparing with it would show no change).
    public var predecessor: Representation? {
        switch point {
        case .pre: return layer == 0 ? nil : Representation(layer: layer - 1, point: .mid, token: token)
        case .mid: return Representation(layer: layer, point: .pre, token: token)
        case .post: return Representation(layer: layer, point: .mid, token: token)
        }
    }

    public var description: String { "\(point.rawValue)(\(layer))[\(token)]" }
}
