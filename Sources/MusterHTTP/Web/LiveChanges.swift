import Foundation
import Logging
import MusterStore

/// Tells the live pages when incidents changed. While anyone watches, one task per server reads
/// the store's change stamp every `interval` and wakes every watcher when it moved. Reading the
/// database, rather than hearing this process's own writes, makes a change made through any
/// instance sharing a PostgreSQL database reach the pages every instance serves, and works alike
/// on SQLite.
public actor LiveChanges {
    private let store: any IncidentStore
    private let interval: Duration
    private let logger: Logger
    private var watchers: [UUID: AsyncStream<String>.Continuation] = [:]
    private var poller: Task<Void, Never>?
    private var stamp: String?

    public init(store: any IncidentStore, interval: Duration = .seconds(1), logger: Logger = Logger(label: "muster.live")) {
        self.store = store
        self.interval = interval
        self.logger = logger
    }

    /// Changes as they happen, until the caller stops reading.
    public func watch() -> AsyncStream<String> {
        let id = UUID()
        let (stream, continuation) = AsyncStream<String>.makeStream(bufferingPolicy: .bufferingNewest(1))
        watchers[id] = continuation
        continuation.onTermination = { _ in Task { await self.stop(id) } }
        if poller == nil {
            poller = Task { await self.poll() }
        }
        return stream
    }

    /// How many pages watch now.
    var count: Int { watchers.count }

    private func stop(_ id: UUID) {
        watchers[id] = nil
        if watchers.isEmpty {
            poller?.cancel()
            poller = nil
            stamp = nil
        }
    }

    private func poll() async {
        while !Task.isCancelled {
            do {
                let current = try await store.changeStamp()
                if let previous = stamp, previous != current {
                    for watcher in watchers.values { watcher.yield(current) }
                }
                stamp = current
            } catch {
                // A database away is reported by the requests that need it; the pages wait.
                logger.debug("live pages could not read the change stamp", metadata: ["error": "\(error)"])
            }
            try? await Task.sleep(for: interval)
        }
    }
}
