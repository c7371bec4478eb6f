import Foundation

/// A suggestion about the measured prompts (`docs/analyses.md` §9), with the measurements that fired it.
public struct Recommendation: Sendable, Equatable {
    /// One measurement behind a recommendation.
    public struct Evidence: Sendable, Equatable {
        /// What was measured, e.g. "mean normalised entropy".
        public let measure: String
        public let layer: Int?
        public let head: Int?
        public let value: Double
        /// The rule's threshold and its direction, e.g. "< 0.2".
        public let threshold: String
    }

    /// The rule's identifier: `concentrated_attention`, `sparse_attention`, `redundant_layer`, `redundant_head`,
    /// `attention_sinks`.
    public let rule: String
    public let message: String
    public let evidence: [Evidence]

    /// The rules of `docs/analyses.md` §9 over aggregated heads and layers.
    public static func rules(
        heads: [Report.HeadSummary], layers: [Report.LayerSummary], redundantHeads: [Report.HeadSummary],
        options: ReportOptions
    ) -> [Recommendation] {
        var out: [Recommendation] = []
        func f(_ x: Double) -> String { String(format: "%.3g", x) }
        func list(_ hs: [Report.HeadSummary]) -> String {
            let names = hs.prefix(12).map { "L\($0.layer)H\($0.head)" }.joined(separator: ", ")
            return hs.count > 12 ? names + " and \(hs.count - 12) more" : names
        }
        let concentrated = heads.filter { ($0.means["normalized_entropy"] ?? .nan) < 0.2 }
        if !concentrated.isEmpty {
            out.append(
                Recommendation(
                    rule: "concentrated_attention",
                    message:
                        "Attention very concentrated in \(concentrated.count) of \(heads.count) heads (\(list(concentrated))): "
                        + "their mean normalised entropy is below 0.2, so each query reads almost one key.",
                    evidence: concentrated.map {
                        Evidence(
                            measure: "mean normalised entropy", layer: $0.layer, head: $0.head,
                            value: $0.means["normalized_entropy"]!, threshold: "< 0.2")
                    }))
        }
        let sparse = heads.filter { ($0.means["sparsity"] ?? .nan) > 0.8 }
        if !sparse.isEmpty {
            out.append(
                Recommendation(
                    rule: "sparse_attention",
                    message:
                        "Sparse attention would suffice for \(sparse.count) heads (\(list(sparse))): on average more "
                        + "than 80% of their admissible keys get less than \(f(options.metricParameters.sparsityEpsilon)).",
                    evidence: sparse.map {
                        Evidence(
                            measure: "mean sparsity", layer: $0.layer, head: $0.head,
                            value: $0.means["sparsity"]!, threshold: "> 0.8")
                    }))
        }
        for layer in layers where layer.redundant {
            var evidence = [
                Evidence(
                    measure: "mean cosine between the layer's input and output", layer: layer.layer, head: nil,
                    value: layer.meanCosine, threshold: "> \(f(options.redundantLayerCosine))"),
                Evidence(
                    measure: "mean relative update", layer: layer.layer, head: nil, value: layer.meanRelativeUpdate,
                    threshold: "< \(f(options.redundantLayerUpdate))")
            ]
            if let skip = layer.skipNats {
                evidence.append(
                    Evidence(
                        measure: "mean |Δ log p| of the prediction when the layer is skipped",
                        layer: layer.layer, head: nil, value: skip, threshold: "(for information)"))
            }
            out.append(
                Recommendation(
                    rule: "redundant_layer",
                    message: "Layer \(layer.layer) is a candidate for pruning: it barely changes the residual stream "
                        + "(cosine \(f(layer.meanCosine)), relative update \(f(layer.meanRelativeUpdate))).",
                    evidence: evidence))
        }
        if !redundantHeads.isEmpty {
            out.append(
                Recommendation(
                    rule: "redundant_head",
                    message:
                        "\(redundantHeads.count) heads are candidates for pruning (\(list(redundantHeads))): zeroing one "
                        + "changes the predicted token's log-probability by less than \(f(options.redundantHeadNats)) nats "
                        + "on average.",
                    evidence: redundantHeads.map {
                        Evidence(
                            measure: "mean |Δ log p| when the head is zeroed (nats)",
                            layer: $0.layer, head: $0.head, value: $0.ablationNats!,
                            threshold: "< \(f(options.redundantHeadNats))")
                    }))
        }
        let sinks = heads.filter { ($0.means["first_token"] ?? .nan) > 0.6 }
        if !heads.isEmpty && sinks.count * 2 > heads.count {
            out.append(
                Recommendation(
                    rule: "attention_sinks",
                    message:
                        "Attention sinks dominate: \(sinks.count) of \(heads.count) heads put more than 60% of their "
                        + "attention on the first token. Keep the first token when using sliding windows or KV eviction.",
                    evidence: [
                        Evidence(
                            measure: "share of heads with mean first-token share > 0.6", layer: nil, head: nil,
                            value: Double(sinks.count) / Double(heads.count), threshold: "> 0.5")
                    ]
                        + sinks.map {
                            Evidence(
                                measure: "mean first-token share", layer: $0.layer, head: $0.head,
                                value: $0.means["first_token"]!, threshold: "> 0.6")
                        }))
        }
        return out
    }
}
