import Foundation
import HTTP
import Synchronization
import Testing

/// `ResponseStream` on its own: pieces sent before the sink is attached arrive first and in order, a sink may
/// cancel the stream from inside (the lock is not held around it), and nothing reaches it after the cancellation.
@Suite("HTTP: ResponseStream")
struct ResponseStreamTests {
    /// What a sink received, as text ("end" for the end).
    final class Received: Sendable {
        private let items = Mutex<[String]>([])
        func add(_ item: ResponseStream.Item) {
            items.withLock { items in
                switch item {
                case .data(let data): items.append(String(decoding: data, as: UTF8.self))
                case .end: items.append("end")
                }
            }
        }
        var all: [String] { items.withLock { $0 } }
    }

    @Test("pieces sent before the sink is attached arrive first, in order, then the later ones")
    func waitingThenLive() {
        let stream = ResponseStream()
        let received = Received()
        stream.send("a")
        stream.send("b")
        stream.attach { received.add($0) }
        stream.send("c")
        stream.finish()
        stream.send("after the end")
        #expect(received.all == ["a", "b", "c", "end"])
    }

    @Test("a sink that cancels while the waiting pieces are handed over stops them there, without a deadlock")
    func cancelFromSinkDuringAttach() {
        let stream = ResponseStream()
        let received = Received()
        let cancelled = Mutex(0)
        stream.onCancel { cancelled.withLock { $0 += 1 } }
        for piece in ["1", "2", "3", "4"] { stream.send(piece) }
        stream.attach { item in
            received.add(item)
            if case .data(let data) = item, data == Data("2".utf8) { stream.cancel() }
        }
        stream.send("5")
        stream.finish()
        #expect(received.all == ["1", "2"])
        #expect(stream.isCancelled)
        #expect(cancelled.withLock { $0 } == 1)
    }

    @Test("a sink that cancels a live stream: later pieces are dropped and the handlers run once")
    func cancelFromLiveSink() {
        let stream = ResponseStream()
        let received = Received()
        let cancelled = Mutex(0)
        stream.onCancel { cancelled.withLock { $0 += 1 } }
        stream.attach { item in
            received.add(item)
            stream.cancel()
        }
        stream.send("x")
        stream.send("y")
        stream.cancel()
        #expect(received.all == ["x"])
        #expect(cancelled.withLock { $0 } == 1)
    }

    @Test("a producer sending from another thread while the sink attaches: every piece once, in order")
    func concurrentProducer() {
        let stream = ResponseStream()
        let received = Received()
        let done = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            for index in 0..<2000 { stream.send("\(index)") }
            stream.finish()
            done.signal()
        }
        stream.attach { received.add($0) }
        #expect(done.wait(timeout: .now() + 30) == .success)
        #expect(received.all == (0..<2000).map { "\($0)" } + ["end"])
    }
}
