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

/// One accepted client socket, driving a `ConnectionStateMachine`: its dispatch sources turn into the machine's
/// events, and it carries out the machine's actions (hand requests to the handler queue, queue and write response
/// bytes, watch or stop watching the socket, set the timer, half-close, close). The decisions — which request is
/// answered when, keep-alive or close, which deadline is due — are all the machine's.
///
/// Event-driven, never blocking a thread: the socket is watched by `SocketPoller` (for input while the machine
/// wants it, for room to write only while the socket buffer is full; not by Dispatch sources, which race on a
/// hang-up, see there) and one timer, all delivered on `queue`, a serial queue targeting the server's I/O queue.
/// Every mutable property is touched only on `queue`, which is why the class is `@unchecked Sendable`; `respond`
/// closures hop onto it.
final class Connection: @unchecked Sendable {
    let queue: DispatchQueue
    private let fd: Int32
    /// The client's numeric address, given to each request (`HTTPRequest.peerAddress`).
    private let peer: String
    private let context: ConnectionContext
    private var machine: ConnectionStateMachine
    private var output = SendQueue()

    /// The socket's watch in `SocketPoller.shared` (0 until set up), what the machine wants it watched for, and what
    /// it is armed for (nothing once it has fired, until re-armed).
    private var watch: UInt64 = 0
    private var wanted: SocketPoller.Events = .readable
    private var armed: SocketPoller.Events = []
    private var timer: (any DispatchSourceTimer)?
    /// Streamed bodies handed over by handlers and not yet ended: cancelled if the connection closes first.
    private var streams: [ConnectionStateMachine.RequestID: ResponseStream] = [:]
    private var closed = false

    private static let readBufferSize = 65_536

    init(fd: Int32, peer: String, queue: DispatchQueue, context: ConnectionContext) {
        self.fd = fd
        self.peer = peer
        self.queue = queue
        self.context = context
        machine = ConnectionStateMachine(configuration: context.configuration)
    }

    /// Starts reading. Call once, from any thread.
    func start() {
        queue.async { self.setUp() }
    }

    /// Stops reading new requests; finishes the pending ones and closes. Called on `queue` by a stopping server.
    func beginShutdown() {
        handle(.shutdown)
    }

    /// Closes the connection now, dropping anything unsent. Idempotent; called on `queue`.
    func close() {
        handle(.forceClose)
    }

    private func setUp() {
        guard !closed else { return }
        watch = SocketPoller.shared.add(fd, queue: queue) { [weak self] events in self?.socketReady(events) }
        let timer = DispatchSource.makeTimerSource(queue: queue)
        timer.setEventHandler { [unowned self] in handle(.timerFired(at: .now)) }
        timer.setCancelHandler { [self] in finishClose() }
        self.timer = timer
        timer.schedule(deadline: .distantFuture)
        timer.resume()
        rearm()
        handle(.opened(at: .now))
    }

    /// The poller found the socket ready (the watch is armed for nothing now): read and write as wanted, re-arm.
    private func socketReady(_ events: SocketPoller.Events) {
        armed = []
        guard !closed else { return }
        if events.contains(.readable) && wanted.contains(.readable) { readable() }
        if !closed && events.contains(.writable) && wanted.contains(.writable) { handle(.writable) }
        rearm()
    }

    /// Arms the watch for what is wanted now, unless it is armed for just that.
    private func rearm() {
        guard !closed, armed != wanted else { return }
        armed = wanted
        SocketPoller.shared.arm(watch, wanted)
    }

    /// Reads what is there (up to 16 buffers) and reports it: the bytes, then the peer's EOF, or the failure.
    private func readable() {
        guard !closed else { return }
        var bytes = Data()
        var endOfStream = false
        var failed = false
        withUnsafeTemporaryAllocation(byteCount: Self.readBufferSize, alignment: 16) { buffer in
            for _ in 0..<16 {
                let count = recv(fd, buffer.baseAddress, buffer.count, 0)
                if count > 0 {
                    bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
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
        if failed {
            handle(.readFailed)
            return
        }
        let now = Uptime.now
        if !bytes.isEmpty { handle(.bytesRead(bytes, at: now)) }
        if endOfStream { handle(.peerClosed(at: now)) }
    }

    /// Feeds `event` to the machine and carries out its actions; a `.flush` (always the last action) writes the
    /// queued bytes and feeds the result back in the same way.
    private func handle(_ event: ConnectionStateMachine.Event) {
        var next: ConnectionStateMachine.Event? = event
        while let event = next {
            next = nil
            for action in machine.handle(event) {
                switch action {
                case .deliver(let id, let request): deliver(id, request)
                case .send(let response):
                    output.append(
                        response, accessLog: context.configuration.accessLog,
                        defaults: context.configuration.defaultHeaders)
                    if let stream = response.response.stream { attach(stream, response) }
                case .sendChunk(let data, let chunked): output.appendChunk(data, chunked: chunked)
                case .endStream(let chunked): output.appendEnd(chunked: chunked)
                case .sendContinue: output.appendContinue()
                case .flush: next = output.write(to: fd)
                case .pauseReading: setWatching(.readable, false)
                case .resumeReading: setWatching(.readable, true)
                case .watchWritable: setWatching(.writable, true)
                case .stopWatchingWritable: setWatching(.writable, false)
                case .setTimer(let deadline):
                    timer?.schedule(deadline: deadline.dispatchTime, leeway: .milliseconds(50))
                case .shutdownWrite: _ = shutdown(fd, Int32(SHUT_WR))
                case .close: closeSocket()
                }
            }
        }
    }

    private func deliver(_ id: ConnectionStateMachine.RequestID, _ parsed: HTTPRequest) {
        var withPeer = parsed
        withPeer.peerAddress = peer
        let request = withPeer
        let respond: @Sendable (HTTPResponse) -> Void = { [self] response in
            queue.async {
                if let stream = response.stream {
                    guard !self.closed else { return stream.cancel() }
                    self.streams[id] = stream
                }
                self.handle(.responseReady(id, response))
            }
        }
        let handler = context.handler
        context.handlerQueue.async { handler(request, respond) }
    }

    /// The head of a response with a streamed body is queued: its pieces now come in as events (a HEAD request's
    /// or a body-less status's stream is not read: cancelled).
    private func attach(_ stream: ResponseStream, _ outgoing: ConnectionStateMachine.OutgoingResponse) {
        guard outgoing.streams else {
            streams[outgoing.id] = nil
            return stream.cancel()
        }
        let id = outgoing.id
        stream.attach { [self] item in
            queue.async {
                switch item {
                case .data(let data): self.handle(.streamData(id, data))
                case .end:
                    self.streams[id] = nil
                    stream.completed()
                    self.handle(.streamEnded(id))
                }
            }
        }
    }

    private func setWatching(_ events: SocketPoller.Events, _ on: Bool) {
        if on { wanted.formUnion(events) } else { wanted.subtract(events) }
        rearm()
    }

    /// Closes the socket, dropping anything unsent; the server is told once the timer is cancelled.
    private func closeSocket() {
        guard !closed else { return }
        closed = true
        output.removeAll()
        for stream in streams.values { stream.cancel() }
        streams.removeAll()
        // The watch goes first: readiness the poller finds from now on is dropped, not handed to whichever new
        // connection gets this descriptor number next.
        if watch != 0 { SocketPoller.shared.remove(watch) }
        _ = Glibc.close(fd)
        if let timer { timer.cancel() } else { finishClose() }
    }

    /// Tells the server; from the timer's cancel handler, which holds the connection until it has run.
    private func finishClose() {
        timer = nil
        context.onClose(self)
    }
}
