import Crypto
import Foundation
import MusterCore

/// The links a status page subscriber follows without a login: to confirm the subscription and
/// to leave it. Each names the subscriber and is signed with the server's key, so no one can
/// confirm or remove another address; they do not expire, since a mail read months later must
/// still let its reader leave.
public struct SubscriberLinks: Sendable {
    public enum Action: String, Sendable {
        case confirm, unsubscribe
    }

    let key: Data
    let publicURL: String

    public init(key: Data, publicURL: String) {
        self.key = key
        self.publicURL = publicURL.hasSuffix("/") ? String(publicURL.dropLast()) : publicURL
    }

    /// `https://…/status/subscriptions/<id>/confirm?sig=…`.
    public func url(_ action: Action, for subscriber: UUID) -> String {
        "\(publicURL)/status/subscriptions/\(subscriber.uuidString.lowercased())/\(action.rawValue)?sig=\(signature(action, subscriber))"
    }

    /// Whether `given` is this server's signature of `action` for the subscriber.
    public func verify(_ action: Action, subscriber: UUID, signature given: String) -> Bool {
        let expected = Array(signature(action, subscriber).utf8)
        let actual = Array(given.utf8)
        guard expected.count == actual.count else { return false }
        return zip(expected, actual).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }

    private func signature(_ action: Action, _ subscriber: UUID) -> String {
        let message = Data("subscriber.\(action.rawValue).\(subscriber.uuidString.lowercased())".utf8)
        return Hex.encode(HMAC<SHA256>.authenticationCode(for: message, using: SymmetricKey(data: key)))
    }
}
