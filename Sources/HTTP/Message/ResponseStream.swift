import Foundation
import Synchronization

/// The body of a response that is written while it is produced (server-sent events, JSON lines): a handler answers
/// with `HTTPResponse.streaming(…)` and then calls `send` for each piece and `finish` at the end, from any thread.
/// Pieces sent before the connection is ready are kept and go out in order. The connection frames them (chunked
/// transfer coding for HTTP/1.1; for HTTP/1.0 the body ends with the connection).
///
/// When the client goes away (it closes or resets the connection, stops reading past the idle timeout) or the
/// server stops, the stream is cancelled: `isCancelled` turns true, the `onCancel` handlers run once, and later
/// pieces are dropped. A producer checks `isCancelled` between pieces to stop its work.
public final class ResponseStream: Sendable {
    /// What the connection is handed.
    package enum Item: Sendable {
        case data(Data)
        case end
    }

    private struct State {
        var waiting: [Item] = []
        var sink: (@Sendable (Item) -> Void)?
        var ended = false
        /// The connection wrote the end.
        var complete = false
        var cancelled = false
        var cancelHandlers: [@Sendable () -> Void] = []
    }

    private let state = Mutex(State())

    public init() {}

    /// Sends `data` as the next piece of the body (nothing once finished or cancelled; an empty piece is dropped).
    public func send(_ data: Data) {
        guard !data.isEmpty else { return }
        deliver(.data(data))
    }

    /// Sends the UTF-8 bytes of `text`.
    public func send(_ text: String) { send(Data(text.utf8)) }

    /// Ends the body. Idempotent.
    public func finish() { deliver(.end) }

    /// Whether the client went away or the server stopped: the rest of the body would not be read.
    public var isCancelled: Bool { state.withLock { $0.cancelled } }

    /// Runs `handler` once when the stream is cancelled (at once if it is already); never after a normal finish.
    public func onCancel(_ handler: @escaping @Sendable () -> Void) {
        let now: Bool = state.withLock { state in
            if state.cancelled { return true }
            if !state.complete { state.cancelHandlers.append(handler) }
            return false
        }
        if now { handler() }
    }

    /// The connection is ready: pieces go to `sink` from now on (those sent before first, in order). `sink` is
    /// always called outside the lock, so it may cancel the stream; pieces sent while the waiting ones are handed
    /// over queue behind them.
    package func attach(_ sink: @escaping @Sendable (Item) -> Void) {
        var batch: [Item] = state.withLock { state in
            guard !state.cancelled else { return [] }
            defer { state.waiting.removeAll() }
            return state.waiting
        }
        while true {
            for item in batch {
                guard !isCancelled else { return }
                sink(item)
            }
            let more: [Item]? = state.withLock { state in
                guard !state.cancelled else { return nil }
                guard !state.waiting.isEmpty else {
                    state.sink = sink
                    return nil
                }
                defer { state.waiting.removeAll() }
                return state.waiting
            }
            guard let more else { return }
            batch = more
        }
    }

    /// The connection will not write the rest: drop it and tell the producer.
    package func cancel() {
        let handlers: [@Sendable () -> Void] = state.withLock { state in
            guard !state.cancelled, !state.complete else { return [] }
            state.cancelled = true
            state.waiting.removeAll()
            state.sink = nil
            defer { state.cancelHandlers.removeAll() }
            return state.cancelHandlers
        }
        for handler in handlers { handler() }
    }

    /// The connection wrote the end: the stream is complete (a later `cancel` is not a cancellation).
    package func completed() {
        state.withLock { state in
            state.complete = true
            state.sink = nil
            state.cancelHandlers.removeAll()
        }
    }

    /// Hands `item` to the sink (outside the lock, so a sink may cancel), or keeps it until one is attached. One
    /// producer's pieces reach the sink in the order sent.
    private func deliver(_ item: Item) {
        let sink: (@Sendable (Item) -> Void)? = state.withLock { state in
            guard !state.cancelled, !state.ended else { return nil }
            if case .end = item { state.ended = true }
            guard let sink = state.sink else {
                state.waiting.append(item)
                return nil
            }
            return sink
        }
        sink?(item)
    }
}
