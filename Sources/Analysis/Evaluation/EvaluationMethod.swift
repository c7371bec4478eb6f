/// The explainers an evaluation compares (`docs/analyses.md` §7): five attribution methods of §6 by the names of
/// `glassbox attribute --method`, and the contribution graph's token-level share of the target.
public enum EvaluationMethod: String, Sendable, Equatable, Hashable, CaseIterable {
    case saliency
    case gradxinput
    case ig
    case occlusion
    case attentionGradient = "attention-gradient"
    /// The rollout of the contribution graph's token-to-token weights to the target position
    /// (`ContributionShare`).
    case contributionShare = "contribution-share"

    /// The attribution method behind this explainer (nil for the contribution share).
    public var attributionMethod: AttributionMethod? {
        switch self {
        case .saliency: return .saliency
        case .gradxinput: return .gradxinput
        case .ig: return .ig
        case .occlusion: return .occlusion
        case .attentionGradient: return .attentionGradient
        case .contributionShare: return nil
        }
    }

    /// How reports name it in sentences.
    public var label: String {
        switch self {
        case .saliency: return "saliency"
        case .gradxinput: return "gradient × input"
        case .ig: return "IG"
        case .occlusion: return "occlusion"
        case .attentionGradient: return "attention × gradient"
        case .contributionShare: return "the contribution share"
        }
    }

    /// Every name, for error messages.
    public static var names: String { allCases.map(\.rawValue).joined(separator: ", ") }

    /// A comma-separated list (`"ig,occlusion"`); throws `EvaluationError` naming `field` for an empty list, an
    /// unknown name or a repeated one.
    public static func parseList(_ text: String, field: String = "methods") throws(EvaluationError) -> [Self] {
        let names = text.split(separator: ",", omittingEmptySubsequences: false).map {
            $0.trimmingCharacters(in: .whitespaces)
        }
        guard !names.allSatisfy(\.isEmpty) else {
            throw EvaluationError(field: field, "the method list is empty: name at least one of \(Self.names)")
        }
        var methods: [Self] = []
        for name in names {
            guard let method = Self(rawValue: name) else {
                throw EvaluationError(field: field, "unknown method \"\(name)\": use \(Self.names)")
            }
            guard !methods.contains(method) else {
                throw EvaluationError(field: field, "\(name) is named twice")
            }
            methods.append(method)
        }
        return methods
    }
}
