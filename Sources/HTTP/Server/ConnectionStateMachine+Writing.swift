import Foundation

/// Writing: responses released in request order, the close decision, and what follows once the bytes are out.
extension ConnectionStateMachine {
    /// The handler answered: store the response; release it (and finished ones behind it) if it is first in line.
    mutating func responseReady(_ id: RequestID, _ response: HTTPResponse) {
        guard let index = pending.firstIndex(where: { $0.id == id }), pending[index].response == nil else {
            return // already answered, or dropped by a close
        }
        pending[index].response = response
        flushReady()
    }

    /// Queues a response that is already known (a parse error or a timeout) after the ones still pending, as the
    /// last response of the connection.
    mutating func enqueueLast(_ response: HTTPResponse, at now: Uptime) {
        let id = nextID
        nextID += 1
        pending.append(
            Slot(
                id: id, method: "-", target: "-", version: "HTTP/1.1", isHead: false, close: true,
                received: now, response: response))
    }

    /// Releases the finished responses at the front of the pipeline, then flushes. A response is the last one
    /// when its request or its handler said `Connection: close`, or when no more requests are read and nothing is
    /// pending behind it; then whatever is still pending is dropped and the connection flushes towards its end.
    /// Nothing released (the first response in line isn't there yet): nothing to flush.
    mutating func flushReady() {
        var released = false
        while let slot = pending.first, let response = slot.response, !slot.streaming {
            released = true
            let streams = response.stream != nil && !slot.isHead && !HTTPStatus.forbidsBody(response.status)
            let last =
                slot.close || response.headers.tokens("Connection").contains("close")
                || (state != .reading && pending.count == 1)
                || (streams && slot.version == "HTTP/1.0") // its body ends with the connection
            var outgoing = OutgoingResponse(
                id: slot.id, response: response, method: slot.method,
                target: slot.target, version: slot.version, isHead: slot.isHead,
                close: last, received: slot.received)
            outgoing.streams = streams
            actions.append(.send(outgoing))
            outputQueued = true
            if streams {
                pending[0].streaming = true
                pending[0].lastAfterStream = last
                break
            }
            pending.removeFirst()
            if last { endAfterLastResponse() }
        }
        if released {
            needsFlush = true
        } else {
            syncReading()
            syncTimer()
        }
    }

    /// What follows the last response: no more requests, nothing else pending; close or linger once it is out.
    mutating func endAfterLastResponse() {
        switch state {
        case .reading: state = .flushing(Ending())
        case .finishing(let ending): state = .flushing(ending)
        case .flushing, .lingering, .closed: break
        }
        pending.removeAll()
    }

    /// A piece of the body being streamed: queue it as the next chunk.
    mutating func streamData(_ id: RequestID, _ data: Data) {
        guard let slot = pending.first, slot.id == id, slot.streaming, !data.isEmpty else { return }
        actions.append(.sendChunk(data, chunked: slot.version != "HTTP/1.0"))
        outputQueued = true
        needsFlush = true
    }

    /// The streamed body is complete: queue its end, then release the responses behind it (or end the connection
    /// if it was the last).
    mutating func streamEnded(_ id: RequestID) {
        guard let slot = pending.first, slot.id == id, slot.streaming else { return }
        pending.removeFirst()
        actions.append(.endStream(chunked: slot.version != "HTTP/1.0"))
        outputQueued = true
        needsFlush = true
        if slot.lastAfterStream || (state != .reading && pending.isEmpty) {
            endAfterLastResponse()
        } else {
            flushReady()
        }
    }

    /// The driver wrote what it could. Blocked: watch for writability. Drained: close or linger after the last
    /// response, close a half-closed connection with nothing pending, or parse requests that waited for room.
    mutating func wrote(sent: Int, drained: Bool, at now: Uptime) {
        if sent > 0 { lastActivity = now }
        guard drained else {
            if !watchingWritable {
                watchingWritable = true
                actions.append(.watchWritable)
            }
            syncTimer()
            return
        }
        outputQueued = false
        if watchingWritable {
            watchingWritable = false
            actions.append(.stopWatchingWritable)
        }
        switch state {
        case .flushing(let ending):
            if ending.peerClosed || ending.shuttingDown { close() } else { startLingering(at: now) }
        case .finishing(let ending) where ending.peerClosed && pending.isEmpty:
            close()
        case .reading where pending.count < configuration.maxPipelinedRequests && parser.bufferedByteCount > 0:
            processInput(at: now) // requests that waited for room in the pipeline
        default:
            syncReading()
            syncTimer()
        }
    }

    /// Half-closes and keeps discarding input for `lingerTime`, so the last response isn't lost to a reset.
    mutating func startLingering(at now: Uptime) {
        state = .lingering(until: now.adding(seconds: Self.lingerTime))
        actions.append(.shutdownWrite)
        syncReading()
        syncTimer()
    }
}
