import Analysis
import Foundation
import GlassboxServer
import HTTP
import Synchronization
import Testing
import TestSupport
import Tokenizers
import Transformer

/// `POST /api/generate`: the streamed JSON lines, the tokens against `TextGenerator` run directly, the stored run,
/// seeded sampling, bad requests, and a client that goes away.
@Suite("HTTP API: generation")
struct GenerateAPITests {
    /// The lines of a streamed answer, collected as they come; `cancelAfter`: cancel the stream (as a closed
    /// connection does) once that many token lines have arrived.
    final class Lines: Sendable {
        private let state = Mutex<(raw: [Data], tokens: Int, atCancel: Int?)>(([], 0, nil))
        let finished = DispatchSemaphore(value: 0)

        func take(_ response: HTTPResponse, cancelAfter: Int? = nil) throws {
            let stream = try #require(response.stream)
            stream.onCancel { self.finished.signal() }
            stream.attach { item in
                switch item {
                case .data(let data):
                    for piece in data.split(separator: 0x0A) {
                        let isToken = String(decoding: piece, as: UTF8.self).hasPrefix("{\"event\":\"token\"")
                        let tokens: Int = self.state.withLock { state in
                            state.raw.append(Data(piece))
                            if isToken { state.tokens += 1 }
                            return state.tokens
                        }
                        if isToken, let cancelAfter, tokens == cancelAfter {
                            stream.cancel()
                            self.state.withLock { $0.atCancel = $0.tokens }
                        }
                    }
                case .end:
                    self.finished.signal()
                }
            }
        }

        /// Token lines that had arrived when the cancellation was done.
        var tokensAtCancel: Int? { state.withLock { $0.atCancel } }

        var lines: [[String: Any]] {
            state.withLock { $0.raw }.map { (try? JSONSerialization.jsonObject(with: $0)) as? [String: Any] ?? [:] }
        }
    }

    static func generate(_ server: ServerFixture, _ body: String, cancelAfter: Int? = nil) throws -> [[String: Any]] {
        try stream(server, body, cancelAfter: cancelAfter).lines
    }

    static func stream(_ server: ServerFixture, _ body: String, cancelAfter: Int? = nil) throws -> Lines {
        let response = try server.call("POST", "/api/generate", body: body)
        #expect(response.status == 200, "\(String(decoding: response.body, as: UTF8.self))")
        #expect(response.headers["Content-Type"] == "application/x-ndjson")
        let lines = Lines()
        try lines.take(response, cancelAfter: cancelAfter)
        #expect(lines.finished.wait(timeout: .now() + 60) == .success)
        return lines
    }

    @Test("greedy: start, a line per token equal to TextGenerator's, done with the stored run")
    func greedy() throws {
        let server = try ServerFixture()
        let lines = try Self.generate(
            server,
            "{\"model\": \"tiny-llama\", \"prompt\": \"The quick brown\", \"greedy\": true, \"max_new_tokens\": 6}")
        #expect(lines.first?["event"] as? String == "start")
        let tokens = lines.filter { $0["event"] as? String == "token" }
        let done = try #require(lines.last)
        #expect(done["event"] as? String == "done", "\(done)")
        let prompt = try #require((lines.first?["prompt_tokens"] as? [[String: Any]])?.compactMap { $0["id"] as? Int })

        let url = Fixtures.model("tiny-llama")
        let generator = TextGenerator(
            model: try ModelLoader.load(directory: url), tokenizer: try TokenizerLoader.load(url))
        let expected = try generator.generate(
            promptIDs: prompt, options: GenerationOptions(maxNewTokens: 6, sampling: .greedy))
        #expect(tokens.compactMap { $0["id"] as? Int } == expected.ids)
        // Each line says when it was sent, in seconds after the start line: increasing.
        let elapsed = tokens.compactMap { $0["elapsed"] as? Double }
        #expect(
            elapsed.count == tokens.count && elapsed.first! >= 0 && zip(elapsed, elapsed.dropFirst()).allSatisfy(<=))
        #expect(
            done["text"] as? String == expected.text && done["stop_reason"] as? String == expected.stopReason.rawValue)
        let chosen = tokens.first.flatMap {
            ($0["candidates"] as? [[String: Any]])?.first { $0["chosen"] as? Bool == true }
        }
        #expect(chosen?["id"] as? Int == expected.ids.first)

        let run = try #require(done["run"] as? [String: Any])
        let runTokens = try #require((run["tokens"] as? [[String: Any]])?.compactMap { $0["id"] as? Int })
        #expect(runTokens == prompt + expected.ids && run["generated_from"] as? Int == prompt.count)
        let id = try #require(run["id"] as? String)
        #expect(try server.call("GET", "/api/runs/\(id)/graph").status == 200, "every analysis works on it")
    }

    @Test("the attribution of the continuation: a row per generated token, by contribution share or a gradient method")
    func generationAttribution() throws {
        let server = try ServerFixture()
        let lines = try Self.generate(
            server,
            "{\"model\": \"tiny-llama\", \"prompt\": \"The quick brown\", \"greedy\": true, \"max_new_tokens\": 4}")
        let run = try #require(lines.last?["run"] as? [String: Any])
        let id = try #require(run["id"] as? String)
        let from = try #require(run["generated_from"] as? Int)
        let ids = try #require((run["tokens"] as? [[String: Any]])?.compactMap { $0["id"] as? Int })
        let answer = try json(try server.call("GET", "/api/runs/\(id)/generation-attribution"))
        #expect(answer["from"] as? Int == from && answer["method"] as? String == "contribution-share")
        #expect(answer["signed"] as? Bool == false)
        let shares = try #require(answer["scores"] as? [[Double]])
        #expect(shares.count == ids.count - from && shares.allSatisfy { $0.count == ids.count - 1 })
        let url = Fixtures.model("tiny-llama")
        let model = try ModelLoader.load(directory: url)
        let trace = try model.forward(tokens: ids)
        for (row, j) in zip(shares, from..<ids.count) {
            let expected = try ContributionShare.compute(model: model, trace: trace, position: j - 1)
            #expect(zip(row, expected).allSatisfy { abs($0 - $1) <= 1e-6 }, "row of position \(j)")
            #expect(row[j...].allSatisfy { $0 == 0 } && abs(row.reduce(0, +) - 1) < 1e-5)
        }
        let one = try json(try server.call("GET", "/api/runs/\(id)/generation-attribution?from=\(ids.count - 1)"))
        #expect((one["scores"] as? [[Double]])?.count == 1)
        #expect(try server.call("GET", "/api/runs/\(id)/generation-attribution?from=0").status == 400)

        // A gradient or perturbation method: each row is Attribution.compute's with the generated token as the
        // target at the position before it, 0 from that token on.
        for (query, method, steps) in [
            ("method=saliency", AttributionMethod.saliency, 16), ("method=ig&steps=6", .ig, 6),
            ("method=occlusion", .occlusion, 16)
        ] {
            let answer = try json(try server.call("GET", "/api/runs/\(id)/generation-attribution?\(query)"))
            #expect(answer["method"] as? String == method.rawValue && answer["from"] as? Int == from)
            #expect(answer["signed"] as? Bool == (method != .saliency))
            let rows = try #require(answer["scores"] as? [[Double]])
            #expect(rows.count == ids.count - from && rows.allSatisfy { $0.count == ids.count - 1 })
            for (row, j) in zip(rows, from..<ids.count) {
                let expected = try Attribution.compute(
                    model: model, trace: trace, target: GradientTarget(position: j - 1, token: ids[j]),
                    parameters: AttributionParameters(method: method, steps: steps), workers: 2
                ).scores
                let scale = expected.prefix(j).map(abs).max() ?? 0
                #expect(
                    zip(row.prefix(j), expected).allSatisfy { abs($0 - $1) <= 1e-5 * scale + 1e-7 },
                    "\(method) row of position \(j)")
                #expect(row[j...].allSatisfy { $0 == 0 } && scale > 0)
            }
        }
        for (query, parameter) in [
            ("method=lime", "method"), ("method=ig&steps=0", "steps"), ("steps=4", "steps"),
            ("method=saliency&baseline=middle", "baseline")
        ] {
            try APITests.expectError(
                try server.call("GET", "/api/runs/\(id)/generation-attribution?\(query)"), status: 400,
                code: "bad_parameter", parameter: parameter)
        }
    }

    @Test("the same seed gives the same continuation; another seed another")
    func seeded() throws {
        let server = try ServerFixture()
        func ids(_ seed: Int) throws -> [Int] {
            let body =
                "{\"model\": \"tiny-gemma3\", \"prompt\": \"Once upon\", \"temperature\": 1.5, \"top_k\": 40, "
                + "\"top_p\": 0.95, \"seed\": \(seed), \"max_new_tokens\": 10}"
            return try Self.generate(server, body).filter { $0["event"] as? String == "token" }.compactMap {
                $0["id"] as? Int
            }
        }
        let first = try ids(7), again = try ids(7)
        #expect(first.count == 10 && again == first)
        let others = try (1...4).map { try ids($0) }
        #expect(others.contains { $0 != first })
    }

    @Test("a client that goes away stops the generation before the next token")
    func cancelled() throws {
        let server = try ServerFixture()
        let stream = try Self.stream(
            server, "{\"model\": \"tiny-llama\", \"prompt\": \"Hello\", \"greedy\": true, \"max_new_tokens\": 100}",
            cancelAfter: 2)
        // Wait for the producer to notice (its next token) and stop.
        let deadline = Date().addingTimeInterval(10)
        var running = 1
        while Date() < deadline, running != 0 {
            running = try json(try server.call("GET", "/api/health"))["runs_in_progress"] as? Int ?? -1
            Thread.sleep(forTimeInterval: 0.02)
        }
        #expect(running == 0, "the compute queue is free again")
        let lines = stream.lines
        let tokens = lines.filter { $0["event"] as? String == "token" }.count
        let atCancel = try #require(stream.tokensAtCancel)
        #expect(atCancel == 2 && tokens == 2, "\(tokens) tokens; \(atCancel) when the stream was cancelled")
        #expect(!lines.contains { $0["event"] as? String == "done" })
    }

    @Test("bad requests are 400 naming the field, before anything streams")
    func errors() throws {
        let server = try ServerFixture(limits: "{\"max_prompt_tokens\": 16, \"max_new_tokens\": 16}")
        let run = try server.run("Hi")
        let promptTokens = (try json(try server.call("GET", "/api/runs/\(run)"))["tokens"] as? [Any])?.count ?? 0
        #expect(promptTokens >= 1 && promptTokens < 16)
        for (body, parameter) in [
            ("{\"prompt\": \"Hi\", \"temperature\": 0}", "temperature"),
            ("{\"prompt\": \"Hi\", \"temperature\": -1}", "temperature"),
            ("{\"prompt\": \"Hi\", \"top_p\": 0}", "top_p"), ("{\"prompt\": \"Hi\", \"top_p\": 1.5}", "top_p"),
            ("{\"prompt\": \"Hi\", \"top_k\": -1}", "top_k"),
            ("{\"prompt\": \"Hi\", \"max_new_tokens\": 17}", "max_new_tokens"),
            ("{\"prompt\": \"Hi\", \"max_new_tokens\": 0}", "max_new_tokens"),
            ("{\"prompt\": \"Hi\", \"seed\": -3}", "seed"), ("{\"prompt\": \"\"}", "prompt"),
            ("{\"prompt\": \"Hi\", \"stop\": [\"\"]}", "stop"), ("{\"prompt\": \"Hi\", \"speed\": 1}", "speed"),
            ("{\"prompt\": \"Hi\", \"repetition_penalty\": 0}", "repetition_penalty"),
            // The prompt and the continuation over limits.max_prompt_tokens (16).
            ("{\"prompt\": \"Hi\", \"max_new_tokens\": \(16 - promptTokens + 1)}", "max_new_tokens")
        ] {
            let answer = try server.call("POST", "/api/generate", body: body)
            #expect(answer.status == 400 && answer.stream == nil, "\(body): \(answer.status)")
            let details = (try json(answer)["error"] as? [String: Any])?["details"] as? [String: String]
            #expect(details?["parameter"] == parameter, "\(body): \(String(decoding: answer.body, as: UTF8.self))")
        }
        #expect(
            try server.call(
                "POST", "/api/generate",
                body: "{\"prompt\": \"Hi\", \"greedy\": true, \"temperature\": 0, \"max_new_tokens\": 2}"
            )
            .status == 200, "greedy needs no temperature")
    }
}
