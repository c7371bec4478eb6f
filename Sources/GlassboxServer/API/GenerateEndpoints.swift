import Foundation
import HTTP
import Synchronization
import JSON
import Transformer

/// `POST /api/generate`: continues a prompt, streaming each token as JSON lines (`application/x-ndjson`) while it
/// is produced, then stores prompt and continuation as a run (`generated_from` marks where generation began) so
/// every analysis works on it. On the compute queue like runs; a client that closes the connection stops the work
/// before the next token (`ResponseStream.isCancelled`).
///
/// Lines: `{"event": "start", …}` once; `{"event": "token", …}` per token (its id, text, the uniform draw, the
/// candidates with their probabilities before and after the sampling filters, `elapsed`, the seconds since the start
/// line was sent, and `sent_at`, the server's clock); `{"event": "done", …}` with the text,
/// why it stopped, the timings and the run's summary; or `{"event": "error", "error": {code, message}}`.
extension GlassboxAPI {
    /// A parsed generation request.
    struct GenerateRequest: Sendable {
        let model: String
        let prompt: String
        let options: GenerationOptions
    }

    func generate(_ request: HTTPRequest, _ respond: @escaping @Sendable (HTTPResponse) -> Void) {
        let parsed: GenerateRequest
        let loaded: LoadedModel
        let promptIDs: [Int]
        do {
            try QueryParameters(request.query).allow([])
            parsed = try Self.parseGenerate(request.body, configuration: service.configuration)
            loaded = try service.registry.model(parsed.model)
            promptIDs = try Self.promptIDs(parsed, loaded, configuration: service.configuration)
        } catch {
            return respond(Self.response(ServiceError(error)))
        }
        var options = parsed.options
        options.endOfSequenceIDs = loaded.endOfSequenceIDs
        options.workers = service.configuration.threads
        let generator = TextGenerator(model: loaded.model, tokenizer: loaded.tokenizer)
        do {
            try generator.validate(options, promptTokens: promptIDs.count)
        } catch {
            return respond(Self.response(ServiceError(error)))
        }
        let settings = options
        let stream = ResponseStream()
        let accepted = service.compute.submit { [service] in
            guard !stream.isCancelled else { return }
            let started = Date()
            stream.send(Self.startLine(parsed, promptIDs: promptIDs, loaded: loaded))
            let firstToken = Mutex<Double?>(nil)
            let generation: Generation
            do {
                generation = try generator.generate(promptIDs: promptIDs, options: settings) { token in
                    firstToken.withLock { $0 = $0 ?? Date().timeIntervalSince(started) }
                    stream.send(Self.tokenLine(token, loaded, elapsed: Date().timeIntervalSince(started)))
                    return !stream.isCancelled
                }
            } catch {
                stream.send(Self.errorLine(ServiceError(error)))
                return stream.finish()
            }
            guard generation.stopReason != .cancelled else { return stream.finish() }
            let seconds = Date().timeIntervalSince(started)
            let first = firstToken.withLock { $0 }
            var run = RunService.RunRequest(model: parsed.model, prompt: parsed.prompt + generation.text, topK: 5)
            run.tokenIDs = promptIDs + generation.ids
            run.generatedFrom = promptIDs.count
            guard !service.configuration.routeByID else {
                // Behind a proxy routing by id the run belongs on the instance its id hashes to: the client posts
                // `run_request` to /api/runs, which redirects there.
                stream.send(Self.doneLine(generation, seconds: seconds, firstToken: first, summary: nil, request: run))
                return stream.finish()
            }
            let stored = run
            service.createRun(stored) { result in
                switch result {
                case .success(let state):
                    stream.send(
                        Self.doneLine(
                            generation, seconds: seconds, firstToken: first, summary: state.summary, request: stored))
                case .failure(let error):
                    stream.send(Self.errorLine(error))
                }
                stream.finish()
            }
        }
        guard accepted else {
            return respond(
                Self.response(
                    .busy(
                        "the server is running \(service.compute.maxConcurrent) prompt(s) with "
                            + "\(service.compute.maxQueued) waiting: try again shortly", retryAfter: 2)))
        }
        respond(.streaming(contentType: "application/x-ndjson", stream: stream))
    }

    /// The body: `{"model", "prompt", "max_new_tokens", "greedy", "temperature", "top_k", "top_p",
    /// "repetition_penalty", "seed", "stop", "candidates"}`; unknown keys are errors.
    static func parseGenerate(_ body: Data, configuration: ServerConfiguration) throws -> GenerateRequest {
        let json = try JSONBody(
            body,
            known: [
                "model", "prompt", "max_new_tokens", "greedy", "temperature", "top_k", "top_p", "repetition_penalty",
                "seed", "stop", "candidates"
            ],
            example: "{\"prompt\": \"Once upon a time\", \"max_new_tokens\": 16, \"temperature\": 0.8, \"seed\": 1}")
        let model = try json.model(configuration)
        let prompt = try json.prompt(configuration, required: "the text to continue")
        let limit = configuration.limits.maxNewTokens
        var sampling = SamplingParameters()
        sampling.greedy = try json.bool("greedy") ?? false
        sampling.temperature = try json.double("temperature") ?? 1
        sampling.topK = try json.int("top_k", in: Int.min...Int.max) ?? 0
        sampling.topP = try json.double("top_p") ?? 1
        sampling.repetitionPenalty = try json.double("repetition_penalty") ?? 1
        if let seed = try json.int("seed", in: Int.min...Int.max) {
            guard seed >= 0 else { throw ServiceError.badParameter("seed", "must be 0 or more, got \(seed)") }
            sampling.seed = UInt64(seed)
        }
        try sampling.validate()
        guard let maxNew = try json.int("max_new_tokens", in: Int.min...Int.max) ?? Optional(min(32, limit)),
            maxNew >= 1,
            maxNew <= limit
        else {
            throw ServiceError.badParameter(
                "max_new_tokens", "must be from 1 to \(limit) (limits.max_new_tokens) on this server")
        }
        let stops = try json.strings("stop") ?? []
        guard stops.count <= 16, stops.allSatisfy({ !$0.isEmpty && $0.utf8.count <= 256 }) else {
            throw ServiceError.badParameter("stop", "at most 16 non-empty strings of at most 256 bytes")
        }
        let candidates = try json.int("candidates", in: 0...50) ?? 10
        return GenerateRequest(
            model: model, prompt: prompt,
            options: GenerationOptions(
                maxNewTokens: maxNew, sampling: sampling, stopStrings: stops, candidates: candidates))
    }

    /// The prompt's ids; the prompt and the continuation must fit the server's token limit (413 otherwise).
    static func promptIDs(_ request: GenerateRequest, _ loaded: LoadedModel, configuration: ServerConfiguration)
        throws -> [Int]
    {
        let runner = PromptRunner(
            model: loaded.model, tokenizer: loaded.tokenizer, maxTokens: configuration.limits.maxPromptTokens)
        let ids = try runner.tokenize(request.prompt)
        let limit = configuration.limits.maxPromptTokens
        guard ids.count + request.options.maxNewTokens <= limit else {
            throw ServiceError.badParameter(
                "max_new_tokens",
                "the prompt has \(ids.count) tokens: with \(request.options.maxNewTokens) more it passes this "
                    + "server's limit of \(limit) tokens (limits.max_prompt_tokens), so at most "
                    + "\(max(0, limit - ids.count))")
        }
        return ids
    }

    // MARK: lines

    static func line(_ build: (inout JSONWriter.ObjectFields) -> Void) -> Data {
        var w = JSONWriter()
        w.object { build(&$0) }
        var data = w.data
        data.append(0x0A)
        return data
    }

    static func startLine(_ request: GenerateRequest, promptIDs: [Int], loaded: LoadedModel) -> Data {
        line { o in
            o.field("event", "start")
            o.field("model", loaded.name)
            o.field("prompt_tokens") { w in
                w.array(promptIDs) { w, id in
                    w.object { t in
                        t.field("id", id)
                        t.field("display", loaded.tokenizer.displayString(for: id))
                    }
                }
            }
            let s = request.options.sampling
            o.field("sampling") { w in
                w.object { p in
                    p.field("greedy", s.greedy)
                    p.field("temperature", s.temperature)
                    p.field("top_k", s.topK)
                    p.field("top_p", s.topP)
                    p.field("repetition_penalty", s.repetitionPenalty)
                    p.field("seed", Int(s.seed))
                    p.field("max_new_tokens", request.options.maxNewTokens)
                }
            }
        }
    }

    /// `elapsed`: seconds from the start line to this line on the server's clock; `sent_at`: when the line was made,
    /// in seconds since 1970 on that clock, so a client on the same machine (or with a synchronised clock) can tell
    /// how long the line took to reach it.
    static func tokenLine(_ token: GeneratedToken, _ loaded: LoadedModel, elapsed: Double) -> Data {
        line { o in
            o.field("event", "token")
            o.field("elapsed", elapsed)
            o.field("sent_at", Date().timeIntervalSince1970)
            o.field("position", token.position)
            o.field("id", token.id)
            o.field("text", token.text)
            o.field("display", loaded.tokenizer.displayString(for: token.id))
            o.field("uniform") { w in token.uniform.map { w.number($0) } ?? w.raw("null") }
            o.field("candidates") { w in
                w.array(token.candidates) { w, c in
                    w.object { e in
                        e.field("id", c.id)
                        e.field("display", loaded.tokenizer.displayString(for: c.id))
                        e.field("logit", c.logit)
                        e.field("probability", c.probability)
                        e.field("sampled_probability", c.sampledProbability)
                        e.field("chosen", c.chosen)
                    }
                }
            }
        }
    }

    /// `summary`: the stored run's; nil behind a proxy routing by id, where the client posts `run_request`.
    static func doneLine(
        _ generation: Generation, seconds: Double, firstToken: Double?, summary: Data?, request: RunService.RunRequest
    ) -> Data {
        line { o in
            o.field("event", "done")
            o.field("text", generation.text)
            o.field("stop_reason", generation.stopReason.rawValue)
            o.field("generated", generation.tokens.count)
            o.field("seconds", seconds)
            o.field("first_token_seconds") { w in firstToken.map { w.number($0) } ?? w.raw("null") }
            o.field("tokens_per_second", seconds > 0 ? Double(generation.tokens.count) / seconds : 0)
            o.field("run") { w in summary.map { w.raw(String(decoding: $0, as: UTF8.self)) } ?? w.raw("null") }
            o.field("run_request") { w in
                w.object { r in
                    r.field("model", request.model)
                    r.field("token_ids") { $0.array(request.tokenIDs ?? []) }
                    r.field("generated_from", request.generatedFrom ?? 0)
                }
            }
        }
    }

    static func errorLine(_ error: ServiceError) -> Data {
        line { o in
            o.field("event", "error")
            o.field("error") { w in
                w.object { e in
                    e.field("code", error.code)
                    e.field("message", error.description)
                }
            }
        }
    }
}
