import Foundation

/// A Unicode normalization applied to text before pre-tokenization (HF `normalizer`).
public enum TextNormalizer: Sendable, Equatable {
    /// No normalizer.
    case none
    /// Canonical composition (Qwen2 uses this).
    case nfc
    /// Canonical decomposition.
    case nfd
    /// Compatibility composition.
    case nfkc
    /// Compatibility decomposition.
    case nfkd
    /// Several normalizations in order.
    indirect case sequence([TextNormalizer])

    /// The normalized form of `text`.
    func normalize(_ text: String) -> String {
        switch self {
        case .none: text
        case .nfc: text.precomposedStringWithCanonicalMapping
        case .nfd: text.decomposedStringWithCanonicalMapping
        case .nfkc: text.precomposedStringWithCompatibilityMapping
        case .nfkd: text.decomposedStringWithCompatibilityMapping
        case .sequence(let steps): steps.reduce(text) { $1.normalize($0) }
        }
    }

    /// True when normalizing never changes the text.
    var isIdentity: Bool {
        switch self {
        case .none: true
        case .sequence(let steps): steps.allSatisfy(\.isIdentity)
        default: false
        }
    }
}
