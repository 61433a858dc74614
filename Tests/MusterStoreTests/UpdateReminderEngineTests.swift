import Foundation
import Logging
import MusterCore
import MusterEngine
import MusterStore
import MusterTestSupport
import Testing

@Suite("Status update reminders", .serialized)
struct UpdateReminderEngineTests {
    let paging = PagingEngineTests()

    @Test(
        "P1: reminded at 15 min, paged as overdue at 15 min plus the grace, the escalation moved on; delivered to a webhook",
        arguments: TestBackend.all)
    func remindThenEscalate(backend: TestBackend) async throws {
        try await paging.withReceiver { hook, inbox in
            try await backend.withStore { store in
                // given a P1 on web commanded by ann (paged at level 1 when it opened), acknowledged at once
                let clock = ManualClock(Date())
                let t0 = clock.now
                try await paging.setUp(store, hook: hook, clock: clock)
                let incident = try await store.declareIncident(
                    IncidentDeclaration(title: "Web down", services: ["web"], severity: "P1", commander: "ann"), scheme: .standard,
                    by: "ops",
                    at: t0)
                _ = try await store.updateIncident(incident.reference) { try $0.acknowledge(by: "ann", at: t0.addingTimeInterval(60)) }
                let reminders = UpdateReminderEngine(store: store, scheme: .standard, now: { clock.now }, logger: Logger(label: "test"))
                let escalations = EscalationEngine(store: store, now: { clock.now }, logger: Logger(label: "test"))
                let channel = WebhookChannel(signingKey: paging.key, publicURL: "http://muster.test")
                let sender = NotificationSender(
                    store: store, channels: [.webhook: channel, .slack: channel], now: { clock.now }, logger: Logger(label: "test"))
                _ = try await sender.runOnce()
                let pagesBefore = await inbox.deliveries.count
                // when the internal update is not yet due, nothing is sent
                clock.advance(by: 899)
                #expect(try await reminders.runOnce() == 0)
                // when it falls due at 15 min, ann (the commander, with no communications lead) is reminded, once
                clock.advance(by: 1)
                #expect(try await reminders.runOnce() == 1)
                #expect(try await reminders.runOnce() == 0)
                _ = try await sender.runOnce()
                let reminder = try #require(await inbox.deliveries.dropFirst(pagesBefore).first)
                let json = try #require(try JSONSerialization.jsonObject(with: reminder.body) as? [String: Any])
                #expect(json["event"] as? String == "incident.update_reminder", "\(json)")
                #expect((json["reminder"] as? String)?.contains("internal update on \(incident.reference) is due now") == true)
                #expect(json["composeURL"] as? String == "http://muster.test/incidents/\(incident.reference)#composer")
                // when it is still missing 5 min later (a third of 15), ann is told it is overdue and the escalation moves on
                clock.advance(by: 300)
                #expect(try await reminders.runOnce() == 1)
                try await escalations.runOnce()
                let texts = try await store.timeline(of: incident.id).filter { $0.kind == .page }.map(\.text)
                #expect(texts.contains { $0.contains("is overdue by 5 min") }, "\(texts)")
                #expect(texts.contains("Paged bob via schedule primary (level 2)"), "\(texts)")
                // when an update is published, the clock starts over and nothing more is owed at once
                _ = try await store.updateIncident(incident.reference) {
                    [
                        try $0.publishUpdate(
                            audience: .internal, phase: .identified, body: "Found it", nextUpdateAt: nil, by: "ann", at: clock.now)
                    ]
                }
                #expect(try await reminders.runOnce() == 0)
            }
        }
    }

    @Test("two servers on one database remind once", arguments: TestBackend.all)
    func twoServersRemindOnce(backend: TestBackend) async throws {
        try await backend.withStores(2) { stores, _ in
            // given a P1 declared on the first server, 15 minutes ago
            let clock = ManualClock(Date())
            _ = try await stores[0].declareIncident(
                IncidentDeclaration(title: "Web down", severity: "P1"), scheme: .standard, by: "ops", at: clock.now.addingTimeInterval(-900)
            )
            // when both servers look for due reminders at the same moment
            async let first = stores[0].runDueUpdateReminders(scheme: .standard, grace: 1.0 / 3, at: clock.now)
            async let second = stores[1].runDueUpdateReminders(scheme: .standard, grace: 1.0 / 3, at: clock.now)
            let sent = try await [first, second]
            // then one of them sent the one reminder due
            #expect(sent.reduce(0, +) == 1, "\(sent)")
        }
    }

    @Test("both audiences overdue in one round move the escalation on once", arguments: TestBackend.all)
    func bothOverdueAtOnce(backend: TestBackend) async throws {
        try await backend.withStore { store in
            // given a P1 on web, with its escalation, declared 40 minutes ago and never updated
            let clock = ManualClock(Date())
            try await paging.setUp(store, hook: "http://127.0.0.1:9/unused", clock: clock)
            let incident = try await store.declareIncident(
                IncidentDeclaration(title: "Web down", services: ["web"], severity: "P1", commander: "ann"), scheme: .standard, by: "ops",
                at: clock.now.addingTimeInterval(-2_400))
            // when the first round since then runs
            let sent = try await store.runDueUpdateReminders(scheme: .standard, grace: 1.0 / 3, at: clock.now)
            // then both updates are reminded and overdue, and the escalation is due now, saved once
            #expect(sent == 4)
            #expect(try await store.escalation(of: incident.id)?.dueAt == clock.now)
        }
    }
}
