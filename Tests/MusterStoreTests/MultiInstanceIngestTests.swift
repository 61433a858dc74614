import Foundation
import MusterCore
import MusterPostgres
import MusterStore
import MusterTestSupport
import SQLKit
import Testing

/// Two Muster instances ingest into one PostgreSQL database at once, as DESIGN.md allows.
@Suite("Multi-instance ingestion", .enabled(if: TestBackend.all.contains { $0.kind == .postgres }))
struct MultiInstanceIngestTests {
    let t0 = Date(timeIntervalSince1970: 1_795_000_000)

    @Test("two instances ingesting the same alerts at once lose no occurrence and open one incident per group")
    func sharedAlertsAndGroups() async throws {
        try await TestBackend(kind: .postgres).withStores(2) { stores, _ in
            // given: two stores on one database; two services whose alerts group by cluster
            let (first, second) = (stores[0], stores[1])
            var integrations: [Integration] = []
            for service in ["api", "web"] {
                _ = try await first.createService(
                    ServiceRecord(
                        id: service, name: service, createdAt: t0, alertPolicy: AlertPolicy(groupBy: ["cluster"], groupWindowSeconds: 3_600)
                    ))
                integrations.append(try await first.createIntegration(service: service, kind: .generic, name: "g", at: t0).0)
            }
            let ingestors = [first, second].map {
                GroupCommitIngestor(store: $0, scheme: .standard, mapping: .standard(for: .standard), now: { [t0] in t0 })
            }
            // when: in each of 10 rounds, each instance sends 6 requests of 8 alerts out of 40 per
            // service, one after another, so each is a transaction of its own; both instances at once,
            // with clusters new to the round, so they race to open the round's incidents. The first
            // names its alerts in ascending order, the second in descending.
            let rounds = 10
            var failures: [String] = []
            for round in 0..<rounds {
                let requests = (0..<2).map { instance in
                    (0..<6).map { index in
                        var keys = (0..<8).map { (index * 7 + $0 * 13) % 40 }
                        keys.sort(by: instance == 0 ? (<) : (>))
                        return IngestRequest(
                            events: keys.map {
                                AlertEvent(
                                    action: .trigger, dedupKey: "r\(round)-alert-\($0)", summary: "s", source: "t", severity: .error,
                                    labels: ["cluster": ($0 % 2 == 0 ? "eu" : "us") + "\(round)"])
                            }, integration: integrations[index % 2])
                    }
                }
                failures += await withTaskGroup(of: [String].self) { group in
                    for instance in 0..<2 {
                        group.addTask {
                            var failures: [String] = []
                            for index in 0..<6 {
                                do {
                                    _ = try await ingestors[instance].submit(requests[instance][index])
                                } catch {
                                    failures.append("round \(round), instance \(instance), request \(index): \(error)")
                                }
                            }
                            return failures
                        }
                    }
                    return await group.reduce(into: [String]()) { $0 += $1 }
                }
            }
            // then: every request committed, every occurrence counted, one incident per service and cluster
            #expect(failures.isEmpty, "\(failures)")
            let alerts = try await first.alerts(AlertQuery(limit: 1_000))
            #expect(alerts.reduce(0) { $0 + $1.occurrences } == rounds * 2 * 6 * 8)
            #expect(Set(alerts.map { "\($0.service)/\($0.dedupKey)" }).count == alerts.count)
            let incidents = try await first.listIncidents(IncidentQuery(limit: 100)).items
            #expect(incidents.count == rounds * 4)
            #expect(Set(incidents.map(\.number)).count == incidents.count)
            for alert in alerts {
                let incident = try #require(incidents.first { $0.id == alert.incidentID })
                #expect(incident.groupKey == "cluster=\(alert.labels["cluster"]!)")
                #expect(Set(alerts.filter { $0.incidentID == incident.id }.map(\.service)) == [alert.service])
            }
        }
    }

    @Test("an ingest transaction that PostgreSQL aborts to break a deadlock is tried again, and its alert is kept")
    func deadlockRetried() async throws {
        try await TestBackend(kind: .postgres).withStores(1) { stores, url in
            // given: an alert, and another server's transaction that holds the alert's row
            let store = stores[0]
            _ = try await store.createService(ServiceRecord(id: "web", name: "Web", createdAt: t0))
            let integration = try await store.createIntegration(service: "web", kind: .generic, name: "g", at: t0).0
            let fire = AlertEvent(action: .trigger, dedupKey: "a", summary: "s", source: "t", severity: .error)
            _ = try await store.ingest([fire], via: integration, scheme: .standard, mapping: .standard(for: .standard), at: t0)
            let other = try await MusterPostgres.PostgresConnectionSource.open(url: url)
            let holding = AsyncStream<Void>.makeStream()
            let rival = Task {
                // Whatever happens to it, the test below stops waiting for it to hold the row.
                defer { holding.continuation.finish() }
                try await other.withConnection { db in
                    // Its own deadlock check waits longer, so that the ingest transaction is the one aborted.
                    try await db.raw("SET deadlock_timeout = '20s'").run()
                    try await db.raw("BEGIN").run()
                    try await db.raw("SELECT id FROM alerts WHERE dedup_key = 'a' FOR UPDATE").run()
                    holding.continuation.yield()
                    try await waitUntil(seconds: 10) {
                        try await db.raw(
                            """
                            SELECT 1 AS one FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'
                            """
                        ).all().count > 0
                    }
                    // when: it wants the service's row, which the ingest transaction took first
                    try await db.raw("SELECT id FROM services WHERE id = 'web' FOR UPDATE").run()
                    try await db.raw("COMMIT").run()
                }
            }
            for await _ in holding.stream { break }
            let ingested: Result<[IngestOutcome], any Error>
            do {
                ingested = .success(
                    try await store.ingest(
                        [fire], via: integration, scheme: .standard, mapping: .standard(for: .standard), at: t0.addingTimeInterval(60)))
            } catch {
                ingested = .failure(error)
            }
            let rivalled = await rival.result
            let deadlocks: Result<Int64, any Error>
            do {
                // Counted once the aborted transaction's server process reports its statistics,
                // which PostgreSQL may hold back for up to 10 s.
                var count: Int64 = 0
                try await waitUntil(seconds: 30) {
                    count = try await other.withConnection { db in
                        try await db.raw("SELECT deadlocks FROM pg_stat_database WHERE datname = current_database()").all()
                            .first?.decode(column: "deadlocks", as: Int64.self) ?? 0
                    }
                    return count > 0
                }
                deadlocks = .success(count)
            } catch {
                deadlocks = .failure(error)
            }
            try await other.shutdown()
            // then: the rival went on, PostgreSQL saw a deadlock, and the retried transaction kept the alert
            try rivalled.get()
            // At least one: a retry that meets the rival's lock again before it commits is a second.
            #expect(try deadlocks.get() >= 1)
            #expect(try ingested.get()[0].change == .repeated)
            #expect(try await store.alerts(AlertQuery()).first?.occurrences == 2)
        }
    }
}
