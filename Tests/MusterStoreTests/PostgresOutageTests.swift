import Foundation
import MusterCore
import MusterPostgres
import MusterStore
import MusterTestSupport
import Testing

/// PostgreSQL goes away under a running store, and comes back.
@Suite("PostgreSQL away and back", .enabled(if: TestBackend.all.contains { $0.kind == .postgres }))
struct PostgresOutageTests {
    let t0 = Date(timeIntervalSince1970: 1_795_000_000)

    @Test(
        "while PostgreSQL is unreachable, reads and ingestion fail soon as unavailable instead of waiting for the pool; once it is back they work again"
    )
    func outage() async throws {
        // given: a store that reaches PostgreSQL through a proxy the test can cut
        let (proxy, store, ingest, database, _) = try await proxiedStore()
        defer {
            Task {
                try? await store.shutdown()
                await database.remove()
            }
        }
        try await ingest("before")

        // when: PostgreSQL goes away
        proxy.cut()
        let read = await Self.outcome { _ = try await store.listIncidents(IncidentQuery()) }
        let write = await Self.outcome { try await ingest("during") }

        // then: both fail as unavailable, well before the pool's own minute
        for failure in [read, write] { _ = Self.unavailable(failure) }

        // when: it comes back
        try proxy.restore()

        // then
        try await Self.expectRecovery(store, ingest, "ingestion did not work again within a minute of PostgreSQL coming back")
    }

    @Test(
        "when PostgreSQL stops answering on open connections, a transaction fails as unavailable at its time limit instead of waiting for TCP; nothing of it is kept, and once PostgreSQL answers again ingestion works"
    )
    func hang() async throws {
        // given: a store whose transactions may take 5 s, the least allowed, through a proxy the test can freeze
        let (proxy, store, ingest, database, _) = try await proxiedStore(query: "transaction_timeout=5")
        defer {
            Task {
                try? await store.shutdown()
                await database.remove()
            }
        }
        try await ingest("before")

        // when: every byte between Muster and PostgreSQL is held, connections still open
        proxy.freeze()
        let write = await Self.outcome { try await ingest("during") }
        let read = await Self.outcome { _ = try await store.listIncidents(IncidentQuery()) }

        // then: both fail as unavailable; the write says that PostgreSQL did not answer in time
        guard let message = Self.unavailable(write) else { return }
        #expect(message.contains("did not answer within 5 s"), "\(message)")
        guard Self.unavailable(read) != nil else { return }

        // when: PostgreSQL answers again
        proxy.thaw()

        // then: the cut-off transaction left nothing behind
        try await Self.expectRecovery(store, ingest, "ingestion did not work again within a minute of PostgreSQL answering again")
    }

    @Test(
        "after an outage long enough for the pool to wait seconds between its own attempts, ingestion works again within about a second of PostgreSQL's return"
    )
    func quickReturn() async throws {
        // given: a store whose PostgreSQL has been away for 25 s, with alerts refused meanwhile
        let (proxy, store, ingest, database, _) = try await proxiedStore()
        defer {
            Task {
                try? await store.shutdown()
                await database.remove()
            }
        }
        try await ingest("before")
        proxy.cut()
        let away = ContinuousClock.now
        while away.duration(to: .now) < .seconds(25) {
            _ = await Self.outcome { try await ingest("during") }
            try await Task.sleep(for: .milliseconds(500))
        }

        // when: it comes back
        try proxy.restore()
        let recovered = try await Self.works(within: .seconds(3), retryingEvery: .milliseconds(250)) { try await ingest("after") }

        // then: PostgresNIO's own retry would by now wait about 5 s between attempts
        #expect(recovered, "ingestion did not work again within 3 s of PostgreSQL coming back")
    }

    @Test(
        "while PostgreSQL is away, alert requests waiting together for the writer fail together at the first lease timeout, not each after a wait of its own"
    )
    func waitingRequestsFailTogether() async throws {
        // given: a group commit over a store whose PostgreSQL is away, and eight requests at once
        let (proxy, store, _, database, integration) = try await proxiedStore()
        defer {
            Task {
                try? await store.shutdown()
                await database.remove()
            }
        }
        let ingestor = GroupCommitIngestor(store: store, scheme: .standard, mapping: .standard(for: .standard), now: { [t0] in t0 })
        proxy.cut()

        // when
        let outcomes = await withTaskGroup(of: Result<Void, any Error>?.self) { group in
            for number in 0..<8 {
                group.addTask {
                    await Self.outcome {
                        let event = AlertEvent(
                            action: .trigger, dedupKey: "away-\(number)", summary: "Down", source: "test", severity: .critical)
                        _ = try await ingestor.submit(IngestRequest(events: [event], integration: integration))
                    }
                }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }

        // then: each fails as unavailable within 30 s; retried one by one, the last would wait 5 s × 8
        #expect(outcomes.count == 8)
        for outcome in outcomes { _ = Self.unavailable(outcome) }
    }

    @Test(
        "while every connection is held by long work, a request that gets none waits for the pool instead of replacing it: a busy database gets no second set of connections"
    )
    func busyPoolKept() async throws {
        // given: a reachable PostgreSQL with all ten connections of the pool asleep for 8 s
        let database = try await TestBackend(kind: .postgres).makeDatabase()
        let source = try await PostgresConnectionSource.open(url: database.url)
        defer {
            Task {
                try? await source.shutdown()
                await database.remove()
            }
        }
        let sleepers = Task {
            await withTaskGroup(of: Void.self) { group in
                for _ in 0..<10 {
                    group.addTask { _ = try? await source.withConnection { db in try await db.raw("SELECT pg_sleep(8)").run() } }
                }
            }
        }
        try await Task.sleep(for: .milliseconds(500))

        // when: one request gives up waiting for a connection, and the next asks how many sleep
        let refused = await Self.outcome { try await source.withConnection { db in try await db.raw("SELECT 1").run() } }
        let sleeping = try await Self.sleepingCount(source)
        await sleepers.value

        // then: the next one ran on a connection a sleeper gave back, not on a fresh pool beside them
        guard case .failure(StoreError.unavailable)? = refused else {
            Issue.record("expected no connection within 5 s, got \(String(describing: refused))")
            return
        }
        #expect(try #require(sleeping) < 10)
    }

    @Test(
        "a statement sent after PostgreSQL closed the connection under a transaction fails at once as unavailable, instead of waiting forever for an answer"
    )
    func statementAfterClose() async throws {
        // given: a connection whose server process ends in the middle of the work on it
        let database = try await TestBackend(kind: .postgres).makeDatabase()
        let source = try await PostgresConnectionSource.open(url: database.url)
        defer {
            Task {
                try? await source.shutdown()
                await database.remove()
            }
        }

        // when: the next statement is sent after the connection has closed
        let next = await Self.outcome {
            try await source.withConnection { db in
                _ = try? await db.raw("SELECT pg_terminate_backend(pg_backend_pid())").run()
                try await Task.sleep(for: .milliseconds(200))
                _ = try await db.raw("SELECT 1 AS one").all()
            }
        }

        // then: PostgresNIO would drop it unanswered; Muster fails it and says why
        guard let message = Self.unavailable(next) else { return }
        #expect(message.contains("Lost the connection to PostgreSQL"), "\(message)")
    }

    /// A migrated store with a service and an integration, reaching PostgreSQL through a proxy;
    /// `query` is added to the database URL.
    private func proxiedStore(query: String? = nil) async throws -> (
        TCPProxy, any Store, @Sendable (String) async throws -> Void, ScratchDatabase, Integration
    ) {
        let database = try await TestBackend(kind: .postgres).makeDatabase()
        var components = try #require(URLComponents(string: database.url))
        let proxy = try TCPProxy(to: try #require(components.port))
        components.port = proxy.port
        if let query { components.query = [components.query, query].compactMap { $0 }.joined(separator: "&") }
        let store = try await TestBackend.open(try #require(components.string))
        try await store.migrate()
        _ = try await store.createService(ServiceRecord(id: "web", name: "Web", createdAt: t0))
        let integration = try await store.createIntegration(service: "web", kind: .alertmanager, name: "am", at: t0).0
        let t0 = t0
        let ingest: @Sendable (String) async throws -> Void = { key in
            let event = AlertEvent(action: .trigger, dedupKey: key, summary: "Down", source: "test", severity: .critical)
            _ = try await store.ingest([event], via: integration, scheme: .standard, mapping: .standard(for: .standard), at: t0)
        }
        return (proxy, store, ingest, database, integration)
    }

    /// The message of `outcome` when it failed as unavailable; otherwise records why not and
    /// returns nil.
    /// How many connections of the test database sleep in `pg_sleep`, asked on a connection of
    /// `source`. On a slow machine the sleepers may outlast the next lease timeout too: that
    /// refusal also shows the pool was not replaced, so the question is asked again.
    private static func sleepingCount(_ source: PostgresConnectionSource) async throws -> Int? {
        for attempt in 1... {
            do {
                return try await source.withConnection { db in
                    try await db.raw(
                        "SELECT count(*) AS n FROM pg_stat_activity WHERE wait_event = 'PgSleep' AND datname = current_database()"
                    )
                    .first(decoding: SleepCount.self)?.n
                }
            } catch StoreError.unavailable where attempt < 4 {
                continue
            }
        }
        return nil
    }

    private static func unavailable(
        _ outcome: Result<Void, any Error>?, sourceLocation: SourceLocation = #_sourceLocation
    ) -> String? {
        guard case .failure(StoreError.unavailable(let message))? = outcome else {
            Issue.record("expected StoreError.unavailable within 30 s, got \(String(describing: outcome))", sourceLocation: sourceLocation)
            return nil
        }
        return message
    }

    /// Ingestion works again within a minute, and the store holds the alerts from before the
    /// trouble and after it, none from during it.
    private static func expectRecovery(
        _ store: any Store, _ ingest: @escaping @Sendable (String) async throws -> Void, _ failure: Comment,
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws {
        let recovered = try await works(within: .seconds(60), retryingEvery: .seconds(1)) { try await ingest("after") }
        #expect(recovered, failure, sourceLocation: sourceLocation)
        let alerts = try await store.alerts(AlertQuery(service: "web", limit: 10))
        #expect(Set(alerts.map(\.dedupKey)) == ["before", "after"], sourceLocation: sourceLocation)
    }

    /// Whether `work`, tried again after each failure, succeeds before `limit` has passed.
    private static func works(
        within limit: Duration, retryingEvery pause: Duration, _ work: @escaping @Sendable () async throws -> Void
    ) async throws -> Bool {
        let start = ContinuousClock.now
        while start.duration(to: .now) < limit {
            if case .success? = await outcome(work) { return true }
            try await Task.sleep(for: pause)
        }
        return false
    }

    /// What `work` came to within 30 s, or nil when it was still waiting (a hang). A hung `work` is
    /// left behind, so that the test reports it instead of hanging too.
    private static func outcome(_ work: @escaping @Sendable () async throws -> Void) async -> Result<Void, any Error>? {
        let first = FirstOutcome()
        return await withCheckedContinuation { continuation in
            first.set(continuation)
            Task {
                do {
                    try await work()
                    first.resume(.success(()))
                } catch { first.resume(.failure(error)) }
            }
            Task {
                try? await Task.sleep(for: .seconds(30))
                first.resume(nil)
            }
        }
    }
}

/// The first outcome given, passed to the one waiting continuation.
private final class FirstOutcome: @unchecked Sendable {
    private let lock = NSLock()
    private var continuation: CheckedContinuation<Result<Void, any Error>?, Never>?

    func set(_ waiting: CheckedContinuation<Result<Void, any Error>?, Never>) {
        lock.withLock { continuation = waiting }
    }

    func resume(_ outcome: Result<Void, any Error>?) {
        let waiting = lock.withLock {
            defer { continuation = nil }
            return continuation
        }
        waiting?.resume(returning: outcome)
    }
}

private struct SleepCount: Decodable {
    var n: Int
}
