import Foundation

/// The lifecycle of one HTTP/1.1 connection as a value: events in (`Event`), actions out (`Action`). Pure: no
/// sockets, no Dispatch, the time passed in with the events that need it. `Connection` drives it: its dispatch
/// sources feed the events and it carries out the actions, in order.
///
/// The machine owns the request parser, the requests read and not yet answered (`pending`, in request order, so
/// pipelined responses go out in order whichever handler finishes first), the keep-alive and close decisions, and
/// the deadlines. The driver owns the bytes: it serialises the responses the machine releases, queues them and
/// writes them on `.flush`, reporting back how far it got (`.wrote`).
///
/// States (`State`):
/// A response with a streamed body (`HTTPResponse.stream`) is released with its head; its pieces follow as
/// `.streamData` events (`.sendChunk` actions) until `.streamEnded` (`.endStream`), and only then do the responses
/// behind it go out. A peer that closes while a body is streamed has gone away: the connection closes at once (the
/// driver cancels the stream).
///
/// - `reading`: requests are read and parsed, up to `maxPipelinedRequests` waiting for their responses (beyond
///   that reading pauses). Idle, receiving a request and awaiting responses are this state with nothing pending
///   and the parser idle, the parser mid-request, or requests pending; `waitingFor` tells which deadline applies.
/// - `finishing`: no more requests are read (the last one asked to close, was malformed or timed out, the peer
///   closed, or the server stops); the pending ones are still answered. Later bytes are read and dropped rather
///   than reading being paused (see `syncReading`), except once the peer has closed, when there is nothing more
///   to read.
/// - `flushing`: the last response is queued; once its bytes are out the connection closes (peer closed or
///   server stopping) or lingers.
/// - `lingering`: the sending side is shut down; input is read and dropped for `lingerTime`, so the peer receives
///   the last response before the kernel answers unread bytes with a reset; then (or at the peer's EOF) close.
/// - `closed`: the socket is closed; every later event is ignored.
package struct ConnectionStateMachine: Sendable {
    package enum State: Equatable, Sendable {
        case reading
        case finishing(Ending)
        case flushing(Ending)
        case lingering(until: Uptime)
        case closed
    }

    /// How a connection that reads no more requests ends: closing at once after its last response when the peer
    /// has closed or the server stops, lingering otherwise.
    package struct Ending: Equatable, Sendable {
        package var peerClosed = false
        package var shuttingDown = false

        package init(peerClosed: Bool = false, shuttingDown: Bool = false) {
            self.peerClosed = peerClosed
            self.shuttingDown = shuttingDown
        }
    }

    /// A request read and not yet answered, or an error response queued behind the answers still pending.
    struct Slot {
        let id: RequestID
        let method: String
        let target: String
        let version: String
        let isHead: Bool
        /// The response must be the last one on this connection.
        let close: Bool
        let received: Uptime
        var response: HTTPResponse?
        /// Its head is out and its body is being streamed (`HTTPResponse.stream`): it stays first in line, and the
        /// responses behind it wait, until the stream ends.
        var streaming = false
        /// The streamed response is the last one on the connection.
        var lastAfterStream = false
    }

    /// How long a closing connection keeps reading (and discarding) after its last response.
    package static let lingerTime = 2.0

    package internal(set) var state = State.reading
    let configuration: HTTPServerConfiguration
    var parser: HTTPRequestParser
    /// Requests read and not yet answered, in order; the first one's response goes out first.
    var pending: [Slot] = []
    var nextID: RequestID = 0
    /// Bytes were handed to the driver (`.send`, `.sendContinue`) and it hasn't reported them all written.
    package internal(set) var outputQueued = false
    /// The driver was told to `.pauseReading` (and not to resume since).
    package internal(set) var readingPaused = false
    /// The driver was told to `.watchWritable` (and not to stop since).
    package internal(set) var watchingWritable = false
    /// The last read or write that moved bytes: the idle and write-stall deadlines count from it.
    var lastActivity = Uptime(nanoseconds: 0)
    /// The first byte of the request being received, and the end of its head.
    var requestStarted: Uptime?
    var bodyStarted: Uptime?
    /// Where the driver's timer is set (`.never`: not set); it is only ever moved earlier, later deadlines are
    /// found when it fires.
    package internal(set) var timerDeadline = Uptime.never
    /// The actions of the event being handled.
    var actions: [Action] = []
    /// Bytes were queued while handling this event: end with `.flush`, and leave the timer to the `.wrote` result.
    var needsFlush = false

    package init(configuration: HTTPServerConfiguration) {
        self.configuration = configuration
        parser = HTTPRequestParser(
            maxHeaderBytes: configuration.maxHeaderBytes,
            maxRequestLineBytes: configuration.maxRequestLineBytes,
            maxBodyBytes: configuration.maxBodyBytes)
    }

    /// Requests read and not yet answered (including a queued error response).
    package var pendingCount: Int { pending.count }

    /// Applies `event`; returns what the driver must do, in order.
    package mutating func handle(_ event: Event) -> [Action] {
        guard state != .closed else { return [] }
        actions = []
        needsFlush = false
        switch event {
        case .opened(let now):
            lastActivity = now
            syncTimer()
        case .bytesRead(let bytes, let now): bytesRead(bytes, at: now)
        case .peerClosed(let now): peerClosed(at: now)
        case .responseReady(let id, let response): responseReady(id, response)
        case .writable: needsFlush = true
        case .wrote(let sent, let drained, let now): wrote(sent: sent, drained: drained, at: now)
        case .timerFired(let now): timerFired(at: now)
        case .streamData(let id, let data): streamData(id, data)
        case .streamEnded(let id): streamEnded(id)
        case .shutdown: shutdown()
        case .readFailed, .writeFailed, .forceClose: close()
        }
        if needsFlush && state != .closed { actions.append(.flush) }
        defer { actions = [] }
        return actions
    }

    /// The server stops: no more requests; close now if nothing is owed, else after the last response.
    mutating func shutdown() {
        var ending: Ending
        switch state {
        case .reading: ending = Ending()
        case .finishing(let current), .flushing(let current): ending = current
        case .lingering, .closed:
            close() // lingering: the last response is out already
            return
        }
        ending.shuttingDown = true
        state = pending.isEmpty ? .flushing(ending) : .finishing(ending)
        syncReading()
        if pending.isEmpty && !outputQueued { close() }
    }

    /// Closes now, dropping what is pending or unsent.
    mutating func close() {
        state = .closed
        pending.removeAll()
        outputQueued = false
        actions.append(.close)
    }
}
