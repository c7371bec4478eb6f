import Analysis
import Foundation
import Synchronization
import Transformer

/// One run in memory: its model, trace and summary, the contributions (computed once, on first need) and the
/// analysis results served so far. Immutable apart from those two caches; safe to share between requests.
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
