/// One figure `glassbox check` measures per prompt: a single number from one forward pass of the prompt (and, for
/// `kl_to_baseline`, one of the baseline model).
///
/// The anomaly counts use `AttentionAnomalies` with the defaults of `docs/analyses.md` §3; the attention figures use
/// `HeadMetrics` (§1); the next-token figures read the logits after the prompt's last token, softmax in Double.
public enum CheckMetric: String, Sendable, CaseIterable, Hashable {
    case deadHeads = "dead_heads"
    case uniformHeads = "uniform_heads"
    case highAttentionHits = "high_attention_hits"
    case outlierActivations = "outlier_activations"
    case sinkShare = "sink_share"
    case top1Probability = "top1_probability"
    case nextTokenEntropy = "next_token_entropy"
    case expectedProbability = "expected_probability"
    case expectedRank = "expected_rank"
    case expectedIsTop1 = "expected_is_top1"
    case klToBaseline = "kl_to_baseline"

    /// Which thresholds make sense for a metric.
    public enum Domain: Sendable, Equatable {
        /// A count: any finite number ≥ 0.
        case count
        /// A probability or share: a number from 0 to 1.
        case probability
        /// A rank: any finite number ≥ 1.
        case rank
        /// Nats (entropy, KL divergence): any finite number ≥ 0.
        case nats

        /// Whether `threshold` is acceptable.
        public func contains(_ threshold: Double) -> Bool {
            guard threshold.isFinite else { return false }
            switch self {
            case .count, .nats: return threshold >= 0
            case .probability: return threshold >= 0 && threshold <= 1
            case .rank: return threshold >= 1
            }
        }

        /// What an acceptable threshold is, for error messages.
        public var requirement: String {
            switch self {
            case .count: return "a finite number ≥ 0 (a count)"
            case .probability: return "a number from 0 to 1 (a probability)"
            case .rank: return "a finite number ≥ 1 (a rank; 1 is the top token)"
            case .nats: return "a finite number ≥ 0 (nats)"
            }
        }
    }

    public var domain: Domain {
        switch self {
        case .deadHeads, .uniformHeads, .highAttentionHits, .outlierActivations: return .count
        case .sinkShare, .top1Probability, .expectedProbability, .expectedIsTop1: return .probability
        case .expectedRank: return .rank
        case .nextTokenEntropy, .klToBaseline: return .nats
        }
    }

    /// Whether the metric reads a prompt's expected continuation (prompts without one skip its rules).
    public var needsExpected: Bool {
        switch self {
        case .expectedProbability, .expectedRank, .expectedIsTop1: return true
        default: return false
        }
    }

    /// Whether a rule of this metric must name a baseline model.
    public var needsBaseline: Bool { self == .klToBaseline }

    /// Whether the metric needs the head output norms and the anomaly detectors.
    var needsAnomalies: Bool {
        switch self {
        case .deadHeads, .uniformHeads, .highAttentionHits, .outlierActivations: return true
        default: return false
        }
    }

    /// Whether the value is a whole number (printed without decimals).
    public var isIntegral: Bool {
        domain == .count || self == .expectedRank || self == .expectedIsTop1
    }

    /// The definition, as `glassbox check --help` and the README give it.
    public var definition: String {
        switch self {
        case .deadHeads:
            return "heads whose output norm stays below 1% of their layer's mean head output norm at every position"
        case .uniformHeads:
            return "heads whose attention uniformity (mean over rows q >= 4) is at least 0.8"
        case .highAttentionHits:
            return "(layer, head, query) weights above 0.9 on a key other than the query and the first token, q >= 2"
        case .outlierActivations:
            return "residual values (any layer's output, any position) above 20x their position's median |value|"
        case .sinkShare:
            return "the mean over all heads of the head's first-token share (mean over rows q >= 1 of A[q,0])"
        case .top1Probability:
            return "probability of the most likely next token after the prompt"
        case .nextTokenEntropy:
            return "entropy in nats of the next-token distribution after the prompt"
        case .expectedProbability:
            return "probability of the first token of the expected continuation after the prompt"
        case .expectedRank:
            return "rank of that token in the next-token distribution (1 = most likely)"
        case .expectedIsTop1:
            return "1 when that token is the most likely next token, else 0"
        case .klToBaseline:
            return "KL(p_model || p_baseline) in nats of the next-token distributions after the prompt, over the "
                + "vocabulary strings both models share, each renormalised over them (the models may have different "
                + "tokenizers)"
        }
    }
}
