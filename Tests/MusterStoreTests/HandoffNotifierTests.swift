import Foundation
import Logging
import MusterCore
import MusterEngine
import MusterStore
import MusterTestSupport
import Testing

@Suite("Handoff summaries", .serialized)
struct HandoffNotifierTests {
    let paging = PagingEngineTests()

    /// A daily rotation ann → bob from `start`, created at `created`; bob has a webhook at `hook`;
    /// service `web` pages the schedule, service `db` does not.
    func setUp(_ store: any Store, hook: String, start: Date, created: Date? = nil) async throws {
        _ = try await store.createUser(
            try User(id: "ann", name: "Ann", email: "ann@example.com", timeZone: "UTC", contactMethods: [], createdAt: start))
        _ = try await store.createUser(
            try User(
                id: "bob", name: "Bob", email: "bob@example.com", timeZone: "UTC",
                contactMethods: [
                    ContactMethod(id: UUID(), kind: .webhook, address: hook)
                ], createdAt: start))
        _ = try await store.createSchedule(
            try ScheduleRecord(
                id: "primary", name: "Primary", timeZone: "UTC",
                schedule: Schedule(layers: [
                    Rotation(name: "daily", users: ["ann", "bob"], shiftLength: 1, unit: .days, start: start, timeZone: "UTC")
                ]), createdAt: created ?? start))
        _ = try await store.createEscalationPolicy(
            try EscalationPolicy(
                id: "web", name: "Web",
                levels: [
                    EscalationLevel(targets: [.schedule("primary")], delayMinutes: 5)
                ], repeats: 0), at: start)
        for id in ["web", "db"] { _ = try await store.createService(ServiceRecord(id: id, name: id, createdAt: start)) }
        _ = try await store.setEscalationPolicy("web", for: "web")
    }

    @Test("the incoming person gets one summary per handoff, with the incidents of the services that page them", arguments: TestBackend.all)
    func summaryAtHandoff(backend: TestBackend) async throws {
        try await paging.withReceiver { hook, inbox in
            try await backend.withStore { store in
                // given: ann's shift from 09:00; during it an incident on web (resolved) and one on each service (open)
                let start = try #require(RFC3339.parse("2026-11-20T09:00:00Z"))
                let clock = ManualClock(start)
                try await setUp(store, hook: hook, start: start)
                clock.advance(by: 3_600)
                let fixed = try await store.declareIncident(
                    IncidentDeclaration(title: "Web blip", services: ["web"], severity: "P3"), scheme: .standard, by: "ops", at: clock.now)
                _ = try await store.updateIncident(fixed.reference) {
                    try $0.resolve(resolution: "restarted", rootCause: nil, by: "ann", at: clock.now)
                }
                let open = try await store.declareIncident(
                    IncidentDeclaration(title: "Web slow", services: ["web"], severity: "P2"), scheme: .standard, by: "ops", at: clock.now)
                _ = try await store.declareIncident(
                    IncidentDeclaration(title: "DB disk", services: ["db"], severity: "P2"), scheme: .standard, by: "ops", at: clock.now)
                // and an action item of bob's from the open incident, overdue by the handoff; one of ann's done
                _ = try await store.createActionItem(
                    try ActionItem(
                        id: UUID(), title: "Add pool monitoring", owner: "bob", dueAt: clock.now + 3_600, priority: .p0, incident: open,
                        by: "ann",
                        at: clock.now))
                let notifier = HandoffNotifier(store: store, now: { clock.now }, logger: Logger(label: "test"))
                let sender = NotificationSender(
                    store: store, channels: [.webhook: WebhookChannel(signingKey: paging.key, publicURL: "http://muster.test")],
                    now: { clock.now }, logger: Logger(label: "test"))
                #expect(try await notifier.runOnce() == 0)

                // when: the clock passes the 09:00 handoff to bob, and two processes look
                clock.advance(by: 23 * 3_600 + 20)
                let first = try await notifier.runOnce()
                let second = try await notifier.runOnce()
                try await sender.runOnce()

                // then: one summary, sent to bob, listing web's incidents only
                #expect(first == 1)
                #expect(second == 0)
                let deliveries = await inbox.deliveries
                try #require(deliveries.count == 1)
                let body = try #require(try JSONSerialization.jsonObject(with: deliveries[0].body) as? [String: Any])
                #expect(body["event"] as? String == "oncall.handoff")
                #expect(body["user"] as? String == "bob")
                #expect(deliveries[0].signature?.hasPrefix("v1=") == true)
                let handoff = try #require(body["handoff"] as? [String: Any])
                #expect(handoff["incoming"] as? String == "bob")
                #expect(handoff["at"] as? String == "2026-11-21T09:00:00Z")
                #expect((handoff["previousShift"] as? [String: Any])?["user"] as? String == "ann")
                #expect((handoff["openIncidents"] as? [[String: Any]])?.compactMap { $0["reference"] as? String } == [open.reference])
                #expect((handoff["duringShift"] as? [[String: Any]])?.count == 2)
                #expect(handoff["services"] as? [String] == ["web"])
                #expect((body["text"] as? String)?.contains("Now on call: bob") == true)
                #expect((handoff["actionItems"] as? [[String: Any]])?.map { $0["title"] as? String } == ["Add pool monitoring"])
                #expect((body["text"] as? String)?.contains("Your open action items (1):\n- [P0] Add pool monitoring") == true)
                #expect((body["text"] as? String)?.contains("(overdue), from \(open.reference)") == true, "\(body["text"] ?? "")")
                let records = try await store.handoffs(schedule: "primary", limit: 10)
                #expect(records.map(\.incoming) == ["bob"])
                #expect(records.first?.outgoing == "ann")
            }
        }
    }

    @Test("handoffs before the schedule existed, or older than the look-back, send nothing", arguments: TestBackend.all)
    func noStaleSummaries(backend: TestBackend) async throws {
        try await backend.withStore { store in
            // given: a schedule created after its 09:00 handoff, and a server that was down for two days
            let start = try #require(RFC3339.parse("2026-11-20T09:00:00Z"))
            let clock = ManualClock(start.addingTimeInterval(600))
            try await setUp(store, hook: "http://127.0.0.1:9/unused", start: start, created: clock.now)
            let notifier = HandoffNotifier(store: store, lookback: 3_600, now: { clock.now }, logger: Logger(label: "test"))
            // when / then
            #expect(try await notifier.runOnce() == 0)
            clock.advance(by: 2 * 86_400 + 7_200)
            #expect(try await notifier.runOnce() == 0)
            #expect(try await store.handoffs(schedule: "primary", limit: 10).isEmpty)
        }
    }
}
