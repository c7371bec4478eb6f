import Analysis
import Foundation
import Synchronization
import Transformer

/// One run in memory: its model, trace and summary, the contributions and whole-run lens grids (each computed once,
/// on first need) and the analysis results served so far. Immutable apart from those caches; safe to share between
/// requests.
public final class RunState: Sendable {
    public let id: String
    public let model: LoadedModel
    public let trace: Trace
    /// The run summary JSON (`POST /api/runs`, `GET /api/runs/{id}`).
    public let summary: Data
    public let prompt: String
    /// Whether the run was read back from the cache database (only then can earlier results be there too).
    public let restored: Bool
    private let contributionsCache = Mutex<ModelContributions?>(nil)
    private let contributionsLock = NSLock()
    /// Whole-run top-1 lens grids by point and normalization: `GET /lens-grid` and the anomalies' lens flips (post,
    /// normalized) share them, and a range of positions is sliced from one when it is there. At most 6 per run,
    /// each `L × n` predictions (about 1.6 MB at 18 layers × 1597 tokens).
    private let lensGrids = Mutex<[String: [[[NextTokenPrediction]]]]>([:])
    private let lensGridLock = NSLock()
    private let results = Mutex<[String: Data]>([:])
    /// Who waits for an analysis being computed, by analysis key: equal requests in flight share one computation.
    private let waiting = Mutex<[String: [@Sendable (Result<Data, ServiceError>) -> Void]]>([:])

    init(id: String, model: LoadedModel, trace: Trace, summary: Data, prompt: String, restored: Bool) {
        self.id = id
        self.restored = restored
        self.model = model
        self.trace = trace
        self.summary = summary
        self.prompt = prompt
    }

    /// The contributions of every layer, computed on the first call (concurrent callers wait for that one).
    public func contributions(workers: Int) throws -> ModelContributions {
        if let cached = contributionsCache.withLock({ $0 }) { return cached }
        contributionsLock.lock()
        defer { contributionsLock.unlock() }
        if let cached = contributionsCache.withLock({ $0 }) { return cached }
        let computed = try ModelContributions.compute(model: model.model, trace: trace, workers: workers)
        contributionsCache.withLock { $0 = computed }
        return computed
    }

    /// The top-1 logit lens of every (layer, position) at `point`, `[L][n]`, computed on the first call for that
    /// point and normalization (concurrent callers wait for that one).
    public func lensGrid(point: ResidualPoint, normalize: Bool, workers: Int) throws -> [[[NextTokenPrediction]]] {
        let key = "\(point.rawValue)/\(normalize)"
        if let cached = lensGrids.withLock({ $0[key] }) { return cached }
        lensGridLock.lock()
        defer { lensGridLock.unlock() }
        if let cached = lensGrids.withLock({ $0[key] }) { return cached }
        let computed = try NextTokenTable.lensGrid(
            model: model.model, trace: trace, point: point, k: 1, normalize: normalize, workers: workers)
        lensGrids.withLock { $0[key] = computed }
        return computed
    }

    /// The whole-run lens grid at `point` if it was computed already.
    public func cachedLensGrid(point: ResidualPoint, normalize: Bool) -> [[[NextTokenPrediction]]]? {
        lensGrids.withLock { $0["\(point.rawValue)/\(normalize)"] }
    }

    /// Joins the computation of `key`: true when the caller is the first and must compute it (then `finish`),
    /// false when one is already running and `completion` will get its result.
    func join(_ key: String, _ completion: @escaping @Sendable (Result<Data, ServiceError>) -> Void) -> Bool {
        waiting.withLock { all in
            if all[key] != nil {
                all[key]!.append(completion)
                return false
            }
            all[key] = [completion]
            return true
        }
    }

    /// Ends the computation of `key`: everyone who joined it gets `result`.
    func finish(_ key: String, _ result: Result<Data, ServiceError>) {
        let completions = waiting.withLock { $0.removeValue(forKey: key) } ?? []
        for completion in completions { completion(result) }
    }

    /// A result served before, by analysis key.
    func result(_ key: String) -> Data? { results.withLock { $0[key] } }

    func remember(_ key: String, _ body: Data) {
        results.withLock { cache in
            if cache.count >= 256 { cache.removeAll() } // bounded: many distinct parameter sets just recompute
            cache[key] = body
        }
    }
}
