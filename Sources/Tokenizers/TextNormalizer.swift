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
    /// Puts a string in front of the text, unless the text is empty (HF `Prepend`, `▁` for Llama 2).
    case prepend(String)
    /// Replaces every occurrence of a literal pattern, leftmost first, without overlaps (HF `Replace` with a
    /// `String` pattern: `" "` → `▁` for Llama 2 and Gemma). The pattern is not empty.
    case replace(pattern: String, content: String)
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
        case .prepend(let prefix): text.isEmpty ? text : prefix + text
        case .replace(let pattern, let content): Self.replacing(pattern, with: content, in: text)
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

    /// `text` with each occurrence of `pattern` replaced, compared scalar by scalar (as HF does, without
    /// canonical equivalence).
    private static func replacing(_ pattern: String, with content: String, in text: String) -> String {
        let needle = Array(pattern.unicodeScalars)
        let scalars = Array(text.unicodeScalars)
        guard let first = needle.first, scalars.count >= needle.count else { return text }
        var result = String.UnicodeScalarView()
        var i = 0
        while i < scalars.count {
            if scalars[i] == first, i + needle.count <= scalars.count,
                scalars[i..<(i + needle.count)].elementsEqual(needle)
            {
                result.append(contentsOf: content.unicodeScalars)
                i += needle.count
            } else {
                result.append(scalars[i])
                i += 1
            }
        }
        return String(result)
    }
}
