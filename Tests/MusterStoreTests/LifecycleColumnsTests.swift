import Foundation
import MusterCore
import MusterTestSupport
import SQLKit
import Testing

@testable import MusterStore

@Suite("Lifecycle times as columns")
struct LifecycleColumnsTests {
    let t0 = Date(timeIntervalSince1970: 1_795_000_000)

    func minutes(_ count: Double) -> Date { t0.addingTimeInterval(count * 60) }

    @Test("upgrading from version 5 fills every lifecycle column from the documents", arguments: TestBackend.all)
    func upgradeFillsColumns(backend: TestBackend) async throws {
        // given: a version 5 database holding incidents at each stage, written as version 5 wrote them
        let database = try await backend.makeDatabase()
        defer { Task { await database.remove() } }
        let old = try await TestBackend.open(database.url, upTo: 5)
        #expect(try await old.migrate() == [1, 2, 3, 4, 5])
        try await old.shutdown()
        let incidents = [
            LegacyRows.incident(number: 1, detectedAt: minutes(0)),
            LegacyRows.incident(number: 2, status: .acknowledged, detectedAt: minutes(1), acknowledgedAt: minutes(3)),
            LegacyRows.incident(
                number: 3, status: .monitoring, detectedAt: minutes(10), impactStartedAt: minutes(2), acknowledgedAt: minutes(12),
                mitigatedAt: minutes(20.5)),
            LegacyRows.incident(
                number: 4, status: .closed, detectedAt: minutes(30), impactStartedAt: minutes(29), acknowledgedAt: minutes(31),
                mitigatedAt: minutes(40), resolvedAt: minutes(45.25), closedAt: minutes(90)),
        ]
        for incident in incidents { try await LegacyRows.insertIncident(incident, into: database.url) }
        let draft = TimelineDraft(kind: .note, at: minutes(5), author: "alice", text: "Looking")
        try await LegacyRows.insertEntry(draft, position: 1, of: incidents[1], into: database.url)

        // when the current version opens and migrates it
        let store = try await TestBackend.open(database.url)
        let applied = try await store.migrate()
        let timeline = try await store.timeline(of: incidents[1].id)
        let byResolution = try await store.listIncidents(IncidentQuery(sort: .resolved, descending: false))
        try await store.shutdown()
        let columns = try await TestBackend.rows(
            database.url,
            """
            SELECT id, impact_started_at, detected_at, acknowledged_at, mitigated_at, resolved_at, closed_at
            FROM incidents ORDER BY number
            """
        ) { row in
            try [
                row.decode(column: "impact_started_at", as: Int64?.self), row.decode(column: "detected_at", as: Int64?.self),
                row.decode(column: "acknowledged_at", as: Int64?.self), row.decode(column: "mitigated_at", as: Int64?.self),
                row.decode(column: "resolved_at", as: Int64?.self), row.decode(column: "closed_at", as: Int64?.self),
            ]
        }

        // then every value is the document's, in milliseconds, and NULL where the document has none
        #expect(applied == Array(6...Schema.latest))
        let expected = incidents.map { incident in
            [
                incident.impactStartedAt, incident.detectedAt, incident.acknowledgedAt, incident.mitigatedAt, incident.resolvedAt,
                incident.closedAt,
            ]
            .map { $0?.millis }
        }
        #expect(columns == expected)
        #expect(timeline.map(\.recordedAt) == [minutes(5)])
        #expect(byResolution.items.map(\.number) == [4, 1, 2, 3])
    }

    @Test("lists filter and sort by any lifecycle time; incidents without it come last", arguments: TestBackend.all)
    func filterAndSort(backend: TestBackend) async throws {
        try await backend.withStore { store in
            // given three incidents resolved in an order unlike their detection, and one still open
            var references: [String] = []
            for (index, resolvedAfter) in [30.0, 10.0, 20.0].enumerated() {
                let incident = try await store.declareIncident(
                    IncidentDeclaration(title: "Incident \(index)", severity: "P2"), scheme: .standard, by: "alice",
                    at: minutes(Double(index)))
                _ = try await store.updateIncident(incident.reference) { incident in
                    try incident.resolve(resolution: nil, rootCause: nil, by: "alice", at: minutes(resolvedAfter))
                }
                references.append(incident.reference)
            }
            let open = try await store.declareIncident(
                IncidentDeclaration(title: "Still open", severity: "P3"), scheme: .standard, by: "alice", at: minutes(5))

            // when listing by resolution time, newest first, and filtering on it
            let newestResolved = try await store.listIncidents(IncidentQuery(sort: .resolved))
            let oldestResolved = try await store.listIncidents(IncidentQuery(sort: .resolved, descending: false))
            let resolvedEarly = try await store.listIncidents(IncidentQuery(time: .resolved, since: minutes(5), until: minutes(25)))

            // then the order follows resolution, the open incident last either way
            #expect(newestResolved.items.map(\.reference) == [references[0], references[2], references[1], open.reference])
            #expect(oldestResolved.items.map(\.reference) == [references[1], references[2], references[0], open.reference])
            #expect(resolvedEarly.items.map(\.reference) == [references[2], references[1]])
            #expect(resolvedEarly.total == 2)
        }
    }
}

@Suite("Schedule overrides with ids")
struct OverrideIDsUpgradeTests {
    @Test("upgrading from version 6 gives every stored override an id that stays", arguments: TestBackend.all)
    func overrideIDs(backend: TestBackend) async throws {
        // given a version 6 database with a schedule whose override was stored without an id
        let database = try await backend.makeDatabase()
        defer { Task { await database.remove() } }
        let old = try await TestBackend.open(database.url, upTo: 6)
        _ = try await old.migrate()
        try await old.shutdown()
        let document = #"""
            {"createdAt":0,"id":"primary","name":"Primary","schedule":{"layers":[],"overrides":[{"end":100000,"start":0,"user":"ann"}]},
             "timeZone":"UTC","updatedAt":0}
            """#
        try await TestBackend.execute(
            database.url, "INSERT INTO schedules (id, created_at, document) VALUES ('primary', 0, \(bind: document))")
        // when the current version migrates it and reads it twice
        let store = try await TestBackend.open(database.url)
        let applied = try await store.migrate()
        let first = try await store.schedule("primary")
        let second = try await store.schedule("primary")
        try await store.shutdown()
        // then the override has one id, the same on every read
        #expect(applied == Array(7...Schema.latest))
        #expect(first?.schedule.overrides.count == 1)
        #expect(first?.schedule.overrides.first?.id == second?.schedule.overrides.first?.id)
    }
}
