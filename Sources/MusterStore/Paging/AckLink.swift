import Crypto
import Foundation
import MusterCore

/// One-click acknowledge links: the page id and an expiry, signed with the server's key, so the
/// link works without a login but cannot be forged or reused after it expires.
public struct AckLink: Sendable {
    let key: Data
    let publicURL: String
    /// How long a link stays valid.
    public let lifetime: TimeInterval

    public init(key: Data, publicURL: String, lifetime: TimeInterval = 24 * 3_600) {
        self.key = key
        self.publicURL = publicURL.hasSuffix("/") ? String(publicURL.dropLast()) : publicURL
        self.lifetime = lifetime
    }

    /// The link for a page, valid until `now + lifetime`.
    public func url(for page: UUID, at now: Date) -> String {
        let expires = Int(now.timeIntervalSince1970 + lifetime)
        return "\(publicURL)/ack/\(page.uuidString.lowercased())?exp=\(expires)&sig=\(signature(page, expires))"
    }

    /// Whether `sig` is this server's signature for the page and `exp` has not passed.
    public func verify(page: UUID, expires: Int, signature given: String, at now: Date) -> Bool {
        guard Double(expires) > now.timeIntervalSince1970 else { return false }
        let expected = Array(signature(page, expires).utf8)
        let actual = Array(given.utf8)
        // Compare in constant time so the signature cannot be guessed byte by byte.
        guard expected.count == actual.count else { return false }
        return zip(expected, actual).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }

    private func signature(_ page: UUID, _ expires: Int) -> String {
        let message = Data("ack.\(page.uuidString.lowercased()).\(expires)".utf8)
        return Hex.encode(HMAC<SHA256>.authenticationCode(for: message, using: SymmetricKey(data: key)))
    }
}
