import Foundation

/// Deadlines: what the connection waits for and until when, the one timer, and what is due when it fires.
extension ConnectionStateMachine {
    /// What the connection is waiting for, and its deadline; the first that applies wins.
    package enum Wait: Equatable, Sendable {
        /// Closed: nothing.
        case closed
        /// Lingering before the close.
        case linger(until: Uptime)
        /// Bytes are queued and the peer isn't taking them: `idleTimeout` after the last write that moved bytes.
        case writeStall(until: Uptime)
        /// The head is in and the body is arriving: `bodyTimeout` after the head.
        case body(until: Uptime)
        /// Part of a request head is in: `headerTimeout` after its first byte.
        case head(until: Uptime)
        /// Requests are with the handlers: no deadline of ours (the server's stop has its grace period).
        case handlers
        /// Nothing to do: `idleTimeout` after the last activity.
        case idle(until: Uptime)

        package var deadline: Uptime {
            switch self {
            case .closed, .handlers: .never
            case .linger(let until), .writeStall(let until), .body(let until), .head(let until),
                .idle(let until):
                until
            }
        }
    }

    package var waitingFor: Wait {
        switch state {
        case .closed: return .closed
        case .lingering(let until): return .linger(until: until)
        case .reading, .finishing, .flushing: break
        }
        if outputQueued { return .writeStall(until: lastActivity.adding(seconds: configuration.idleTimeout)) }
        // Head and body deadlines only while the request is being read: not once reading has stopped, nor while
        // the pipeline is full and the rest of the request waits unread.
        let reading = state == .reading && pending.count < configuration.maxPipelinedRequests
        if reading, let bodyStarted { return .body(until: bodyStarted.adding(seconds: configuration.bodyTimeout)) }
        if reading, let requestStarted {
            return .head(until: requestStarted.adding(seconds: configuration.headerTimeout))
        }
        if !pending.isEmpty { return .handlers }
        return .idle(until: lastActivity.adding(seconds: configuration.idleTimeout))
    }

    /// Moves the timer earlier when a nearer deadline appeared; later deadlines are found when it fires. While a
    /// flush is outstanding this waits for its `.wrote`, which knows whether output is still queued.
    mutating func syncTimer() {
        guard !needsFlush, state != .closed else { return }
        let deadline = waitingFor.deadline
        if deadline < timerDeadline {
            timerDeadline = deadline
            actions.append(.setTimer(deadline))
        }
    }

    /// The timer fired: re-arm it for the current deadline if that is still ahead, else act on what is due — close
    /// an idle, stalled or lingering connection; answer a late head or body with 408 and close after it.
    mutating func timerFired(at now: Uptime) {
        let wait = waitingFor
        if wait.deadline > now {
            timerDeadline = wait.deadline
            if wait.deadline != .never { actions.append(.setTimer(wait.deadline)) }
            return
        }
        timerDeadline = .never
        switch wait {
        case .closed, .handlers:
            break
        case .idle, .writeStall, .linger:
            close()
        case .head, .body:
            let isHead = if case .head = wait { true } else { false }
            let seconds = isHead ? configuration.headerTimeout : configuration.bodyTimeout
            let response = HTTPResponse.error(
                408, code: HTTPStatus.errorCode(408),
                message: "the \(isHead ? "request head" : "request body") did not "
                    + "arrive within \(seconds) s")
            requestStarted = nil
            bodyStarted = nil
            state = .finishing(Ending())
            enqueueLast(response, at: now)
            syncReading()
            flushReady()
        }
    }
}
