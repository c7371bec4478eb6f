import Dispatch
import Foundation
import Glibc
import Synchronization

extension HTTPServer {
    /// Blocks the calling thread until SIGINT or SIGTERM arrives, then stops `server` gracefully and returns the
    /// signal number, so the caller can clean up and exit.
    ///
    /// The two signals are ignored by default handling from here on (they are delivered to Dispatch sources
    /// instead), so a second Ctrl-C during the grace period doesn't kill the process halfway.
    @discardableResult
    public static func runUntilSignalled(_ server: HTTPServer, gracePeriod: TimeInterval = 5) -> Int32 {
        let received = ReceivedSignal()
        let semaphore = DispatchSemaphore(value: 0)
        let queue = DispatchQueue(label: "glassbox.http.signals")
        let sources = [SIGINT, SIGTERM].map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
            source.setEventHandler { @Sendable in
                received.number.withLock { $0 = number }
                semaphore.signal()
            }
            source.resume()
            return source
        }
        semaphore.wait()
        server.stop(gracePeriod: gracePeriod)
        for source in sources { source.cancel() }
        return received.number.withLock { $0 }
    }
}

/// The signal that ended `runUntilSignalled`, shared with the signal handlers.
private final class ReceivedSignal: Sendable {
    let number = Mutex<Int32>(0)
}
