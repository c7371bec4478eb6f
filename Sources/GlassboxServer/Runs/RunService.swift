import Analysis
import Foundation
import Hashing
import Store
import Synchronization
import Tokenizers
import Transformer

/// Runs prompts and finds runs again: `POST /api/runs` and the lookup behind every analysis endpoint.
///
/// A run's id is the SHA-256 of the engine version, the model's weights identity, the token ids and the options, so
/// the same input gets the same id and is computed once: from memory (the last `memoryRuns` runs with traces), else
/// from the SQLite cache (summary, trace), else by running the model on the bounded compute queue. Identical
/// requests in flight share one computation.
public final class RunService: Sendable {
    /// Changes whenever an analysis or the trace format changes meaning: old cached runs are then not reused.
    public static let engineVersion = "glassbox-engine-1"

    public let configuration: ServerConfiguration
    public let registry: ModelRegistry
    public let store: RunStore
    /// Model work: runs and the analyses that run the model again (ablation, attributions).
    public let compute: ComputeQueue
    /// Every other analysis heavier than a lookup (graph, contributions, lens, lens grid, anomalies, metrics, …).
    public let analyses: ComputeQueue
    private let memory = Mutex<[String: RunState]>([:])
    private let recency = Mutex<[String]>([])
    private let inFlight = Mutex<[String: [@Sendable (Result<RunState, ServiceError>) -> Void]]>([:])
    private let storeQueue = DispatchQueue(label: "glassbox.store")

    public init(configuration: ServerConfiguration, registry: ModelRegistry, store: RunStore) {
        self.configuration = configuration
        self.registry = registry
        self.store = store
        compute = ComputeQueue(
            maxConcurrent: configuration.limits.maxConcurrentRuns,
            maxQueued: configuration.limits.maxQueuedRuns)
        analyses = ComputeQueue(
            maxConcurrent: configuration.limits.maxConcurrentAnalyses,
            maxQueued: configuration.limits.maxQueuedAnalyses, label: "glassbox.analyses",
            qos: .utility)
    }

    /// What `POST /api/runs` asks for.
    public struct RunRequest: Sendable, Equatable {
        public let model: String
        public let prompt: String
        /// Predictions per position in the summary.
        public let topK: Int
        /// The id the run must have (`POST /api/runs/{id}`, where a proxy routing by id sent it): another id is 409
        /// before any work.
        public var expectedID: String? = nil
        /// The token ids to run instead of tokenizing `prompt` (a generated continuation: the prompt's ids and the
        /// generated ones, which decoding and tokenizing again need not give back).
        public var tokenIDs: [Int]? = nil
        /// Where generation began (the first generated position), for a run made by `POST /api/generate`.
        public var generatedFrom: Int? = nil

        public init(model: String, prompt: String, topK: Int) {
            self.model = model
            self.prompt = prompt
            self.topK = topK
        }

        var optionsJSON: String {
            "{\"top_k\":\(topK)" + (generatedFrom.map { ",\"generated_from\":\($0)" } ?? "") + "}"
        }

        /// What the in-flight table knows the request by.
        var key: String {
            [
                model, prompt, optionsJSON, expectedID ?? "",
                tokenIDs.map { $0.map(String.init).joined(separator: ",") } ?? ""
            ]
            .joined(separator: "\u{0}")
        }
    }

    /// Creates (or finds) the run of `request`; `completion` gets the run or the reason it failed.
    public func createRun(
        _ request: RunRequest, completion: @escaping @Sendable (Result<RunState, ServiceError>) -> Void
    ) {
        // With the model loaded, tokenizing is cheap: a cached run is answered without the compute queue.
        if registry.loadedNames.contains(request.model) {
            do {
                let loaded = try registry.model(request.model)
                let ids = try ids(of: request, loaded)
                let id = runID(loaded, ids: ids, options: request.optionsJSON)
                try Self.check(id, expected: request.expectedID)
                if let state = try cachedState(id: id, loaded: loaded, recompute: false) {
                    return completion(.success(state))
                }
            } catch {
                return completion(.failure(ServiceError(error)))
            }
        }
        let key = SHA256.hex(request.key)
        let first: Bool = inFlight.withLock { waiting in
            if waiting[key] != nil {
                waiting[key]!.append(completion)
                return false
            }
            waiting[key] = [completion]
            return true
        }
        guard first else { return }
        let accepted = compute.submit { [self] in
            let result: Result<RunState, ServiceError>
            do {
                result = .success(try run(request))
            } catch {
                result = .failure(ServiceError(error))
            }
            finish(key, result)
        }
        if !accepted {
            finish(
                key,
                .failure(
                    .busy(
                        "the server is running \(compute.maxConcurrent) prompt(s) with "
                            + "\(compute.maxQueued) waiting: try again shortly", retryAfter: 2)))
        }
    }

    /// The id `request`'s run has (computed or not): tokenizing needs the model, loaded on the compute queue when
    /// it is not yet.
    public func id(of request: RunRequest, completion: @escaping @Sendable (Result<String, ServiceError>) -> Void) {
        let work: @Sendable () -> Void = { [self] in
            do {
                let loaded = try registry.model(request.model)
                completion(.success(runID(loaded, ids: try ids(of: request, loaded), options: request.optionsJSON)))
            } catch {
                completion(.failure(ServiceError(error)))
            }
        }
        if registry.loadedNames.contains(request.model) { return work() }
        if !compute.submit(work) {
            completion(
                .failure(
                    .busy("the server is busy loading models and running prompts: try again shortly", retryAfter: 2)))
        }
    }

    /// Throws 409 when a run's id is not the one its request was sent to.
    private static func check(_ id: String, expected: String?) throws {
        guard let expected, expected != id else { return }
        throw ServiceError.conflict(
            "this request makes the run \(id), not \(expected): POST it to /api/runs (or /api/runs/\(id))")
    }

    private func finish(_ key: String, _ result: Result<RunState, ServiceError>) {
        let waiting = inFlight.withLock { $0.removeValue(forKey: key) } ?? []
        for completion in waiting { completion(result) }
    }

    /// The run `id` with its trace: from memory, from the cache (recomputing the trace if it was evicted), or 404.
    public func state(id: String, completion: @escaping @Sendable (Result<RunState, ServiceError>) -> Void) {
        guard id.count == 64, id.allSatisfy({ $0.isHexDigit && !$0.isUppercase }) else {
            return completion(.failure(.notFound("run", "no run with id \"\(id)\": ids are 64 lowercase hex digits")))
        }
        if let state = memory.withLock({ $0[id] }) {
            touch(id)
            return completion(.success(state))
        }
        let stored: StoredRun?
        do { stored = try store.run(id: id) } catch { return completion(.failure(.internal("\(error)"))) }
        guard let stored else { return completion(.failure(.notFound("run", "no run with id \"\(id)\""))) }
        let accepted = compute.submit { [self] in
            do {
                let loaded = try registry.model(stored.model)
                guard let state = try cachedState(id: id, loaded: loaded) else {
                    throw ServiceError.notFound("run", "no run with id \"\(id)\"")
                }
                completion(.success(state))
            } catch {
                completion(.failure(ServiceError(error)))
            }
        }
        if !accepted { completion(.failure(.busy("the server is busy: try again shortly", retryAfter: 2))) }
    }

    // MARK: - Work

    private func runner(_ loaded: LoadedModel) -> PromptRunner {
        PromptRunner(model: loaded.model, tokenizer: loaded.tokenizer, maxTokens: configuration.limits.maxPromptTokens)
    }

    /// The request's token ids: given (each checked against the vocabulary), else the prompt tokenized.
    private func ids(of request: RunRequest, _ loaded: LoadedModel) throws -> [Int] {
        guard let ids = request.tokenIDs else { return try tokenize(request.prompt, loaded) }
        let vocabulary = loaded.model.info.vocabSize
        if let index = ids.firstIndex(where: { !(0..<vocabulary).contains($0) }) {
            throw ServiceError.badParameter(
                "token_ids[\(index)]", "\(ids[index]) is not a token id of \(loaded.name) (0 to \(vocabulary - 1))")
        }
        return ids
    }

    private func tokenize(_ prompt: String, _ loaded: LoadedModel) throws -> [Int] {
        do { return try runner(loaded).tokenize(prompt) } catch { throw ServiceError(error) }
    }

    private func runID(_ loaded: LoadedModel, ids: [Int], options: String) -> String {
        SHA256.hex(
            [
                Self.engineVersion, loaded.name, loaded.weightsIdentity, ids.map(String.init).joined(separator: ","),
                options
            ].joined(separator: "\u{0}"))
    }

    /// The run from memory, or rebuilt from the cache (trace read back, or recomputed when `recompute` allows:
    /// only on the compute queue); nil if not cached.
    private func cachedState(id: String, loaded: LoadedModel, recompute: Bool = true) throws -> RunState? {
        if let state = memory.withLock({ $0[id] }) {
            touch(id)
            return state
        }
        guard let stored = try store.run(id: id), stored.model == loaded.name else { return nil }
        let trace: Trace
        if let data = try store.trace(runID: id), let decoded = try? TraceCodec.decode(data),
            decoded.tokens == stored.tokenIDs
        {
            trace = decoded
        } else {
            guard recompute else { return nil }
            trace = try forward(loaded, ids: stored.tokenIDs).trace
            storeTrace(trace, id: id)
        }
        let state = RunState(
            id: id, model: loaded, trace: trace, summary: stored.summary, prompt: stored.prompt,
            restored: true)
        remember(state)
        return state
    }

    private func forward(_ loaded: LoadedModel, ids: [Int]) throws -> PromptRun {
        try runner(loaded).run(ids: ids, options: ForwardOptions(workers: configuration.threads))
    }

    /// Loads, tokenizes, runs and stores one request (on the compute queue).
    private func run(_ request: RunRequest) throws -> RunState {
        let loaded = try registry.model(request.model)
        let ids = try ids(of: request, loaded)
        let id = runID(loaded, ids: ids, options: request.optionsJSON)
        try Self.check(id, expected: request.expectedID)
        if let state = try cachedState(id: id, loaded: loaded) { return state }
        let prompt = request.prompt.isEmpty ? loaded.tokenizer.decode(ids) : request.prompt
        let run = try forward(loaded, ids: ids), trace = run.trace
        // The trace holds the last position's logits; other positions' predictions are the last layer's logit
        // lens (GET …/lens), computed on demand: an LM head pass over every position costs more than the forward
        // pass itself with a 262k vocabulary.
        let predictions = run.predictions(k: request.topK)
        let summary = RunSummary.json(
            id: id, loaded: loaded, ids: ids, prompt: prompt, predictions: predictions,
            generatedFrom: request.generatedFrom)
        let state = RunState(
            id: id, model: loaded, trace: trace, summary: summary, prompt: prompt,
            restored: false)
        remember(state)
        let stored = StoredRun(
            id: id, model: loaded.name, prompt: prompt, tokenIDs: ids,
            options: request.optionsJSON, summary: summary, created: Date().timeIntervalSince1970)
        try store.save(stored) // the run itself is durable before it is answered
        storeTrace(trace, id: id)
        return state
    }

    /// Traces up to this size are cached in the database; larger ones are recomputed from the token ids when
    /// needed (a forward pass takes under a second here, while writing hundreds of megabytes would hold the
    /// database for seconds).
    static let largestStoredTrace = 64 << 20

    private func storeTrace(_ trace: Trace, id: String) {
        guard trace.storage.count * MemoryLayout<Float>.size <= Self.largestStoredTrace else { return }
        let encoded = TraceCodec.encode(trace)
        storeQueue.async { [store] in try? store.saveTrace(runID: id, data: encoded) }
    }

    // MARK: - Memory LRU

    /// Keeps `state` as the newest run in memory, then drops the oldest while more than `memory_runs` runs or more
    /// than `memory_megabytes` of traces are held (the newest stays even when it alone is larger).
    private func remember(_ state: RunState) {
        memory.withLock { runs in
            runs[state.id] = state
            let evicted: [String] = recency.withLock { order in
                order.removeAll { $0 == state.id }
                order.append(state.id)
                let budget = configuration.memoryMegabytes << 20
                var bytes = order.reduce(0) { $0 + (runs[$1].map(Self.traceBytes) ?? 0) }
                var gone: [String] = []
                while order.count > 1, order.count > configuration.memoryRuns || bytes > budget {
                    let oldest = order.removeFirst()
                    bytes -= runs[oldest].map(Self.traceBytes) ?? 0
                    gone.append(oldest)
                }
                return gone
            }
            for id in evicted { runs.removeValue(forKey: id) }
        }
    }

    private static func traceBytes(_ state: RunState) -> Int { state.trace.storage.count * MemoryLayout<Float>.size }

    private func touch(_ id: String) {
        recency.withLock { order in
            if let index = order.firstIndex(of: id), index != order.count - 1 {
                order.remove(at: index)
                order.append(id)
            }
        }
    }

    /// Saves an analysis result in the cache (in the background).
    func persist(runID: String, analysis: String, parameters: String, body: Data) {
        storeQueue.async { [store] in
            try? store.saveResult(runID: runID, analysis: analysis, parameters: parameters, body: body)
        }
    }

    /// A persisted analysis result.
    func persisted(runID: String, analysis: String, parameters: String) -> Data? {
        try? store.result(runID: runID, analysis: analysis, parameters: parameters)
    }

    /// Waits until every background cache write queued so far is done (graceful shutdown, tests).
    public func flush() { storeQueue.sync {} }
}
