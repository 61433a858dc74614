import Foundation
import MusterCore
import MusterSQLite
import MusterStore
import MusterTestSupport
import SQLKit
import Testing

/// SQLite on a disk with no room left (its page limit stands in for the disk).
@Suite("SQLite with a full disk")
struct SQLiteFullDiskTests {
    let t0 = Date(timeIntervalSince1970: 1_795_000_000)

    @Test(
        "a full disk fails ingestion as the database being unavailable, keeps what was accepted, and ingestion carries on once there is room"
    )
    func fullDisk() async throws {
        // given: a database that may grow by a few pages only
        let database = try await TestBackend(kind: .sqlite).makeDatabase()
        defer { Task { await database.remove() } }
        let source = try await SQLiteConnectionSource.open(path: database.url)
        let store = SQLStore(source: source, migrations: SQLiteMigrations.all)
        defer { Task { try? await store.shutdown() } }
        try await store.migrate()
        _ = try await store.createService(ServiceRecord(id: "web", name: "Web", createdAt: t0))
        let integration = try await store.createIntegration(service: "web", kind: .alertmanager, name: "am", at: t0).0
        func limitPages(to extra: Int?) async throws {
            try await source.withConnection { db in
                let pages = try await db.raw("PRAGMA page_count").first()?.decode(column: "page_count", as: Int.self) ?? 0
                let limit = extra.map { pages + $0 } ?? 1_073_741_823
                try await db.raw("PRAGMA max_page_count = \(unsafeRaw: String(limit))").run()
            }
        }
        @Sendable func ingest(_ batch: String) async throws {
            let events = (0..<200).map {
                AlertEvent(
                    action: .trigger, dedupKey: "\(batch)-\($0)", summary: "Disk \($0) is failing", source: "test", severity: .warning)
            }
            _ = try await store.ingest(events, via: integration, scheme: .standard, mapping: .standard(for: .standard), at: t0)
        }
        try await limitPages(to: 300)

        // when: batches of 200 alerts arrive until the disk is full
        var accepted = 0
        var caught: (any Error)?
        for batch in 0..<100 {
            do {
                try await ingest("b\(batch)")
                accepted += 200
            } catch {
                caught = error
                break
            }
        }

        // then: the refused batch is the database being unavailable, and what came before is whole
        guard case .unavailable(let message)? = caught as? StoreError else {
            Issue.record("expected StoreError.unavailable, got \(String(describing: caught))")
            return
        }
        #expect(message.contains("disk is full"), "\(message)")
        #expect(accepted > 0)
        #expect(try await store.alerts(AlertQuery(service: "web", limit: 10_000)).count == accepted)

        // when: there is room again
        try await limitPages(to: nil)
        try await ingest("after")

        // then
        #expect(try await store.alerts(AlertQuery(service: "web", limit: 10_000)).count == accepted + 200)
    }
}
