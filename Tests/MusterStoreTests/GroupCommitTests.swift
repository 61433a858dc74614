import Foundation
import MusterCore
import MusterStore
import MusterTestSupport
import Testing

@Suite("Group commit")
struct GroupCommitTests {
    let t0 = Date(timeIntervalSince1970: 1_795_000_000)

    @Test("concurrent requests share transactions, and a bad one fails alone", arguments: TestBackend.all)
    func sharesTransactions(backend: TestBackend) async throws {
        try await backend.withStore { store in
            // given
            _ = try await store.createService(ServiceRecord(id: "web", name: "Web", createdAt: t0))
            let integration = try await store.createIntegration(service: "web", kind: .generic, name: "g", at: t0).0
            let ingestor = GroupCommitIngestor(store: store, scheme: .standard, mapping: .standard(for: .standard), now: { t0 })
            // An integration of a service that is gone: its request passes every check before the
            // queue and fails only inside the shared transaction, which the others then retry alone.
            let orphan = {
                var orphan = integration
                orphan.service = "gone"
                return orphan
            }()
            // when: 60 requests at once, one of them failing in the database
            let results = await withTaskGroup(of: (Int, Bool, String?).self) { group in
                for index in 0..<60 {
                    group.addTask {
                        let event = AlertEvent(action: .trigger, dedupKey: "alert-\(index)", summary: "s", source: "t", severity: .error)
                        do {
                            let outcome = try await ingestor.submit(IngestRequest(events: [event], integration: index == 17 ? orphan : integration))
                            return (index, outcome.first?.change == .opened, nil)
                        } catch {
                            return (index, false, "\(error)")
                        }
                    }
                }
                return await group.reduce(into: [Int: (Bool, String?)]()) { $0[$1.0] = ($1.1, $1.2) }
            }
            // then
            #expect(results.values.filter(\.0).count == 59)
            #expect(results[17]?.0 == false)
            #expect(results[17]?.1 == "No service 'gone'.", "\(String(describing: results[17]))")
            #expect(try await store.alerts(AlertQuery(limit: 1_000)).count == 59)
            let transactions = await ingestor.transactions
            #expect(transactions < 60)
            #expect(try await store.listIncidents(IncidentQuery()).total == 1)
        }
    }

    @Test(
        "a transaction never takes more events than its cap, except one request larger than the cap on its own", arguments: TestBackend.all)
    func capsTransactions(backend: TestBackend) async throws {
        try await backend.withStore { store in
            // given
            _ = try await store.createService(ServiceRecord(id: "web", name: "Web", createdAt: t0))
            let integration = try await store.createIntegration(service: "web", kind: .generic, name: "g", at: t0).0
            let ingestor = GroupCommitIngestor(
                store: store, scheme: .standard, mapping: .standard(for: .standard), maxEvents: 10, now: { t0 })
            func request(_ name: String, events: Int) -> IngestRequest {
                IngestRequest(
                    events: (0..<events).map {
                        AlertEvent(action: .trigger, dedupKey: "\(name)-\($0)", summary: "s", source: "t", severity: .error)
                    }, integration: integration)
            }
            // when: 30 requests of 4 events at once, then one of 25
            let stored = await withTaskGroup(of: Int.self) { group in
                for index in 0..<30 {
                    group.addTask { (try? await ingestor.submit(request("r\(index)", events: 4)).count) ?? 0 }
                }
                return await group.reduce(0, +)
            }
            let large = try await ingestor.submit(request("large", events: 25))
            // then
            #expect(stored == 120)
            #expect(large.count == 25)
            let transactions = await ingestor.transactions
            #expect(transactions >= 16, "at most two requests of 4 fit under a cap of 10, and the large one goes alone")
            #expect(try await store.alerts(AlertQuery(limit: 1_000)).count == 145)
        }
    }
}
