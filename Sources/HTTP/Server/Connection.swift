import Dispatch
import Foundation
import Glibc

/// What a connection needs from its server; shared by all connections.
struct ConnectionContext: Sendable {
    let configuration: HTTPServerConfiguration
    let handler: @Sendable (HTTPRequest, @escaping @Sendable (HTTPResponse) -> Void) -> Void
    let handlerQueue: DispatchQueue
    /// Called on the connection's queue once, after its socket is closed.
    let onClose: @Sendable (Connection) -> Void
}

/// One accepted client socket: reads and parses requests, hands them to the handler queue, writes the responses
/// back in request order, and enforces the deadlines.
///
/// Event-driven, never blocking a thread: a read source, a write source (only while the socket buffer is full) and
/// one timer, all on `queue`, a serial queue targeting the server's I/O queue. Every mutable property is touched
/// only on `queue`, which is why the class is `@unchecked Sendable`; `respond` closures hop onto it.
final class Connection: @unchecked Sendable {
    let queue: DispatchQueue
    private let fd: Int32
    private let context: ConnectionContext
    private var configuration: HTTPServerConfiguration { context.configuration }

    private var readSource: (any DispatchSourceRead)?
    private var readSuspended = false
    private var writeSource: (any DispatchSourceWrite)?
    private var writeSuspended = true
    private var timer: (any DispatchSourceTimer)?
    /// The deadline the timer is set for; it fires there and works out what is actually due.
    private var timerDeadline = DispatchTime.distantFuture
    /// Sources whose cancel handler hasn't run; the descriptor is closed when it reaches 0.
    private var liveSources = 0

    private var parser: HTTPRequestParser
    /// Requests read and not yet answered, in order; the first one's response goes out first.
    private var pending: [Slot] = []
    private var nextSlotID = 0
    /// Bytes queued for the socket: (data, bytes of it already sent).
    private var outgoing: [(data: Data, sent: Int)] = []

    /// No more requests are read: the last one asked to close, was malformed, the peer closed, or the server stops.
    private var stopReading = false
    private var peerClosed = false
    private var shuttingDown = false
    private var closeAfterFlush = false
    private var lingering = false
    private var closed = false

    private var lastActivity = DispatchTime.now()
    private var requestStarted: DispatchTime?
    private var bodyStarted: DispatchTime?
    private var lingerDeadline = DispatchTime.distantFuture

    /// How long a closing connection keeps reading (and discarding) so the peer receives the last response before
    /// the kernel answers its unread bytes with a reset.
    private static let lingerTime = 2.0
    private static let readBufferSize = 65_536
    /// Bodies up to this size are copied behind the head and sent in one call; larger ones are sent from their own
    /// storage without a copy.
    private static let coalesceLimit = 16_384

    private struct Slot {
        let id: Int
        let method: String
        let target: String
        let version: String
        let isHead: Bool
        /// The response must be the last one on this connection.
        let close: Bool
        let received: DispatchTime
        var response: HTTPResponse?
    }

    init(fd: Int32, queue: DispatchQueue, context: ConnectionContext) {
        self.fd = fd
        self.queue = queue
        self.context = context
        parser = HTTPRequestParser(maxHeaderBytes: context.configuration.maxHeaderBytes,
                                   maxRequestLineBytes: context.configuration.maxRequestLineBytes,
                                   maxBodyBytes: context.configuration.maxBodyBytes)
    }

    /// Starts reading. Call once, from any thread.
    func start() {
        queue.async { self.setUp() }
    }

    private func setUp() {
        guard !closed else { return }
        let read = DispatchSource.makeReadSource(fileDescriptor: fd, queue: queue)
        read.setEventHandler { [unowned self] in readable() }
        read.setCancelHandler { [self] in sourceCancelled() }
        let timer = DispatchSource.makeTimerSource(queue: queue)
        timer.setEventHandler { [unowned self] in timerFired() }
        timer.setCancelHandler { [self] in sourceCancelled() }
        readSource = read
        self.timer = timer
        liveSources = 2
        timer.schedule(deadline: .distantFuture)
        read.resume()
        timer.resume()
        updateTimer()
    }

    // MARK: Reading

    private func readable() {
        guard !closed else { return }
        var endOfStream = false
        var failed = false
        withUnsafeTemporaryAllocation(byteCount: Self.readBufferSize, alignment: 16) { buffer in
            for _ in 0 ..< 16 {
                let count = recv(fd, buffer.baseAddress, buffer.count, 0)
                if count > 0 {
                    // Once no more requests are wanted, later bytes are read and dropped (see `updateReading`).
                    if !lingering && !stopReading {
                        parser.append(UnsafeRawBufferPointer(rebasing: buffer[0 ..< count]))
                    }
                    if count < buffer.count { break }
                } else if count == 0 {
                    endOfStream = true
                    break
                } else if errno == EINTR {
                    continue
                } else {
                    failed = errno != EAGAIN && errno != EWOULDBLOCK
                    break
                }
            }
        }
        if failed || (lingering && endOfStream) {
            close()
            return
        }
        if lingering { return }
        lastActivity = .now()
        processInput()
        if endOfStream && !closed { peerFinished() }
    }

    /// Parses buffered bytes into requests while the pipeline has room.
    private func processInput() {
        var failedResponse = false
        while !stopReading && pending.count < configuration.maxPipelinedRequests {
            do {
                guard let request = try parser.next() else { break }
                requestStarted = nil
                bodyStarted = nil
                dispatch(request)
            } catch {
                enqueue(error.response, method: "-", target: "-", version: "HTTP/1.1", isHead: false, close: true)
                stopReading = true
                failedResponse = true
            }
        }
        if !stopReading {
            switch parser.phase {
            case .idle: requestStarted = nil
            case .head: if requestStarted == nil { requestStarted = .now() }
            case .body:
                if requestStarted == nil { requestStarted = .now() }
                if bodyStarted == nil { bodyStarted = .now() }
                if parser.takeContinueRequest() && pending.isEmpty && outgoing.isEmpty {
                    outgoing.append((Data("HTTP/1.1 100 Continue\r\n\r\n".utf8), 0))
                    writeOut()
                }
            }
        }
        updateReading()
        if failedResponse { flushReady() } else { updateTimer() }
    }

    private func dispatch(_ request: HTTPRequest) {
        let id = nextSlotID
        nextSlotID += 1
        let close = !request.keepAlive || shuttingDown
        if close { stopReading = true }
        pending.append(Slot(id: id, method: request.method, target: request.target, version: request.version,
                            isHead: request.method == "HEAD", close: close, received: .now()))
        let respond: @Sendable (HTTPResponse) -> Void = { [self] response in
            queue.async { self.complete(id, response) }
        }
        let handler = context.handler
        context.handlerQueue.async { handler(request, respond) }
    }

    /// Suspends the read source while the pipeline is full or the peer has closed, resumes it otherwise. When no more
    /// requests are wanted (`stopReading`) the source keeps reading and drops the bytes instead of being suspended:
    /// suspending and resuming an fd source around the connection's close races libdispatch's epoll bookkeeping on
    /// Linux (the server died with SIGILL in `_dispatch_source_refs_finalize_unregistration` under the fuzzer, about
    /// once per million requests, most of them answered with an error and a close).
    private func updateReading() {
        guard let readSource, !closed else { return }
        let wanted = lingering
            || (!peerClosed && (stopReading || pending.count < configuration.maxPipelinedRequests))
        if wanted && readSuspended {
            readSource.resume()
            readSuspended = false
        } else if !wanted && !readSuspended {
            readSource.suspend()
            readSuspended = true
        }
    }

    /// The peer closed its sending side: answer what was asked, then close.
    private func peerFinished() {
        peerClosed = true
        stopReading = true
        updateReading()
        if pending.isEmpty && outgoing.isEmpty { close() } else { updateTimer() }
    }

    // MARK: Responses

    private func complete(_ id: Int, _ response: HTTPResponse) {
        guard !closed, let index = pending.firstIndex(where: { $0.id == id }), pending[index].response == nil else {
            return
        }
        pending[index].response = response
        flushReady()
    }

    /// Queues a response that is already known (a parse error or timeout), after the ones still pending.
    private func enqueue(_ response: HTTPResponse, method: String, target: String, version: String, isHead: Bool,
                         close: Bool) {
        let id = nextSlotID
        nextSlotID += 1
        pending.append(Slot(id: id, method: method, target: target, version: version, isHead: isHead, close: close,
                            received: .now(), response: response))
    }

    /// Serialises the finished responses at the front of the pipeline and writes them.
    private func flushReady() {
        while let slot = pending.first, let response = slot.response {
            pending.removeFirst()
            let close = slot.close || response.headers.tokens("Connection").contains("close")
                || (stopReading && pending.isEmpty)
            let head = ResponseHead.serialize(response, headRequest: slot.isHead, requestVersion: slot.version,
                                              close: close, date: HTTPDate.now())
            let sendsBody = !slot.isHead && !HTTPStatus.forbidsBody(response.status)
            var data = Data(head.utf8)
            if sendsBody && !response.body.isEmpty {
                if response.body.count <= Self.coalesceLimit {
                    data.append(response.body)
                    outgoing.append((data, 0))
                } else {
                    outgoing.append((data, 0))
                    outgoing.append((response.body, 0))
                }
            } else {
                outgoing.append((data, 0))
            }
            if let log = configuration.accessLog {
                let milliseconds = Double(DispatchTime.now().uptimeNanoseconds - slot.received.uptimeNanoseconds) / 1e6
                let bytes = sendsBody ? response.body.count : 0
                log("\(slot.method) \(slot.target) \(response.status) \(bytes) \(String(format: "%.1f", milliseconds))")
            }
            if close {
                closeAfterFlush = true
                stopReading = true
                pending.removeAll()
            }
        }
        writeOut()
    }

    /// Sends queued bytes until done or the socket buffer is full (then waits for the write source).
    private func writeOut() {
        guard !closed else { return }
        while !outgoing.isEmpty {
            let (data, sent) = outgoing[0]
            let result = data.withUnsafeBytes { bytes in
                Socket.send(fd, UnsafeRawBufferPointer(rebasing: bytes[sent...]))
            }
            if result >= 0 {
                lastActivity = .now()
                if sent + result == data.count {
                    outgoing.removeFirst()
                } else {
                    outgoing[0].sent = sent + result
                }
            } else if errno == EINTR {
                continue
            } else if errno == EAGAIN || errno == EWOULDBLOCK {
                waitForWritable()
                updateTimer()
                return
            } else {
                close()
                return
            }
        }
        if let writeSource, !writeSuspended {
            writeSource.suspend()
            writeSuspended = true
        }
        if closeAfterFlush {
            if peerClosed || shuttingDown { close() } else { startLingering() }
            return
        }
        if peerClosed && pending.isEmpty {
            close()
            return
        }
        if !stopReading && pending.count < configuration.maxPipelinedRequests && parser.bufferedByteCount > 0 {
            processInput()   // requests that waited for room in the pipeline
        } else {
            updateReading()
            updateTimer()
        }
    }

    private func waitForWritable() {
        if writeSource == nil {
            let source = DispatchSource.makeWriteSource(fileDescriptor: fd, queue: queue)
            source.setEventHandler { [unowned self] in writeOut() }
            source.setCancelHandler { [self] in sourceCancelled() }
            writeSource = source
            liveSources += 1
        }
        if writeSuspended {
            writeSource?.resume()
            writeSuspended = false
        }
    }

    // MARK: Deadlines

    /// What the connection is waiting for and until when.
    private func currentDeadline() -> (DispatchTime, Deadline) {
        if lingering { return (lingerDeadline, .linger) }
        if !outgoing.isEmpty { return (lastActivity.adding(seconds: configuration.idleTimeout), .writeStall) }
        let reading = !stopReading && pending.count < configuration.maxPipelinedRequests
        if reading, let bodyStarted { return (bodyStarted.adding(seconds: configuration.bodyTimeout), .body) }
        if reading, let requestStarted { return (requestStarted.adding(seconds: configuration.headerTimeout), .head) }
        if !pending.isEmpty { return (.distantFuture, .none) }   // handlers at work: no deadline of ours
        return (lastActivity.adding(seconds: configuration.idleTimeout), .idle)
    }

    private enum Deadline { case none, idle, head, body, writeStall, linger }

    /// Moves the timer earlier when a nearer deadline appeared; later deadlines are found when it fires.
    private func updateTimer() {
        guard !closed, let timer else { return }
        let (deadline, _) = currentDeadline()
        if deadline < timerDeadline {
            timerDeadline = deadline
            timer.schedule(deadline: deadline, leeway: .milliseconds(50))
        }
    }

    private func timerFired() {
        guard !closed, let timer else { return }
        let (deadline, kind) = currentDeadline()
        if deadline > .now() {
            timerDeadline = deadline
            timer.schedule(deadline: deadline, leeway: .milliseconds(50))
            return
        }
        timerDeadline = .distantFuture
        timer.schedule(deadline: .distantFuture)
        switch kind {
        case .none:
            break
        case .idle, .writeStall, .linger:
            close()
        case .head, .body:
            let what = kind == .head ? "request head" : "request body"
            let seconds = kind == .head ? configuration.headerTimeout : configuration.bodyTimeout
            let response = HTTPResponse.error(408, code: HTTPStatus.errorCode(408),
                                              message: "the \(what) did not arrive within \(seconds) s")
            requestStarted = nil
            bodyStarted = nil
            stopReading = true
            enqueue(response, method: "-", target: "-", version: "HTTP/1.1", isHead: false, close: true)
            updateReading()
            flushReady()
        }
    }

    // MARK: Closing

    /// Half-closes and keeps discarding input for a moment, so the last response isn't lost to a reset.
    private func startLingering() {
        lingering = true
        lingerDeadline = DispatchTime.now().adding(seconds: Self.lingerTime)
        _ = shutdown(fd, Int32(SHUT_WR))
        updateReading()
        updateTimer()
    }

    /// Stops reading new requests; finishes the pending ones and closes. Called on `queue` by a stopping server.
    func beginShutdown() {
        guard !closed else { return }
        shuttingDown = true
        stopReading = true
        updateReading()
        if pending.isEmpty && outgoing.isEmpty {
            close()
        } else if pending.isEmpty {
            closeAfterFlush = true
        }
    }

    /// Closes the connection now, dropping anything unsent. Idempotent; called on `queue`.
    func close() {
        guard !closed else { return }
        closed = true
        pending.removeAll()
        outgoing.removeAll()
        // A suspended source must be resumed to deliver its cancellation (and to be released safely).
        if let readSource {
            readSource.cancel()
            if readSuspended { readSource.resume() }
        }
        if let writeSource {
            writeSource.cancel()
            if writeSuspended { writeSource.resume() }
        }
        timer?.cancel()
        if liveSources == 0 { finishClose() }
    }

    private func sourceCancelled() {
        liveSources -= 1
        if liveSources == 0 && closed { finishClose() }
    }

    /// Closes the descriptor once no source watches it any more, then tells the server.
    private func finishClose() {
        _ = Glibc.close(fd)
        readSource = nil
        writeSource = nil
        timer = nil
        context.onClose(self)
    }
}

extension DispatchTime {
    /// This time plus `seconds`, clamped to about 30 years so huge timeouts mean "never" instead of trapping.
    func adding(seconds: TimeInterval) -> DispatchTime {
        self + DispatchTimeInterval.nanoseconds(Int(max(0, min(seconds, 1e9)) * 1e9))
    }
}
