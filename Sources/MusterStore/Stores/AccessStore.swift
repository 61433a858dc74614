import Foundation
import MusterCore

/// API tokens, and people's passwords and web sessions.
public protocol AccessStore: Sendable {
    /// Creates a token and returns it with its secret, which is not kept and cannot be shown again.
    /// With `expiresAt`, the token stops working by itself then; it must lie ahead.
    func createToken(name: String, role: TokenRole, expiresAt: Date?, at now: Date) async throws -> (APIToken, String)
    /// All tokens, revoked ones included, oldest first.
    func tokens() async throws -> [APIToken]
    /// Revokes a token by id or name. Revoking twice, the caller's own token, or the last live
    /// admin token is refused: someone must always be able to manage tokens.
    func revokeToken(_ idOrName: String, by caller: UUID?, at now: Date) async throws -> APIToken
    /// The live token whose secret this is, marking it used; nil for unknown or revoked secrets.
    func authenticate(secret: String, at now: Date) async throws -> APIToken?
    /// Keeps a person's password hash (bcrypt, made by the caller), replacing any before, and
    /// ends every session of theirs.
    func setPassword(user: String, hash: String, at now: Date) async throws
    /// The person's password hash, if one is set.
    func passwordHash(user: String) async throws -> String?
    /// Starts a web session for a person who signed in; returns it with the secret for the cookie.
    func createSession(user: String, at now: Date) async throws -> (WebSession, String)
    /// The session this cookie secret opens, unless unused for `idleLimit` seconds (then it ends).
    func session(secret: String, idleLimit: TimeInterval, at now: Date) async throws -> WebSession?
    /// Ends a session (sign-out).
    func deleteSession(secret: String) async throws
}

extension AccessStore {
    /// Creates a token that does not expire.
    public func createToken(name: String, role: TokenRole, at now: Date) async throws -> (APIToken, String) {
        try await createToken(name: name, role: role, expiresAt: nil, at: now)
    }

    /// Revokes a token on the server's own authority (the CLI against the database).
    public func revokeToken(_ idOrName: String, at now: Date) async throws -> APIToken {
        try await revokeToken(idOrName, by: nil, at: now)
    }
}
