import Crypto
import Foundation
import MusterCore

/// The kinds of sender an integration key is for.
public enum IntegrationKind: String, StrictStringEnum {
    case alertmanager, grafana, pagerduty, generic
}

/// A sender's credential for one service: its secret key is stored only as a hash.
public struct Integration: Codable, Sendable, Equatable {
    public var id: UUID
    public var service: String
    public var kind: IntegrationKind
    public var name: String
    /// The first characters of the key, enough to recognise it.
    public var keyPrefix: String
    public var createdAt: Date
    public var rotatedAt: Date?
    public var revokedAt: Date?

    public init(
        id: UUID, service: String, kind: IntegrationKind, name: String, keyPrefix: String, createdAt: Date, rotatedAt: Date?,
        revokedAt: Date?
    ) {
        self.id = id
        self.service = service
        self.kind = kind
        self.name = name
        self.keyPrefix = keyPrefix
        self.createdAt = createdAt
        self.rotatedAt = rotatedAt
        self.revokedAt = revokedAt
    }
}

/// Integration keys: 32 random base-62 characters, the length PagerDuty routing keys have.
public enum IntegrationKey {
    public static func generate() -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
        var generator = SystemRandomNumberGenerator()
        return String((0..<32).map { _ in alphabet[Int(generator.next(upperBound: UInt64(alphabet.count)))] })
    }

    /// Whether `text` could be a key at all; anything else is rejected before hashing.
    public static func isPlausible(_ text: String) -> Bool {
        text.count == 32 && text.unicodeScalars.allSatisfy { CharacterSet.alphanumerics.contains($0) && $0.isASCII }
    }
}

/// What one event did, as reported back to the sender.
public struct IngestOutcome: Codable, Sendable, Equatable {
    public var dedupKey: String
    public var change: AlertChange
    public var alertID: UUID?
    /// The incident the alert opened or joined, if any.
    public var incident: String?
    /// True when a silence held the alert back.
    public var silenced: Bool

    public init(dedupKey: String, change: AlertChange, alertID: UUID?, incident: String?, silenced: Bool) {
        self.dedupKey = dedupKey
        self.change = change
        self.alertID = alertID
        self.incident = incident
        self.silenced = silenced
    }
}

/// Filters for listing alerts.
public struct AlertQuery: Sendable, Equatable {
    public var status: AlertStatus?
    public var service: String?
    public var incidentID: UUID?
    /// Alerts returned at most, newest first; from 1 to `maxLimit` (the API allows less).
    public var limit: Int
    /// The most alerts one query returns: one Alertmanager storm's worth.
    public static let maxLimit = 10_000
    /// Alerts skipped first, for reading a long list page by page.
    public var offset: Int

    public init(status: AlertStatus? = nil, service: String? = nil, incidentID: UUID? = nil, limit: Int = 100, offset: Int = 0) {
        self.status = status
        self.service = service
        self.incidentID = incidentID
        self.limit = limit
        self.offset = offset
    }
}
