import Foundation
import MusterCore
import MusterStore
import MusterTestSupport
import Testing

/// Two Muster instances ingest into one PostgreSQL database at once, as DESIGN.md allows.
@Suite("Multi-instance ingestion", .enabled(if: TestBackend.all.contains { $0.kind == .postgres }))
struct MultiInstanceIngestTests {
    let t0 = Date(timeIntervalSince1970: 1_795_000_000)

    @Test("two instances ingesting the same alerts at once lose no occurrence and open one incident per group")
    func sharedAlertsAndGroups() async throws {
        // given: two stores on one database; two services whose alerts group by cluster
        let database = try await TestBackend(kind: .postgres).makeDatabase()
        let first = try await TestBackend.open(database.url)
        try await first.migrate()
        let second = try await TestBackend.open(database.url)
        var integrations: [Integration] = []
        for service in ["api", "web"] {
            _ = try await first.createService(ServiceRecord(
                id: service, name: service, createdAt: t0, alertPolicy: AlertPolicy(groupBy: ["cluster"], groupWindowSeconds: 3_600)))
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
                    return IngestRequest(events: keys.map {
                        AlertEvent(action: .trigger, dedupKey: "r\(round)-alert-\($0)", summary: "s", source: "t", severity: .error,
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
        try await second.shutdown()
        try await first.shutdown()
        await database.remove()
    }
}
