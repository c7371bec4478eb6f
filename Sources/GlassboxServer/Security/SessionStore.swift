import Foundation
import Synchronization

/// The browser sessions the login page opens: a random id (the `glassbox_session` cookie's value) for the token it
/// was opened with, until it expires. Kept in memory only: a restart signs everyone out.
public final class SessionStore: Sendable {
    public struct Session: Sendable {
        public let token: AccessToken
        public let expires: Date
    }

    public let lifetime: TimeInterval
    /// Most sessions kept; past it the one expiring first is dropped.
    public let capacity: Int
    private let sessions = Mutex<[String: Session]>([:])

    public init(lifetime: TimeInterval, capacity: Int = 10_000) {
        self.lifetime = lifetime
        self.capacity = capacity
    }

    /// Opens a session for `token`; answers its id (64 hex digits from the system's secure generator).
    public func open(_ token: AccessToken, now: Date = Date()) -> String {
        let id = AccessToken.randomHex(words: 4)
        sessions.withLock { sessions in
            sessions = sessions.filter { $0.value.expires > now }
            if sessions.count >= capacity, let first = sessions.min(by: { $0.value.expires < $1.value.expires }) {
                sessions[first.key] = nil
            }
            sessions[id] = Session(token: token, expires: now.addingTimeInterval(lifetime))
        }
        return id
    }

    /// The token of a live session, or nil (unknown or expired).
    public func token(_ id: String, now: Date = Date()) -> AccessToken? {
        sessions.withLock { sessions in
            guard let session = sessions[id] else { return nil }
            guard session.expires > now else {
                sessions[id] = nil
                return nil
            }
            return session.token
        }
    }

    /// Ends a session.
    public func close(_ id: String) {
        _ = sessions.withLock { $0.removeValue(forKey: id) }
    }

    /// Live sessions.
    public func count(now: Date = Date()) -> Int {
        sessions.withLock { $0.values.filter { $0.expires > now }.count }
    }
}
