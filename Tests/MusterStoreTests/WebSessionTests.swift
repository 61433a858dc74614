import Foundation
import MusterCore
import MusterStore
import MusterTestSupport
import Testing

@Suite("Passwords and web sessions")
struct WebSessionTests {
    let t0 = Date(timeIntervalSince1970: 1_800_000_000)

    func ann(_ store: any Store) async throws {
        _ = try await store.createUser(try User(id: "ann", name: "Ann", email: "ann@example.com", timeZone: "UTC", createdAt: t0))
    }

    @Test("a session opens with its secret alone, ends after the idle limit, and on sign-out", arguments: TestBackend.all)
    func sessions(backend: TestBackend) async throws {
        try await backend.withStore { store in
            // given ann signed in
            try await ann(store)
            let (session, secret) = try await store.createSession(user: "ann", at: t0)
            // when / then: the secret opens it, and keeps it open while used
            #expect(
                try await store.session(secret: secret, idleLimit: 3_600, at: t0.addingTimeInterval(1_800)) == session.touched(t0 + 1_800))
            #expect(try await store.session(secret: secret, idleLimit: 3_600, at: t0.addingTimeInterval(5_000))?.user == "ann")
            #expect(try await store.session(secret: "mss_" + String(repeating: "x", count: 40), idleLimit: 3_600, at: t0) == nil)
            // an hour unused ends it for good
            #expect(try await store.session(secret: secret, idleLimit: 3_600, at: t0.addingTimeInterval(9_000)) == nil)
            #expect(try await store.session(secret: secret, idleLimit: 86_400, at: t0.addingTimeInterval(9_001)) == nil)
            // and sign-out ends another
            let (_, other) = try await store.createSession(user: "ann", at: t0)
            try await store.deleteSession(secret: other)
            #expect(try await store.session(secret: other, idleLimit: 3_600, at: t0) == nil)
        }
    }

    @Test("a new password replaces the old and signs the person out; so does deactivation", arguments: TestBackend.all)
    func passwords(backend: TestBackend) async throws {
        try await backend.withStore { store in
            // given ann with a password and a session
            try await ann(store)
            try await store.setPassword(user: "ann", hash: "$2b$12$first", at: t0)
            let (_, secret) = try await store.createSession(user: "ann", at: t0)
            // when the password is reset
            try await store.setPassword(user: "ann", hash: "$2b$12$second", at: t0)
            // then the new hash is kept and the session is over
            #expect(try await store.passwordHash(user: "ann") == "$2b$12$second")
            #expect(try await store.session(secret: secret, idleLimit: 3_600, at: t0) == nil)
            await #expect(throws: StoreError.notFound(what: "user", key: "nobody")) {
                try await store.setPassword(user: "nobody", hash: "$2b$12$x", at: t0)
            }
            // when she is deactivated, her new session ends too
            let (_, again) = try await store.createSession(user: "ann", at: t0)
            _ = try await store.deactivateUser("ann", at: t0)
            #expect(try await store.session(secret: again, idleLimit: 3_600, at: t0) == nil)
        }
    }
}

extension WebSession {
    /// The session as it reads after use at `date`: its last use is kept to the minute.
    func touched(_ date: Date) -> WebSession {
        var copy = self
        if date.timeIntervalSince(lastSeenAt) >= 60 { copy.lastSeenAt = date }
        return copy
    }
}
