import Dispatch
import Foundation
import Glibc
import Synchronization

/// An HTTP/1.1 server over POSIX sockets and Dispatch.
///
/// One non-blocking listening socket with a read source accepts connections; each connection is event-driven on
/// its own serial queue (see `Connection`), so idle or slow clients hold no thread. Requests go to `handler` on a
/// concurrent handler queue, never on an I/O queue; the handler answers by calling `respond` exactly once, from any
/// thread, at any time. Responses on one connection go out in request order.
///
/// The handler is `@Sendable`, so a closure literal written in `main` or an `@main` type is not main-actor isolated
/// and may run on the handler queue (`docs/concurrency.md` §1, "The MainActor trap"). A server is started once;
/// after `stop` it can't be started again.
public final class HTTPServer: Sendable {
    public let configuration: HTTPServerConfiguration
    private let context: Mutex<ConnectionContext?> = Mutex(nil)
    private let handler: @Sendable (HTTPRequest, @escaping @Sendable (HTTPResponse) -> Void) -> Void
    private let state = Mutex(State())
    private let acceptQueue = DispatchQueue(label: "glassbox.http.accept")
    /// Serial "event loop" queues, one per core (at most 4); connections are spread over them round-robin. Serial
    /// queues are overcommit queues in libdispatch: they get a thread even when blocking work elsewhere in the
    /// process has used up the worker pool, so I/O keeps moving when handlers or other code block.
    private let ioQueues: [DispatchQueue] = (0..<max(1, min(4, ProcessInfo.processInfo.activeProcessorCount)))
        .map { DispatchQueue(label: "glassbox.http.io.\($0)") }
    /// Signalled once the listening socket is closed (by the accept source's cancel handler).
    private let listenerClosed = DispatchSemaphore(value: 0)
    /// Handlers run here. Its own QoS class gives it its own share of libdispatch's worker pool, so blocking work
    /// at the default QoS elsewhere in the process doesn't hold up request handling (measured: 0.7 s stalls in tests
    /// whose clients blocked default-QoS workers).
    private let handlerQueue = DispatchQueue(
        label: "glassbox.http.handlers", qos: .userInitiated,
        attributes: .concurrent)

    private struct State {
        var listener: Int32 = -1
        var acceptSource: AcceptSource?
        var acceptSuspended = false
        var port = 0
        var stopping = false
        var accepted = 0
        var connections: [ObjectIdentifier: Connection] = [:]
    }

    /// The listening socket's read source. Dispatch sources are thread-safe objects (resume, suspend and cancel
    /// may be called from any thread); corelibs Dispatch just doesn't declare them `Sendable`.
    private struct AcceptSource: @unchecked Sendable {
        let source: any DispatchSourceRead
    }

    /// How long accepting pauses when the process is out of file descriptors.
    private static let acceptBackoff = 0.1

    public init(
        configuration: HTTPServerConfiguration,
        handler: @escaping @Sendable (HTTPRequest, @escaping @Sendable (HTTPResponse) -> Void) -> Void
    ) {
        self.configuration = configuration
        self.handler = handler
    }

    /// The bound port (after `start`).
    public var port: Int { state.withLock { $0.port } }

    /// Connections accepted and not yet closed.
    public var openConnections: Int { state.withLock { $0.connections.count } }

    /// Binds, listens and starts accepting; returns the actual port. Ignores SIGPIPE for the whole process (a peer
    /// hanging up must not kill the server).
    ///
    /// - Throws: `HTTPServerError` when the host doesn't resolve or the socket can't be bound (port in use, …).
    @discardableResult
    public func start() throws -> Int {
        signal(SIGPIPE, SIG_IGN)
        let (listener, port) = try Socket.listen(host: configuration.host, port: configuration.port)
        let source = DispatchSource.makeReadSource(fileDescriptor: listener, queue: acceptQueue)
        source.setEventHandler { [weak self] in self?.acceptAll() }
        let listenerClosed = self.listenerClosed
        source.setCancelHandler {
            _ = Glibc.close(listener)
            listenerClosed.signal()
        }
        let started = state.withLock { state in
            guard state.listener < 0, !state.stopping else { return false }
            state.listener = listener
            state.acceptSource = AcceptSource(source: source)
            state.port = port
            return true
        }
        guard started else {
            _ = Glibc.close(listener)
            throw HTTPServerError("the server was already started")
        }
        source.resume()
        return port
    }

    private func connectionContext() -> ConnectionContext {
        context.withLock { context in
            if let context { return context }
            let made = ConnectionContext(
                configuration: configuration, handler: handler, handlerQueue: handlerQueue,
                onClose: { [weak self] connection in self?.connectionClosed(connection) })
            context = made
            return made
        }
    }

    /// Accepts until the backlog is empty. Runs on `acceptQueue`.
    private func acceptAll() {
        let listener = state.withLock { $0.listener }
        guard listener >= 0 else { return }
        let context = connectionContext()
        while true {
            guard let (fd, peer) = Socket.accept(listener) else {
                switch errno {
                case EINTR, ECONNABORTED, EPROTO:
                    continue
                case EMFILE, ENFILE, ENOBUFS, ENOMEM:
                    pauseAccepting()
                    return
                default:
                    return // EAGAIN: backlog empty
                }
            }
            Socket.setNoDelay(fd)
            let connection = state.withLock { state -> Connection? in
                guard !state.stopping, state.connections.count < configuration.maxConnections else { return nil }
                let ioQueue = ioQueues[state.accepted % ioQueues.count]
                state.accepted += 1
                let connection = Connection(
                    fd: fd, peer: peer,
                    queue: DispatchQueue(
                        label: "glassbox.http.connection",
                        target: ioQueue),
                    context: context)
                state.connections[ObjectIdentifier(connection)] = connection
                return connection
            }
            if let connection {
                connection.start()
            } else {
                Self.reject(fd, defaults: configuration.defaultHeaders)
            }
        }
    }

    /// Answers a connection over `maxConnections` with 503 and closes it, without waiting for its request.
    private static func reject(_ fd: Int32, defaults: [(name: String, value: String)]) {
        var response = HTTPResponse.error(
            503, code: HTTPStatus.errorCode(503),
            message: "too many open connections, try again shortly")
        response.headers.set("Retry-After", "1")
        var bytes = Data(
            ResponseHead.serialize(
                response, headRequest: false, requestVersion: "HTTP/1.1", close: true,
                date: HTTPDate.now(), defaults: defaults
            ).utf8)
        bytes.append(response.body)
        _ = bytes.withUnsafeBytes { Socket.send(fd, $0) }
        _ = shutdown(fd, Int32(SHUT_WR))
        _ = Glibc.close(fd)
    }

    /// Stops accepting for a moment when out of descriptors, instead of spinning on a listener that stays readable.
    private func pauseAccepting() {
        let accept = state.withLock { state -> AcceptSource? in
            guard !state.acceptSuspended, let source = state.acceptSource else { return nil }
            state.acceptSuspended = true
            return source
        }
        guard let accept else { return }
        accept.source.suspend()
        acceptQueue.asyncAfter(deadline: .now() + Self.acceptBackoff) { [weak self] in
            guard let self else { return }
            let accept = state.withLock { state -> AcceptSource? in
                defer { state.acceptSuspended = false }
                return state.acceptSuspended ? state.acceptSource : nil
            }
            accept?.source.resume()
        }
    }

    private func connectionClosed(_ connection: Connection) {
        _ = state.withLock { $0.connections.removeValue(forKey: ObjectIdentifier(connection)) }
    }

    /// Stops accepting, lets in-flight requests be answered for up to `gracePeriod` seconds, then closes every
    /// connection. Blocks the calling thread until done; don't call it from a handler.
    public func stop(gracePeriod: TimeInterval = 5) {
        let (source, suspended, connections) = state.withLock { state in
            state.stopping = true
            state.listener = -1
            defer {
                state.acceptSource = nil
                state.acceptSuspended = false
            }
            return (state.acceptSource, state.acceptSuspended, Array(state.connections.values))
        }
        // No connection joins after the snapshot (accepting checks `stopping`), so the ones in it are all there are:
        // tell them first, so a response finished while the listener closes already says `Connection: close`.
        for connection in connections {
            connection.queue.async { connection.beginShutdown() }
        }
        if let source {
            source.source.cancel()
            if suspended { source.source.resume() }
            // New connections are refused from here on.
            _ = listenerClosed.wait(timeout: .now() + 5)
        }
        acceptQueue.sync {} // no accept in progress after this
        let deadline = Date().addingTimeInterval(gracePeriod)
        while openConnections > 0 && Date() < deadline {
            Thread.sleep(forTimeInterval: 0.01)
        }
        for connection in state.withLock({ Array($0.connections.values) }) {
            connection.queue.sync { connection.close() }
        }
        // Closing finishes on each connection's queue once its sources are cancelled.
        let closeDeadline = Date().addingTimeInterval(2)
        while openConnections > 0 && Date() < closeDeadline {
            Thread.sleep(forTimeInterval: 0.001)
        }
    }
}
