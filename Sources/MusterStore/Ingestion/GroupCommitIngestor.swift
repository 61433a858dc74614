import Foundation
import MusterCore

/// Group commit for alert ingestion: requests that arrive while a transaction is being written
/// wait for the next one and share it, so a burst costs one commit (and one fsync), not one per
/// request. Each caller still returns only after its own alerts are committed. The writing runs
/// where the store starts its writer, so the serial stage never queues behind request parsing.
public actor GroupCommitIngestor {
    private struct Waiting {
        var request: IngestRequest
        var continuation: CheckedContinuation<[IngestOutcome], any Error>
    }

    private let store: any AlertStore
    private let scheme: SeverityScheme
    private let mapping: SeverityMapping
    private let now: @Sendable () -> Date
    /// Upper bound of events in one transaction, so one commit never grows without limit.
    private let maxEvents: Int
    private var waiting: [Waiting] = []
    private var writing = false
    /// Transactions written so far, for metrics and tests.
    public private(set) var transactions = 0

    public init(
        store: any AlertStore, scheme: SeverityScheme, mapping: SeverityMapping, maxEvents: Int = 5_000, now: @escaping @Sendable () -> Date
    ) {
        self.store = store
        self.scheme = scheme
        self.mapping = mapping
        self.maxEvents = maxEvents
        self.now = now
    }

    /// Commits the request's events, together with whatever else is waiting, and returns its outcomes.
    /// The events are checked first, on the caller's thread, to keep the serial writer short.
    public nonisolated func submit(_ request: IngestRequest) async throws -> [IngestOutcome] {
        try await enqueue(request.validated())
    }

    private func enqueue(_ request: IngestRequest) async throws -> [IngestOutcome] {
        try await withCheckedThrowingContinuation { continuation in
            waiting.append(Waiting(request: request, continuation: continuation))
            if !writing {
                writing = true
                store.startWriter { await self.drain() }
            }
        }
    }

    private func drain() async {
        while !waiting.isEmpty {
            var taken = 0
            var events = 0
            while taken < waiting.count, taken == 0 || events + waiting[taken].request.events.count <= maxEvents {
                events += waiting[taken].request.events.count
                taken += 1
            }
            // Taken in one cut: removing the first of thousands waiting, one at a time, is quadratic.
            let batch = Array(waiting.prefix(taken))
            waiting.removeFirst(taken)
            await write(batch)
        }
        writing = false
    }

    private func write(_ batch: [Waiting]) async {
        transactions += 1
        do {
            let outcomes = try await store.ingest(batch.map(\.request), scheme: scheme, mapping: mapping, at: now())
            for (item, outcome) in zip(batch, outcomes) { item.continuation.resume(returning: outcome) }
        } catch {
            // Without the database every retry would fail too, each after its own wait.
            guard batch.count > 1, !StoreError.isUnavailable(error) else {
                for item in batch { item.continuation.resume(throwing: error) }
                return
            }
            // One bad request must not fail its neighbours: retry each on its own.
            for item in batch {
                do {
                    let outcome = try await store.ingest([item.request], scheme: scheme, mapping: mapping, at: now())
                    item.continuation.resume(returning: outcome[0])
                } catch {
                    item.continuation.resume(throwing: error)
                }
            }
        }
    }
}
