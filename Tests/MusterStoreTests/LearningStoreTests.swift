import Foundation
import MusterCore
import MusterStore
import MusterTestSupport
import Testing

@Suite("Post-mortems and action items in the store")
struct LearningStoreTests {
    func person(_ id: String, at now: Date) throws -> User {
        try User(id: id, name: id.capitalized, email: "\(id)@example.com", timeZone: "UTC", contactMethods: [], createdAt: now)
    }

    @Test("a post-mortem is kept once per incident, edited in a transaction, listed by state", arguments: TestBackend.all)
    func postmortems(backend: TestBackend) async throws {
        try await backend.withStore { store in
            // given a resolved incident and its draft
            let now = Date()
            let incident = try await store.declareIncident(
                IncidentDeclaration(title: "Checkout down", severity: "P1"), scheme: .standard, by: "ann", at: now)
            let draft = Postmortem(
                id: UUID(), incident: incident,
                sections: PostmortemTemplate.standard.sections.map { .init(id: $0.id, title: $0.title, body: $0.prompt) },
                owner: "ann", required: true, dueAt: now + 172_800, followUpAt: now + 14 * 86_400, at: now)
            _ = try await store.createPostmortem(draft)
            // when a second one is made for the same incident, it is refused
            await #expect(throws: StoreError.self) {
                _ = try await store.createPostmortem(
                    Postmortem(
                        id: UUID(), incident: incident, sections: [], owner: "ann", required: true, dueAt: now, followUpAt: now, at: now))
            }
            // when a section is edited and it is published
            _ = try await store.updatePostmortem(draft.id) {
                try $0.edit(section: "summary", body: "It broke.", note: nil, by: "ann", at: now)
            }
            _ = try await store.updatePostmortem(draft.id) { try $0.publish(findings: 0, override: nil, by: "ann", at: now) }
            // then it reads back published, with the edit, and lists under its state
            let kept = try #require(try await store.postmortem(ofIncident: incident.id))
            #expect(kept.state == .published && kept.sections.first { $0.id == "summary" }?.body == "It broke.")
            #expect(try await store.postmortems(state: .published).map(\.id) == [draft.id])
            #expect(try await store.postmortems(state: .draft).isEmpty)
            // and the report reads the incident's times from its columns
            let times = try await store.incidentTimes(from: now - 60, to: now + 60, service: nil, severity: "P1")
            #expect(times.map(\.id) == [incident.id] && times.first?.detectedAt.millis == incident.detectedAt.millis)
            #expect(try await store.incidentTimes(from: now - 60, to: now + 60, service: "web", severity: nil).isEmpty)
            // and a change the rules refuse leaves it as it was
            await #expect(throws: IncidentError.self) {
                _ = try await store.updatePostmortem(draft.id) { try $0.edit(section: "summary", body: "x", note: nil, by: "bob", at: now) }
            }
            #expect(try await store.postmortem(ofIncident: incident.id)?.sections.first?.body == "It broke.")
        }
    }

    @Test("a report's times come in detection order, each incident once with all its services, filtered", arguments: TestBackend.all)
    func incidentTimes(backend: TestBackend) async throws {
        try await backend.withStore { store in
            // given incidents on two services, on none, and on one, detected in that order
            let now = Date()
            for id in ["api", "web"] { _ = try await store.createService(ServiceRecord(id: id, name: id, createdAt: now)) }
            var made: [Incident] = []
            for (offset, services) in [["api", "web"], [], ["web"]].enumerated() {
                made.append(
                    try await store.declareIncident(
                        IncidentDeclaration(
                            title: "Incident \(offset)", services: services, severity: offset == 1 ? "P2" : "P1",
                            detectedAt: now - Double(300 - offset * 60)), scheme: .standard, by: "ann", at: now))
            }
            // when the report reads them, all, by service and by severity
            let all = try await store.incidentTimes(from: now - 3_600, to: now + 60, service: nil, severity: nil)
            let web = try await store.incidentTimes(from: now - 3_600, to: now + 60, service: "web", severity: nil)
            let serious = try await store.incidentTimes(from: now - 3_600, to: now + 60, service: nil, severity: "P2")
            // then each is there once, with every service it names
            #expect(all.map(\.id) == made.map(\.id))
            #expect(all.map { $0.services.sorted() } == [["api", "web"], [], ["web"]])
            #expect(web.map(\.id) == [made[0].id, made[2].id] && web[0].services.sorted() == ["api", "web"])
            #expect(serious.map(\.id) == [made[1].id])
        }
    }

    @Test("action items are listed by owner, open and overdue, soonest due first; an owner must be a person", arguments: TestBackend.all)
    func actionItems(backend: TestBackend) async throws {
        try await backend.withStore { store in
            // given ann and bob, and three items
            let now = Date()
            for id in ["ann", "bob"] { _ = try await store.createUser(try person(id, at: now)) }
            let incident = try await store.declareIncident(
                IncidentDeclaration(title: "Checkout down", severity: "P1"), scheme: .standard, by: "ann", at: now)
            let late = try ActionItem(
                id: UUID(), title: "Add pool monitoring", owner: "ann", dueAt: now - 3_600, priority: .p0, incident: incident, by: "ann",
                at: now)
            let soon = try ActionItem(
                id: UUID(), title: "Circuit breaker", owner: "ann", dueAt: now + 86_400, priority: .p1, by: "ann", at: now)
            let someday = try ActionItem(id: UUID(), title: "Load test", owner: "bob", dueAt: nil, priority: .p2, by: "ann", at: now)
            for item in [someday, soon, late] { _ = try await store.createActionItem(item) }
            await #expect(throws: StoreError.self) {
                _ = try await store.createActionItem(
                    try ActionItem(id: UUID(), title: "x", owner: "nobody", dueAt: nil, priority: .p3, by: "ann", at: now))
            }
            // then they list soonest due first, and filter by owner, openness, lateness and incident
            #expect(try await store.actionItems(ActionItemQuery()).map(\.id) == [late.id, soon.id, someday.id])
            #expect(try await store.actionItems(ActionItemQuery(owner: "ann")).map(\.id) == [late.id, soon.id])
            #expect(try await store.actionItems(ActionItemQuery(overdueAt: now)).map(\.id) == [late.id])
            #expect(try await store.actionItems(ActionItemQuery(incidentID: incident.id)).map(\.id) == [late.id])
            // when the late one is done, it is no longer open nor overdue
            _ = try await store.updateActionItem(late.id) { try $0.move(to: .done, reason: nil, at: now) }
            #expect(try await store.actionItems(ActionItemQuery(overdueAt: now)).isEmpty)
            #expect(try await store.actionItems(ActionItemQuery(openOnly: true)).map(\.id) == [soon.id, someday.id])
            #expect(try await store.actionItem(late.id)?.doneAt != nil)
        }
    }
}
