import Foundation
import MusterCore
import SQLKit

extension SQLStore {
    public func setPassword(user: String, hash: String, at now: Date) async throws {
        let lock = dialect.lockRowSuffix
        try await transaction { db in
            guard try await db.raw("SELECT id FROM users WHERE id = \(bind: user)\(unsafeRaw: lock)").first() != nil else {
                throw StoreError.notFound(what: "user", key: user)
            }
            try await db.raw("DELETE FROM user_passwords WHERE user_id = \(bind: user)").run()
            try await db.raw(
                "INSERT INTO user_passwords (user_id, hash, set_at) VALUES (\(bind: user), \(bind: hash), \(bind: now.millis))"
            ).run()
            // A new password signs the person out everywhere: whoever knew the old one is out too.
            try await db.raw("DELETE FROM web_sessions WHERE user_id = \(bind: user)").run()
        }
    }

    public func passwordHash(user: String) async throws -> String? {
        try await read { db in
            try await db.raw("SELECT hash FROM user_passwords WHERE user_id = \(bind: user)").first()?.decode(
                column: "hash", as: String.self)
        }
    }

    public func createSession(user: String, at now: Date) async throws -> (WebSession, String) {
        let secret = WebSession.newSecret()
        let session = WebSession(user: user, csrfToken: TokenSecret.generate(prefix: ""), createdAt: now, lastSeenAt: now)
        try await transaction { db in
            try await db.raw(
                """
                INSERT INTO web_sessions (id_hash, user_id, csrf_token, created_at, last_seen_at)
                VALUES (\(bind: TokenSecret.hash(secret)), \(bind: user), \(bind: session.csrfToken), \(bind: now.millis), \(bind: now.millis))
                """
            ).run()
        }
        return (session, secret)
    }

    public func session(secret: String, idleLimit: TimeInterval, at now: Date) async throws -> WebSession? {
        guard secret.hasPrefix("mss_"), secret.count < 200 else { return nil }
        let hash = TokenSecret.hash(secret)
        return try await read { db in
            guard
                var session = try await db.raw(
                    "SELECT user_id, csrf_token, created_at, last_seen_at FROM web_sessions WHERE id_hash = \(bind: hash)"
                ).first().map(Self.decodeSession)
            else { return nil }
            guard now.timeIntervalSince(session.lastSeenAt) < idleLimit else {
                try await db.raw("DELETE FROM web_sessions WHERE id_hash = \(bind: hash)").run()
                return nil
            }
            // Kept to the minute, so that pages read without writing on every request.
            if now.timeIntervalSince(session.lastSeenAt) >= 60 {
                try await db.raw("UPDATE web_sessions SET last_seen_at = \(bind: now.millis) WHERE id_hash = \(bind: hash)").run()
                session.lastSeenAt = now
            }
            return session
        }
    }

    public func deleteSession(secret: String) async throws {
        try await transaction { db in
            try await db.raw("DELETE FROM web_sessions WHERE id_hash = \(bind: TokenSecret.hash(secret))").run()
        }
    }

    static func decodeSession(_ row: any SQLRow) throws -> WebSession {
        WebSession(
            user: try row.decode(column: "user_id", as: String.self), csrfToken: try row.decode(column: "csrf_token", as: String.self),
            createdAt: Date(millis: try row.decode(column: "created_at", as: Int64.self)),
            lastSeenAt: Date(millis: try row.decode(column: "last_seen_at", as: Int64.self)))
    }
}
