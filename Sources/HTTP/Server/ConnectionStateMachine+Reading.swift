import Foundation

/// Reading: bytes into the parser, requests out to the handler while the pipeline has room, and the read interest.
extension ConnectionStateMachine {
    mutating func bytesRead(_ bytes: Data, at now: Uptime) {
        switch state {
        case .reading:
            parser.append(bytes)
        case .finishing, .flushing:
            break // no more requests wanted: the bytes are dropped (see `syncReading`)
        case .lingering, .closed:
            return // dropped, and not activity
        }
        lastActivity = now
        processInput(at: now)
    }

    /// Parses buffered bytes into requests while the pipeline has room; tracks when the request being received
    /// started (head and body deadlines); sends `100 Continue` when a body is expected and nothing is in the way.
    mutating func processInput(at now: Uptime) {
        var failed = false
        while state == .reading && pending.count < configuration.maxPipelinedRequests {
            do {
                guard let request = try parser.next() else { break }
                requestStarted = nil
                bodyStarted = nil
                deliver(request, at: now)
            } catch {
                enqueueLast(error.response, at: now)
                state = .finishing(Ending())
                failed = true
            }
        }
        if state == .reading {
            switch parser.phase {
            case .idle:
                requestStarted = nil
            case .head:
                if requestStarted == nil { requestStarted = now }
            case .body:
                if requestStarted == nil { requestStarted = now }
                if bodyStarted == nil { bodyStarted = now }
                if parser.takeContinueRequest() && pending.isEmpty && !outputQueued {
                    actions.append(.sendContinue)
                    outputQueued = true
                    needsFlush = true
                }
            }
        }
        syncReading()
        if failed { flushReady() } else { syncTimer() }
    }

    /// Gives a parsed request the next slot and hands it to the handler. A request that doesn't keep the
    /// connection alive (`Connection: close`, HTTP/1.0 without keep-alive) is the last one read.
    mutating func deliver(_ request: HTTPRequest, at now: Uptime) {
        let id = nextID
        nextID += 1
        let close = !request.keepAlive
        if close { state = .finishing(Ending()) }
        pending.append(
            Slot(
                id: id, method: request.method, target: request.target, version: request.version,
                isHead: request.method == "HEAD", close: close, received: now))
        actions.append(.deliver(id, request))
    }

    /// The peer closed its sending side: answer what was asked, then close (at once if nothing is owed). While a
    /// body is streamed the peer has gone away: close at once.
    mutating func peerClosed(at now: Uptime) {
        if pending.first?.streaming == true {
            close() // the client went away while its body was streamed: the driver cancels the stream
            return
        }
        switch state {
        case .reading: state = .finishing(Ending(peerClosed: true))
        case .finishing(var ending):
            ending.peerClosed = true
            state = .finishing(ending)
        case .flushing(var ending):
            ending.peerClosed = true
            state = .flushing(ending)
        case .lingering:
            close()
            return
        case .closed:
            return
        }
        lastActivity = now
        if pending.isEmpty && !outputQueued {
            close() // without pausing reading first: no suspend and resume of the read source around its close
            return
        }
        syncReading()
        syncTimer()
    }

    /// Pauses reading while the pipeline is full or the peer has closed, resumes it otherwise. A connection that
    /// wants no more requests keeps reading and drops the bytes instead of pausing. (This was first done to avoid a
    /// SIGILL in libdispatch, `_dispatch_source_refs_finalize_unregistration`, blamed on suspending a read source
    /// around the close; the cause was libdispatch's handling of a hang-up, and the driver no longer uses Dispatch
    /// sources for sockets: see `SocketPoller`.)
    mutating func syncReading() {
        let wanted: Bool
        switch state {
        case .reading: wanted = pending.count < configuration.maxPipelinedRequests
        case .finishing(let ending), .flushing(let ending): wanted = !ending.peerClosed
        case .lingering: wanted = true
        case .closed: return
        }
        if wanted && readingPaused {
            readingPaused = false
            actions.append(.resumeReading)
        } else if !wanted && !readingPaused {
            readingPaused = true
            actions.append(.pauseReading)
        }
    }
}
