import Foundation
import MusterStore

/// Remembers integrations by key for a few seconds. Rotating or revoking through this process
/// clears it at once; another process's change is seen within `lifetime`.
public final class IntegrationKeyCache: @unchecked Sendable {
    private struct Entry {
        var integration: Integration
        var expires: Date
    }

    private let store: any AlertStore
    private let now: @Sendable () -> Date
    private let lifetime: TimeInterval
    private let capacity: Int
    private let lock = NSLock()
    private var entries: [String: Entry] = [:]

    public init(store: any AlertStore, now: @escaping @Sendable () -> Date, lifetime: TimeInterval = 5, capacity: Int = 10_000) {
        self.store = store
        self.now = now
        self.lifetime = lifetime
        self.capacity = capacity
    }

    /// The live integration for `key`; unknown keys are never cached, so guessing fills nothing.
    public func integration(forKey key: String) async throws -> Integration? {
        let moment = now()
        if let hit = cached(key, at: moment) { return hit }
        guard let integration = try await store.integration(forKey: key) else { return nil }
        remember(integration, for: key, until: moment.addingTimeInterval(lifetime))
        return integration
    }

    private func remember(_ integration: Integration, for key: String, until expires: Date) {
        lock.withLock {
            if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
            entries[key] = Entry(integration: integration, expires: expires)
        }
    }

    /// Forgets everything, after a key was rotated or revoked.
    public func clear() {
        lock.lock()
        entries.removeAll()
        lock.unlock()
    }

    private func cached(_ key: String, at moment: Date) -> Integration? {
        lock.lock()
        defer { lock.unlock() }
        guard let entry = entries[key], entry.expires > moment else { return nil }
        return entry.integration
    }
}
