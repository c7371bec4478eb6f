import Dispatch
import Foundation
import Glibc
import Synchronization

extension HTTPServer {
    /// Blocks the calling thread until SIGINT or SIGTERM (or any of `signals`) arrives, then stops `server`
    /// gracefully and returns the signal number, so the caller can clean up and exit.
    ///
    /// The signals' default action is switched off for good (they are delivered to Dispatch sources instead), so a
    /// second Ctrl-C during the grace period doesn't kill the process halfway; the caller is expected to exit
    /// afterwards. Safe to call from `main` or an `@main` type: no closure here is main-actor isolated.
    @discardableResult
    public static func runUntilSignalled(
        _ server: HTTPServer, gracePeriod: TimeInterval = 5,
        signals: [Int32] = [SIGINT, SIGTERM]
    ) -> Int32 {
        let received = ReceivedSignal()
        let semaphore = DispatchSemaphore(value: 0)
        let queue = DispatchQueue(label: "glassbox.http.signals")
        let sources = signals.map { number in
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
