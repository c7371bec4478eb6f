import Foundation

/// A point on the monotonic clock, in nanoseconds since boot; `ConnectionStateMachine` is given the time as a
/// value so its deadlines can be tested without waiting. The driver converts to and from `DispatchTime`.
package struct Uptime: Comparable, Hashable, Sendable, CustomStringConvertible {
    package var nanoseconds: UInt64

    package init(nanoseconds: UInt64) {
        self.nanoseconds = nanoseconds
    }

    /// A time `seconds` after boot (for tests).
    package static func seconds(_ seconds: Double) -> Uptime {
        Uptime(nanoseconds: 0).adding(seconds: seconds)
    }

    /// Later than every real time: a deadline that never comes.
    package static let never = Uptime(nanoseconds: .max)

    /// This time plus `seconds`, clamped to about 30 years so huge timeouts mean "never" instead of trapping.
    package func adding(seconds: Double) -> Uptime {
        let delta = UInt64(max(0, min(seconds, 1e9)) * 1e9)
        return nanoseconds > UInt64.max - delta ? .never : Uptime(nanoseconds: nanoseconds + delta)
    }

    package static func < (lhs: Uptime, rhs: Uptime) -> Bool {
        lhs.nanoseconds < rhs.nanoseconds
    }

    package var description: String {
        self == .never ? "never" : String(format: "%.3f s", Double(nanoseconds) / 1e9)
    }
}

extension ConnectionStateMachine {
    /// Numbers the requests of one connection in arrival order, from 0.
    package typealias RequestID = Int

    /// Something that happened to the connection, fed in by the driver (`Connection`) on the connection's queue.
    package enum Event: Sendable {
        /// The sources are set up; the idle deadline starts now.
        case opened(at: Uptime)
        /// Bytes arrived from the peer (one read turn's worth).
        case bytesRead(Data, at: Uptime)
        /// The peer closed its sending side (a read returned 0).
        case peerClosed(at: Uptime)
        /// A read failed (reset, …): the connection is dead.
        case readFailed
        /// The handler answered request `id` (from any thread; the driver hops onto the queue first).
        case responseReady(RequestID, HTTPResponse)
        /// The socket became writable again after a write found its buffer full.
        case writable
        /// The driver carried out `.flush`: `sent` bytes went out, and either all queued bytes did (`drained`) or
        /// the socket buffer filled up first.
        case wrote(sent: Int, drained: Bool, at: Uptime)
        /// A write failed (the peer reset, …): the connection is dead.
        case writeFailed
        /// The timer set by the last `.setTimer` fired.
        case timerFired(at: Uptime)
        /// The server stops: read no more requests, answer the pending ones, then close.
        case shutdown
        /// The server gives up on the connection (grace period over): close now, dropping anything unsent.
        case forceClose
        /// The handler sent the next piece of request `id`'s streamed body.
        case streamData(RequestID, Data)
        /// The handler finished request `id`'s streamed body.
        case streamEnded(RequestID)
    }

    /// Something the driver must do, in the order given. When there is a `.flush` it is the last action.
    package enum Action: Sendable {
        /// Hand request `id` to the handler queue; its answer comes back as `.responseReady(id, …)`.
        case deliver(RequestID, HTTPRequest)
        /// Serialise this response and queue its bytes (after those already queued).
        case send(OutgoingResponse)
        /// Queue the interim `HTTP/1.1 100 Continue`.
        case sendContinue
        /// Queue a piece of the streamed body (as one chunk when `chunked`, else as it is).
        case sendChunk(Data, chunked: Bool)
        /// Queue the end of the streamed body (the last chunk when `chunked`, else nothing).
        case endStream(chunked: Bool)
        /// Write the queued bytes now, as far as the socket takes them, and report `.wrote` or `.writeFailed`.
        case flush
        /// Stop watching the socket for input (the pipeline is full or the peer has closed).
        case pauseReading
        /// Watch the socket for input again.
        case resumeReading
        /// Watch the socket for writability: queued bytes wait for room in its buffer.
        case watchWritable
        /// Stop watching for writability: everything queued went out.
        case stopWatchingWritable
        /// Make the timer fire at `deadline` (it fires once; the machine works out then what is due).
        case setTimer(Uptime)
        /// Half-close: shut down the sending side, so the peer sees the end of the last response (lingering).
        case shutdownWrite
        /// Close the socket now, dropping anything unsent. Always the last action; later events are ignored.
        case close
    }

    /// A response ready to go out, with what its head and the access log need to know about its request.
    package struct OutgoingResponse: Sendable {
        package let id: RequestID
        package let response: HTTPResponse
        /// `-` for a request that never parsed (an error or timeout response).
        package let method: String
        package let target: String
        package let version: String
        /// Head only: the request was `HEAD`.
        package let isHead: Bool
        /// The last response on this connection: it says `Connection: close`.
        package let close: Bool
        /// Its body is streamed (`response.stream`, not a HEAD request): the head says `Transfer-Encoding: chunked`
        /// (`chunked`, HTTP/1.1) or nothing (HTTP/1.0: the body ends with the connection), and the driver attaches
        /// the stream.
        package var streams = false
        package var chunked: Bool { streams && version != "HTTP/1.0" }
        /// When the request was read, for the access log's duration.
        package let received: Uptime
    }
}
