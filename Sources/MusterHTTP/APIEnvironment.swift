import Foundation
import MusterCore
import MusterStore

/// What the HTTP layer needs from the composition root.
public struct APIEnvironment: Sendable {
    public var store: any Store
    public var scheme: SeverityScheme
    /// How long after resolution an incident may still be reopened.
    public var reopenWindowSeconds: Int
    /// Largest request body accepted, in bytes.
    public var maxBodyBytes: Int
    public var now: @Sendable () -> Date

    public init(
        store: any Store, scheme: SeverityScheme = .standard, reopenWindowSeconds: Int = 72 * 3_600,
        maxBodyBytes: Int = 1 << 20, now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.store = store
        self.scheme = scheme
        self.reopenWindowSeconds = reopenWindowSeconds
        self.maxBodyBytes = maxBodyBytes
        self.now = now
    }
}
