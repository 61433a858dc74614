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

    @Test("while PostgreSQL is unreachable, reads and ingestion fail soon as unavailable instead of waiting for the pool; once it is back they work again")
    func outage() async throws {
        // given: a store that reaches PostgreSQL through a proxy the test can cut
        let database = try await TestBackend(kind: .postgres).makeDatabase()
        defer { Task { await database.remove() } }
        var components = try #require(URLComponents(string: database.url))
        let proxy = try TCPProxy(to: try #require(components.port))
        components.port = proxy.port
        let store = try await TestBackend.open(try #require(components.string))
        defer { Task { try? await store.shutdown() } }
        try await store.migrate()
        _ = try await store.createService(ServiceRecord(id: "web", name: "Web", createdAt: t0))
        let integration = try await store.createIntegration(service: "web", kind: .alertmanager, name: "am", at: t0).0
        @Sendable func ingest(_ key: String) async throws {
            let event = AlertEvent(action: .trigger, dedupKey: key, summary: "Down", source: "test", severity: .critical)
            _ = try await store.ingest([event], via: integration, scheme: .standard, mapping: .standard(for: .standard), at: t0)
        }
        try await ingest("before")

        // when: PostgreSQL goes away
        proxy.cut()
        let read = await Self.outcome { _ = try await store.listIncidents(IncidentQuery()) }
        let write = await Self.outcome { try await ingest("during") }

        // then: both fail as unavailable, well before the pool's own minute
        for failure in [read, write] {
            guard case .failure(StoreError.unavailable)? = failure else {
                Issue.record("expected StoreError.unavailable within 30 s, got \(String(describing: failure))")
                continue
            }
        }

        // when: it comes back
        try proxy.restore()
        var recovered = false
        for _ in 0..<60 where !recovered {
            recovered = (try? await ingest("after")) != nil
            if !recovered { try await Task.sleep(for: .seconds(1)) }
        }

        // then
        #expect(recovered, "ingestion did not work again within a minute of PostgreSQL coming back")
        let alerts = try await store.alerts(AlertQuery(service: "web", limit: 10))
        #expect(Set(alerts.map(\.dedupKey)) == ["before", "after"])
    }

    /// What `work` came to within 30 s, or nil when it was still waiting (a hang).
    private static func outcome(_ work: @escaping @Sendable () async throws -> Void) async -> Result<Void, any Error>? {
        await withTaskGroup(of: Result<Void, any Error>?.self) { group in
            group.addTask {
                do { try await work(); return .success(()) } catch { return .failure(error) }
            }
            group.addTask {
                try? await Task.sleep(for: .seconds(30))
                return nil
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first
        }
    }
}
