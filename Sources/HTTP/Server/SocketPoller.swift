import Dispatch
import Foundation
import Glibc
import Synchronization

/// Tells connections when their sockets are readable or writable: one thread waiting in `poll`, in place of
/// Dispatch read and write sources.
///
/// Why not Dispatch sources: on Linux, when epoll reports a hang-up (`EPOLLHUP`: the peer's FIN after our
/// `shutdown`, which every lingering connection sees, or a reset), libdispatch's manager thread marks the socket's
/// sources for deletion and wakes them; each source then acknowledges the deletion on its own target queue, which
/// unlinks and frees the descriptor's shared epoll note (`dispatch_muxnote`) on that thread, while the manager may
/// still be reading the same note (`_dispatch_event_loop_drain`: its writers list, then its descriptor). The server
/// died with SIGSEGV there about once per 100,000 fuzzed connections (and, earlier, with SIGILL, "Source finalized
/// twice"); a freed note read as garbage can also delete another socket's epoll registration and leave that
/// connection unanswered. Nothing a source's user does avoids it, so the connections' sockets don't use them.
///
/// A watch is one-shot: once its socket is ready for what it was armed for, the handler is called once on the
/// watch's queue and nothing more is reported until it is armed again (`arm`). Watches are known by a number that is
/// never reused: a watch is removed before its descriptor is closed, and readiness found for a removed watch is
/// dropped, so a descriptor number reused by a new connection never gets the old one's events.
package final class SocketPoller: Sendable {
    package struct Events: OptionSet, Sendable {
        package let rawValue: Int

        package init(rawValue: Int) {
            self.rawValue = rawValue
        }

        package static let readable = Events(rawValue: 1)
        package static let writable = Events(rawValue: 2)
    }

    private struct Watch: Sendable {
        let fd: Int32
        let queue: DispatchQueue
        let handler: @Sendable (Events) -> Void
        var armed: Events = []
    }

    private struct State: Sendable {
        var nextID: UInt64 = 1
        var watches: [UInt64: Watch] = [:]
        /// A byte is in the wake-up pipe and the poller hasn't taken the watches since.
        var wakePending = false
    }

    /// The process's poller (its thread runs for the life of the process).
    package static let shared = SocketPoller()

    private let state = Mutex(State())
    /// The poller waits on the read end too; a byte written to the other end makes it take the armed watches anew.
    private let wakeRead: Int32
    private let wakeWrite: Int32

    private init() {
        var ends: [Int32] = [-1, -1]
        precondition(pipe(&ends) == 0, "cannot create the socket poller's pipe: \(String(cString: strerror(errno)))")
        for fd in ends {
            Socket.setNonBlocking(fd)
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        }
        wakeRead = ends[0]
        wakeWrite = ends[1]
        let thread = Thread { [self] in run() }
        thread.name = "glassbox.http.poller"
        thread.start()
    }

    /// Starts watching `fd` (armed for nothing yet); `handler` runs on `queue`. Returns the watch's number.
    package func add(_ fd: Int32, queue: DispatchQueue, handler: @escaping @Sendable (Events) -> Void) -> UInt64 {
        state.withLock { state in
            let id = state.nextID
            state.nextID += 1
            state.watches[id] = Watch(fd: fd, queue: queue, handler: handler)
            return id
        }
    }

    /// Reports, once, when the socket is ready for any of `interest` (a hang-up or error counts as both); `[]`
    /// reports nothing. Replaces what the watch was armed for.
    package func arm(_ id: UInt64, _ interest: Events) {
        let wake = state.withLock { state -> Bool in
            guard state.watches[id] != nil else { return false }
            state.watches[id]?.armed = interest
            return !interest.isEmpty && Self.needsWakeUp(&state)
        }
        if wake { wakeUp() }
    }

    /// Stops watching; call before closing the descriptor. Readiness already found for the watch is dropped.
    ///
    /// The poller is woken even so: a `poll` that is waiting on the socket holds a reference to it, and until that
    /// reference goes the close doesn't take effect (no FIN goes out).
    package func remove(_ id: UInt64) {
        let wake = state.withLock { state -> Bool in
            state.watches.removeValue(forKey: id) != nil && Self.needsWakeUp(&state)
        }
        if wake { wakeUp() }
    }

    /// Whether to write a wake-up byte (none is in the pipe that the poller hasn't acted on yet); counts it written.
    private static func needsWakeUp(_ state: inout State) -> Bool {
        guard !state.wakePending else { return false }
        state.wakePending = true
        return true
    }

    private func wakeUp() {
        var byte: UInt8 = 1
        _ = write(wakeWrite, &byte, 1)
    }

    private func run() {
        var entries: [pollfd] = []
        var ids: [UInt64] = []
        while true {
            entries.removeAll(keepingCapacity: true)
            ids.removeAll(keepingCapacity: true)
            entries.append(pollfd(fd: wakeRead, events: Int16(POLLIN), revents: 0))
            ids.append(0)
            state.withLock { state in
                state.wakePending = false
                for (id, watch) in state.watches where !watch.armed.isEmpty {
                    var events: Int16 = 0
                    if watch.armed.contains(.readable) { events |= Int16(POLLIN) }
                    if watch.armed.contains(.writable) { events |= Int16(POLLOUT) }
                    entries.append(pollfd(fd: watch.fd, events: events, revents: 0))
                    ids.append(id)
                }
            }
            guard poll(&entries, nfds_t(entries.count), -1) > 0 else { continue } // EINTR
            if entries[0].revents != 0 { drainWakeUps() }
            let ready = state.withLock { state -> [(Watch, Events)] in
                var ready: [(Watch, Events)] = []
                for index in 1..<entries.count where entries[index].revents != 0 {
                    // Gone (removed, its descriptor maybe reused) or re-armed since: the readiness isn't for it.
                    guard let watch = state.watches[ids[index]] else { continue }
                    let events = Self.events(entries[index].revents).intersection(watch.armed)
                    guard !events.isEmpty else { continue }
                    state.watches[ids[index]]?.armed = []
                    ready.append((watch, events))
                }
                return ready
            }
            for (watch, events) in ready {
                watch.queue.async { watch.handler(events) }
            }
        }
    }

    private func drainWakeUps() {
        var bytes = [UInt8](repeating: 0, count: 256)
        while read(wakeRead, &bytes, bytes.count) > 0 {}
    }

    /// What `poll`'s result means for a watch: a hang-up or error wakes readers and writers, which then find out.
    private static func events(_ revents: Int16) -> Events {
        var events: Events = []
        let failed = revents & Int16(POLLHUP | POLLERR | POLLNVAL) != 0
        if failed || revents & Int16(POLLIN) != 0 { events.insert(.readable) }
        if failed || revents & Int16(POLLOUT) != 0 { events.insert(.writable) }
        return events
    }
}
