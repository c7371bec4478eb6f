import Transformer

/// The perturbed forward passes of every deletion and insertion curve of an evaluation. Equal inputs (the two ends
/// every curve shares, and equal steps of different orders) run once; the rest are independent passes, batched and
/// split over the workers by `PerturbedPasses`.
struct CurvePasses {
    let passes: PerturbedPasses
    /// The prompt's `[n, d]` input embeddings and the baseline rows.
    let input: [Float]
    let baseline: [Float]

    /// The distinct perturbed inputs of the curves of `orders`, and for each order and curve kind the index of each
    /// step's input among them.
    static func masks(orders: [[Int]]) -> (unique: [PerturbationMask], steps: [[CurveKind: [Int]]]) {
        var unique: [PerturbationMask] = [], index: [PerturbationMask: Int] = [:]
        let steps = orders.map { order in
            var byKind: [CurveKind: [Int]] = [:]
            for kind in CurveKind.allCases {
                byKind[kind] = (0...order.count).map { k in
                    let mask = PerturbationMask(kind: kind, order: order, steps: k)
                    if let i = index[mask] { return i }
                    index[mask] = unique.count
                    unique.append(mask)
                    return unique.count - 1
                }
            }
            return byKind
        }
        return (unique, steps)
    }

    /// Most passes the curves of `orders` orders of `n` positions take (before equal inputs are merged).
    static func maximumPasses(orders: Int, tokens n: Int) -> Int { 2 + orders * 2 * (n - 1) }

    /// Every order's curves, comprehensiveness and sufficiency, and the distinct passes they took.
    /// `progress(done, passes)` counts distinct passes.
    func evaluate(
        orders: [[Int]], fractions: [Int], shouldContinue: @Sendable () -> Bool,
        progress: @Sendable (_ done: Int, _ passes: Int) -> Void
    ) throws -> (evaluations: [OrderEvaluation], passes: Int) {
        let (unique, steps) = Self.masks(orders: orders)
        let d = passes.model.info.dModel, input = input, baseline = baseline
        let outcomes = try passes.run(
            count: unique.count, gradients: false,
            rows: { unique[$0].rows(input: input, baseline: baseline, dModel: d) }, shouldContinue: shouldContinue,
            progress: { progress($0, unique.count) })
        let evaluations = zip(orders, steps).map { order, step in
            OrderEvaluation(
                order: order, deletion: FaithfulnessCurve(values: step[.deletion]!.map { outcomes[$0].value }),
                insertion: FaithfulnessCurve(values: step[.insertion]!.map { outcomes[$0].value }),
                fractions: fractions)
        }
        return (evaluations, unique.count)
    }
}

extension OrderEvaluation {
    /// The faithfulness of given orders of the positions of `tokens` (each a permutation of `0..<n`), for `target`,
    /// with `baseline` rows: the curves' passes alone, without the explainers that would choose the orders.
    public static func evaluate(
        model: DecoderModel, tokens: [Int], target: GradientTarget, baseline: AttributionBaseline,
        orders: [[Int]], fractions: [Int] = [10, 20, 50], workers: Int = 1,
        scheduling: PassScheduling = PassScheduling(), shouldContinue: @escaping @Sendable () -> Bool = { true }
    ) throws -> [OrderEvaluation] {
        let n = tokens.count
        for order in orders where order.count != n || Set(order) != Set(0..<n) {
            throw EvaluationError(field: "orders", "an order must list every position 0..<\(n) once")
        }
        return try CurvePasses(
            passes: scheduling.passes(model: model, tokens: tokens, target: target, workers: workers),
            input: model.inputEmbeddings(tokens: tokens),
            baseline: Attribution.baselineRows(model: model, baseline, tokens: n)
        ).evaluate(orders: orders, fractions: fractions, shouldContinue: shouldContinue, progress: { _, _ in })
            .evaluations
    }
}
