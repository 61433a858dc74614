import Crypto
import Foundation
import MusterCore

/// What a token may do: the same roles people have.
public typealias TokenRole = Role

/// An API token as stored: the secret itself is never kept, only its SHA-256 digest.
public struct APIToken: Codable, Sendable, Equatable {
    public var id: UUID
    public var name: String
    public var role: TokenRole
    /// The first characters of the secret, enough to recognise it in a list.
    public var prefix: String
    public var createdAt: Date
    public var lastUsedAt: Date?
    public var revokedAt: Date?
    /// When the token stops working by itself; nil for never.
    public var expiresAt: Date?

    public init(
        id: UUID, name: String, role: TokenRole, prefix: String, createdAt: Date, lastUsedAt: Date?, revokedAt: Date?,
        expiresAt: Date? = nil
    ) {
        self.expiresAt = expiresAt
        self.id = id
        self.name = name
        self.role = role
        self.prefix = prefix
        self.createdAt = createdAt
        self.lastUsedAt = lastUsedAt
        self.revokedAt = revokedAt
    }
}

extension APIToken {
    /// Whether the token still works at `now`: neither revoked nor expired.
    public func isLive(at now: Date) -> Bool {
        revokedAt == nil && (expiresAt.map { now < $0 } ?? true)
    }
}

/// Making and hashing token secrets.
public enum TokenSecret {
    /// A new secret: `prefix` and 40 random base-62 characters (about 238 bits). The prefix says
    /// what the secret opens (`mst_` an API token, `cal_` a calendar feed, `mss_` a web session).
    public static func generate(prefix: String = "mst_") -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
        var generator = SystemRandomNumberGenerator()
        return prefix + String((0..<40).map { _ in alphabet[Int(generator.next(upperBound: UInt64(alphabet.count)))] })
    }

    /// Hex SHA-256 of the secret. A fast hash is right here: the secrets are long and random, so
    /// there is nothing to brute-force, unlike passwords.
    public static func hash(_ secret: String) -> String {
        SHA256.hash(data: Data(secret.utf8)).map { String(format: "%02x", $0) }.joined()
    }
}
