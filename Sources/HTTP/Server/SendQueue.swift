import Dispatch
import Foundation
import Glibc

/// The bytes a connection has queued for its socket: serialised responses, written as far as the socket takes
/// them. Part of the driver (`Connection`), not of the state machine: it does the system calls.
struct SendQueue {
    /// Queued bytes: (data, bytes of it already sent).
    private var chunks: [(data: Data, sent: Int)] = []

    /// Bodies up to this size are copied behind the head and sent in one call; larger ones are sent from their own
    /// storage without a copy.
    private static let coalesceLimit = 16_384

    /// Serialises `outgoing` (head, and the body unless it is a HEAD request or a status without one), queues it,
    /// and writes its access-log line.
    mutating func append(
        _ outgoing: ConnectionStateMachine.OutgoingResponse,
        accessLog: (@Sendable (String) -> Void)?, defaults: [(name: String, value: String)] = []
    ) {
        let response = outgoing.response
        let head = ResponseHead.serialize(
            response, headRequest: outgoing.isHead, requestVersion: outgoing.version,
            close: outgoing.close, date: HTTPDate.now(), defaults: defaults)
        let sendsBody = !outgoing.isHead && !HTTPStatus.forbidsBody(response.status) && response.stream == nil
        var data = Data(head.utf8)
        if sendsBody && !response.body.isEmpty {
            if response.body.count <= Self.coalesceLimit {
                data.append(response.body)
                chunks.append((data, 0))
            } else {
                chunks.append((data, 0))
                chunks.append((response.body, 0))
            }
        } else {
            chunks.append((data, 0))
        }
        if let accessLog {
            let nanoseconds = Uptime.now.nanoseconds &- outgoing.received.nanoseconds
            let bytes = outgoing.streams ? "stream" : String(sendsBody ? response.body.count : 0)
            accessLog(
                "\(outgoing.method) \(outgoing.target) \(response.status) \(bytes) "
                    + String(format: "%.1f", Double(nanoseconds) / 1e6))
        }
    }

    /// A piece of a streamed body: one chunk (`size in hex CRLF data CRLF`) when `chunked`, else the bytes as they are.
    mutating func appendChunk(_ data: Data, chunked: Bool) {
        guard chunked else { return chunks.append((data, 0)) }
        var framed = Data(String(data.count, radix: 16).utf8)
        framed.append(contentsOf: [0x0D, 0x0A])
        framed.append(data)
        framed.append(contentsOf: [0x0D, 0x0A])
        chunks.append((framed, 0))
    }

    /// The end of a streamed body: the last chunk (`0 CRLF CRLF`) when `chunked`.
    mutating func appendEnd(chunked: Bool) {
        if chunked { chunks.append((Data("0\r\n\r\n".utf8), 0)) }
    }

    mutating func appendContinue() {
        chunks.append((Data("HTTP/1.1 100 Continue\r\n\r\n".utf8), 0))
    }

    mutating func removeAll() {
        chunks.removeAll()
    }

    /// Sends queued bytes on `fd` until all are out, the socket buffer is full, or sending fails; the result is the
    /// event for the state machine.
    mutating func write(to fd: Int32) -> ConnectionStateMachine.Event {
        var sent = 0
        while !chunks.isEmpty {
            let (data, alreadySent) = chunks[0]
            let result = data.withUnsafeBytes { bytes in
                Socket.send(fd, UnsafeRawBufferPointer(rebasing: bytes[alreadySent...]))
            }
            if result >= 0 {
                sent += result
                if alreadySent + result == data.count {
                    chunks.removeFirst()
                } else {
                    chunks[0].sent = alreadySent + result
                }
            } else if errno == EINTR {
                continue
            } else if errno == EAGAIN || errno == EWOULDBLOCK {
                return .wrote(sent: sent, drained: false, at: .now)
            } else {
                return .writeFailed
            }
        }
        return .wrote(sent: sent, drained: true, at: .now)
    }
}

extension Uptime {
    /// The current time on Dispatch's monotonic clock.
    static var now: Uptime { Uptime(nanoseconds: DispatchTime.now().uptimeNanoseconds) }

    var dispatchTime: DispatchTime {
        self == .never ? .distantFuture : DispatchTime(uptimeNanoseconds: nanoseconds)
    }
}
