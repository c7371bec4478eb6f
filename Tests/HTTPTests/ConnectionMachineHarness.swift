import Foundation
import HTTP

typealias Machine = ConnectionStateMachine

/// An action reduced to what a test compares: the request's method and target, the response's id, status and
/// close flag, the timer deadline in seconds.
enum Step: Equatable, CustomStringConvertible {
    case deliver(Int, String)
    case send(Int, status: Int, close: Bool)
    case sendChunk(String, chunked: Bool)
    case endStream(chunked: Bool)
    case sendContinue, flush, pauseReading, resumeReading, watchWritable, stopWatchingWritable
    case setTimer(Double)
    case shutdownWrite, close

    init(_ action: Machine.Action) {
        switch action {
        case .deliver(let id, let request): self = .deliver(id, "\(request.method) \(request.target)")
        case .send(let outgoing): self = .send(outgoing.id, status: outgoing.response.status, close: outgoing.close)
        case .sendChunk(let data, let chunked):
            self = .sendChunk(String(decoding: data, as: UTF8.self), chunked: chunked)
        case .endStream(let chunked): self = .endStream(chunked: chunked)
        case .sendContinue: self = .sendContinue
        case .flush: self = .flush
        case .pauseReading: self = .pauseReading
        case .resumeReading: self = .resumeReading
        case .watchWritable: self = .watchWritable
        case .stopWatchingWritable: self = .stopWatchingWritable
        case .setTimer(let deadline): self = .setTimer(Double(deadline.nanoseconds) / 1e9)
        case .shutdownWrite: self = .shutdownWrite
        case .close: self = .close
        }
    }

    var description: String {
        switch self {
        case .deliver(let id, let request): "deliver(\(id), \(request))"
        case .send(let id, let status, let close): "send(\(id), \(status)\(close ? ", close" : ""))"
        case .setTimer(let seconds): "setTimer(\(seconds))"
        case .sendChunk(let text, let chunked): "sendChunk(\(text.debugDescription)\(chunked ? "" : ", raw"))"
        case .endStream(let chunked): "endStream(\(chunked ? "chunked" : "raw"))"
        case .sendContinue: "sendContinue"
        case .flush: "flush"
        case .pauseReading: "pauseReading"
        case .resumeReading: "resumeReading"
        case .watchWritable: "watchWritable"
        case .stopWatchingWritable: "stopWatchingWritable"
        case .shutdownWrite: "shutdownWrite"
        case .close: "close"
        }
    }
}

/// A state machine under test: events in, steps out, with the time in seconds. Defaults: header 10 s, body 30 s,
/// idle 60 s, 16 pipelined requests.
struct Harness {
    var machine: Machine
    /// The responses of every `.send` so far, for checks beyond `Step`.
    var sent: [Machine.OutgoingResponse] = []

    init(opened: Bool = true, _ configure: (inout HTTPServerConfiguration) -> Void = { _ in }) {
        var configuration = HTTPServerConfiguration()
        configure(&configuration)
        machine = Machine(configuration: configuration)
        if opened { _ = on(.opened(at: t(0))) }
    }

    var state: Machine.State { machine.state }

    mutating func on(_ event: Machine.Event) -> [Step] {
        let actions = machine.handle(event)
        for case .send(let outgoing) in actions { sent.append(outgoing) }
        return actions.map(Step.init)
    }

    mutating func read(_ text: String, at seconds: Double) -> [Step] {
        on(.bytesRead(Data(text.utf8), at: t(seconds)))
    }

    mutating func respond(_ id: Int, _ status: Int = 200, headers: [(String, String)] = []) -> [Step] {
        on(.responseReady(id, HTTPResponse(status: status, headers: HTTPHeaders(headers), body: Data("ok".utf8))))
    }

    /// Request `id` is answered with a streamed body.
    mutating func respondStreaming(_ id: Int, _ status: Int = 200) -> [Step] {
        on(.responseReady(id, .streaming(status, contentType: "text/event-stream", stream: ResponseStream())))
    }

    /// The driver wrote everything queued.
    mutating func drained(at seconds: Double, sent bytes: Int = 100) -> [Step] {
        on(.wrote(sent: bytes, drained: true, at: t(seconds)))
    }

    /// The socket buffer filled up after `bytes`.
    mutating func blocked(at seconds: Double, sent bytes: Int = 100) -> [Step] {
        on(.wrote(sent: bytes, drained: false, at: t(seconds)))
    }

    mutating func timer(at seconds: Double) -> [Step] {
        on(.timerFired(at: t(seconds)))
    }
}

/// `seconds` after boot.
func t(_ seconds: Double) -> Uptime { .seconds(seconds) }
