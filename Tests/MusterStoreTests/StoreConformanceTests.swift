import Foundation
import MusterCore
import MusterTestSupport
import SQLKit
import Testing

@testable import MusterStore

/// The behaviour every `Store` backend must share; runs once per real database.
@Suite("Store conformance")
struct StoreConformanceTests {
    let t0 = Date(timeIntervalSince1970: 1_795_000_000)

    func declare(_ store: any Store, _ title: String = "API down", severity: String = "P1", services: [String] = [], at: Date? = nil)
        async throws -> Incident
    {
        try await store.declareIncident(
            IncidentDeclaration(title: title, services: services, severity: severity), scheme: .standard, by: "alice", at: at ?? t0)
    }

    @Test("migrations apply once and are recorded", arguments: TestBackend.all)
    func migrations(backend: TestBackend) async throws {
        try await backend.withStore { store in
            // when
            let again = try await store.migrate()
            // then
            #expect(again.isEmpty)
            #expect(try await store.appliedMigrations() == Array(1...Schema.latest))
            try await store.ping()
        }
    }

    @Test("incidents are numbered per year without gaps, also under concurrent declarations", arguments: TestBackend.all)
    func numbering(backend: TestBackend) async throws {
        try await backend.withStore { store in
            // given
            let first = try await declare(store)
            // when
            let references = try await withThrowingTaskGroup(of: String.self) { group in
                for index in 0..<12 {
                    group.addTask { try await declare(store, "Concurrent \(index)").reference }
                }
                return try await group.reduce(into: [String]()) { $0.append($1) }
            }
            let nextYear = try await declare(store, at: Date(timeIntervalSince1970: 1_800_000_000))
            // then
            #expect(first.reference == "INC-2026-0001")
            #expect(Set(references) == Set((2...13).map { Incident.reference(year: 2026, number: $0) }))
            #expect(nextYear.reference == "INC-2027-0001")
        }
    }

    @Test("a declared incident reads back equal, by reference and by id", arguments: TestBackend.all)
    func roundTrip(backend: TestBackend) async throws {
        try await backend.withStore { store in
            let created = try await store.declareIncident(
                IncidentDeclaration(
                    title: "Payments failing", summary: "Card payments time out", services: ["payments", "checkout"],
                    impact: Impact(
                        usersAffectedPercent: 12.5, userImpact: .many, businessImpact: .revenueLoss,
                        customerFacing: true, dataLoss: false, security: false),
                    impactStartedAt: t0.addingTimeInterval(-600), commander: "carol"),
                scheme: .standard, by: "alice", at: t0)
            #expect(try await store.incident(created.reference) == created)
            #expect(try await store.incident(created.reference.lowercased()) == created)
            #expect(try await store.incident(created.id.uuidString) == created)
            #expect(try await store.incident("INC-2026-9999") == nil)
            let timeline = try await store.timeline(of: created.id)
            // The incident names no service, so no policy pages anyone: the timeline says so.
            #expect(timeline.map(\.kind) == [.declared, .roleChange, .page])
            #expect(timeline.allSatisfy { $0.incidentID == created.id })
        }
    }

    @Test("an update stores the incident and its timeline entries together", arguments: TestBackend.all)
    func update(backend: TestBackend) async throws {
        try await backend.withStore { store in
            // given
            let incident = try await declare(store)
            let later = t0.addingTimeInterval(120)
            // when
            let updated = try await store.updateIncident(incident.reference) { incident in
                try incident.acknowledge(by: "bob", at: later)
                    + incident.assign(.commander, to: "bob", by: "bob", at: later)
            }
            // then
            #expect(updated.status == .acknowledged)
            #expect(try await store.incident(incident.reference) == updated)
            let kinds = try await store.timeline(of: incident.id).map(\.kind)
            #expect(kinds == [.declared, .page, .statusChange, .roleChange])
        }
    }

    @Test("a failed update changes nothing", arguments: TestBackend.all)
    func failedUpdateRollsBack(backend: TestBackend) async throws {
        try await backend.withStore { store in
            // given
            let incident = try await declare(store)
            // when
            await #expect(throws: IncidentError.self) {
                try await store.updateIncident(incident.reference) { incident in
                    _ = try incident.acknowledge(by: "bob", at: t0)
                    return try incident.transition(to: .closed, note: nil, by: "bob", at: t0)
                }
            }
            await #expect(throws: StoreError.notFound(what: "incident", key: "INC-2026-0404")) {
                try await store.updateIncident("INC-2026-0404") { _ in [] }
            }
            // then
            #expect(try await store.incident(incident.reference) == incident)
            #expect(try await store.timeline(of: incident.id).map(\.kind) == [.declared, .page])
        }
    }

    @Test("concurrent updates of one incident are serialised, none lost", arguments: TestBackend.all)
    func concurrentUpdates(backend: TestBackend) async throws {
        try await backend.withStore { store in
            let incident = try await declare(store)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<10 {
                    group.addTask {
                        _ = try await store.updateIncident(incident.reference) { incident in
                            try incident.assign(.subjectMatterExpert, to: "expert-\(index)", by: "x", at: t0)
                        }
                    }
                }
                try await group.waitForAll()
            }
            let stored = try #require(try await store.incident(incident.reference))
            #expect(stored.holders(of: .subjectMatterExpert).count == 10)
            #expect(try await store.timeline(of: incident.id).filter { $0.kind == .roleChange }.count == 10)
        }
    }

    @Test("listing filters by status, severity, service and time, newest first, in pages", arguments: TestBackend.all)
    func listing(backend: TestBackend) async throws {
        try await backend.withStore { store in
            // given: five incidents an hour apart
            var made: [Incident] = []
            for index in 0..<5 {
                let incident = try await declare(
                    store, "Incident \(index)", severity: index % 2 == 0 ? "P1" : "P3",
                    services: index < 2 ? ["checkout"] : ["search"], at: t0.addingTimeInterval(Double(index) * 3_600))
                made.append(incident)
            }
            _ = try await store.updateIncident(made[4].reference) {
                try $0.resolve(resolution: "ok", rootCause: nil, by: "b", at: t0.addingTimeInterval(20_000))
            }
            // when
            let all = try await store.listIncidents(IncidentQuery())
            let open = try await store.listIncidents(IncidentQuery(statuses: IncidentStatus.allCases.filter(\.isOpen)))
            let p1 = try await store.listIncidents(IncidentQuery(severities: ["P1"]))
            let checkout = try await store.listIncidents(IncidentQuery(service: "checkout"))
            let window = try await store.listIncidents(
                IncidentQuery(since: t0.addingTimeInterval(3_600), until: t0.addingTimeInterval(3 * 3_600)))
            let page = try await store.listIncidents(IncidentQuery(limit: 2, offset: 2))
            // then
            #expect(all.items.map(\.title) == ["Incident 4", "Incident 3", "Incident 2", "Incident 1", "Incident 0"])
            #expect(open.total == 4)
            #expect(p1.items.map(\.title) == ["Incident 4", "Incident 2", "Incident 0"])
            #expect(checkout.items.map(\.title) == ["Incident 1", "Incident 0"])
            #expect(window.items.map(\.title) == ["Incident 2", "Incident 1"])
            #expect(page.items.map(\.title) == ["Incident 2", "Incident 1"])
            #expect(page.total == 5)
            await #expect(throws: StoreError.self) { try await store.listIncidents(IncidentQuery(limit: 0)) }
        }
    }

    @Test("hypotheses are settled in place and the change is noted", arguments: TestBackend.all)
    func hypotheses(backend: TestBackend) async throws {
        try await backend.withStore { store in
            let incident = try await declare(store)
            _ = try await store.updateIncident(incident.reference) { incident in
                [try incident.record(kind: .hypothesis, text: "Cache stampede", hypothesis: nil, result: nil, by: "b", at: t0)]
            }
            let entry = try #require(try await store.timeline(of: incident.id).last)
            let settled = try await store.settleHypothesis(incident: incident.reference, entry: entry.id, as: .confirmed, by: "c", at: t0)
            #expect(settled.details["state"] == "confirmed")
            let timeline = try await store.timeline(of: incident.id)
            #expect(timeline.first { $0.id == entry.id }?.details["state"] == "confirmed")
            #expect(timeline.last?.text == "Hypothesis confirmed: Cache stampede")
            await #expect(throws: StoreError.self) {
                try await store.settleHypothesis(incident: incident.reference, entry: UUID(), as: .confirmed, by: "c", at: t0)
            }
        }
    }

    @Test("services are created once and listed in order", arguments: TestBackend.all)
    func services(backend: TestBackend) async throws {
        try await backend.withStore { store in
            let search = ServiceRecord(id: "search", name: "Search", createdAt: t0)
            let checkout = ServiceRecord(
                id: "checkout", name: "Checkout", description: "Pays", runbookURL: "https://runbooks.example/checkout", createdAt: t0)
            _ = try await store.createService(search)
            _ = try await store.createService(checkout)
            #expect(try await store.services() == [checkout, search])
            #expect(try await store.service("checkout") == checkout)
            #expect(try await store.service("nope") == nil)
            await #expect(throws: StoreError.self) { try await store.createService(search) }
            await #expect(throws: IncidentError.self) {
                try await store.createService(ServiceRecord(id: "Bad Id", name: "x", createdAt: t0))
            }
        }
    }

    @Test("tokens are kept hashed, authenticate until revoked", arguments: TestBackend.all)
    func tokens(backend: TestBackend) async throws {
        try await backend.withStore { store in
            // given
            let (token, secret) = try await store.createToken(name: "ci", role: .responder, at: t0)
            // when
            let found = try await store.authenticate(secret: secret, at: t0.addingTimeInterval(5))
            let wrong = try await store.authenticate(secret: secret + "x", at: t0)
            // then
            #expect(secret.hasPrefix("mst_"))
            #expect(found?.id == token.id)
            #expect(found?.role == .responder)
            #expect(wrong == nil)
            await #expect(throws: StoreError.self) { try await store.createToken(name: "ci", role: .viewer, at: t0) }
            let revoked = try await store.revokeToken("ci", at: t0.addingTimeInterval(10))
            #expect(revoked.revokedAt != nil)
            #expect(try await store.authenticate(secret: secret, at: t0.addingTimeInterval(11)) == nil)
            #expect(try await store.tokens().map(\.name) == ["ci"])
            await #expect(throws: StoreError.self) { try await store.revokeToken("ci", at: t0) }
        }
    }

    @Test("what was committed survives closing and reopening the database", arguments: TestBackend.all)
    func durability(backend: TestBackend) async throws {
        // given
        let database = try await backend.makeDatabase()
        let first = try await TestBackend.open(database.url)
        try await first.migrate()
        let incident = try await declare(first)
        try await first.shutdown()
        // when
        let second = try await TestBackend.open(database.url)
        let reread = try await second.incident(incident.reference)
        let applied = try await second.migrate()
        try await second.shutdown()
        await database.remove()
        // then
        #expect(reread == incident)
        #expect(applied.isEmpty)
    }

    @Test("upgrading from version 4 keeps the pages already in the outbox", arguments: TestBackend.all)
    func outboxUpgrade(backend: TestBackend) async throws {
        // given: a version 4 database with one page waiting, written as version 4 wrote it
        let database = try await backend.makeDatabase()
        let old = try await TestBackend.open(database.url, upTo: 4)
        let incident: Incident
        do {
            #expect(try await old.migrate() == [1, 2, 3, 4])
            try await old.shutdown()
            incident = try await LegacyRows.insertIncident(
                LegacyRows.incident(number: 1, services: ["web"], detectedAt: t0), into: database.url)
        } catch {
            try? await old.shutdown()
            await database.remove()
            throw error
        }
        let page = Page(
            id: UUID(), incident: incident, user: "ann",
            contact: try ContactMethod(id: UUID(), kind: .webhook, address: "http://127.0.0.1:9/hook"), level: 1, at: t0)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let document = String(decoding: try encoder.encode(page), as: UTF8.self)
        try await TestBackend.execute(
            database.url,
            """
            INSERT INTO notifications (id, incident_id, user_id, status, due_at, attempts, document)
            VALUES (\(bind: page.id.uuidString), \(bind: incident.id.uuidString), 'ann', 'pending', \(bind: t0.millis), 0, \(bind: document))
            """)
        // when
        let new = try await TestBackend.open(database.url)
        let applied = try await new.migrate()
        let after = try await new.notifications(of: incident.id)
        let claimed = try await new.claimNotifications(at: t0, limit: 10, lease: 60)
        try await new.shutdown()
        await database.remove()
        // then
        #expect(applied == Array(5...Schema.latest))
        #expect(after == [page])
        #expect(claimed.map(\.id) == [page.id])
    }
}
