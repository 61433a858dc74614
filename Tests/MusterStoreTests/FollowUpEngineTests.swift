import Foundation
import Logging
import MusterCore
import MusterEngine
import MusterStore
import MusterTestSupport
import Testing

@Suite("Post-mortem and action item reminders", .serialized)
struct FollowUpEngineTests {
    /// Ann and Bob with webhook contacts; a resolved P1 commanded by Bob, its post-mortem owned by
    /// Ann due 48 h later, and an action item of Ann's due in two days.
    func setUp(_ store: any Store, hook: String, at t0: Date) async throws -> (Postmortem, ActionItem) {
        for id in ["ann", "bob"] {
            _ = try await store.createUser(
                try User(
                    id: id, name: id.capitalized, email: "\(id)@example.com", timeZone: "UTC",
                    contactMethods: [ContactMethod(id: UUID(), kind: .webhook, address: hook)], createdAt: t0))
        }
        var incident = try await store.declareIncident(
            IncidentDeclaration(title: "Checkout down", severity: "P1", commander: "bob"), scheme: .standard, by: "bob", at: t0)
        incident = try await store.updateIncident(incident.reference) {
            try $0.resolve(resolution: "Fixed", rootCause: nil, by: "bob", at: t0)
        }
        let postmortem = try await store.createPostmortem(
            Postmortem(
                id: UUID(), incident: incident, sections: [], owner: "ann", required: true, dueAt: t0 + 48 * 3_600,
                followUpAt: t0 + 16 * 86_400, at: t0))
        let item = try await store.createActionItem(
            try ActionItem(
                id: UUID(), title: "Add pool monitoring", owner: "ann", dueAt: t0 + 2 * 86_400, priority: .p0, incident: incident,
                by: "bob", at: t0))
        return (postmortem, item)
    }

    @Test(
        "reminders go as due dates near and pass, daily while overdue, the commander after three days; once each",
        arguments: TestBackend.all)
    func reminders(backend: TestBackend) async throws {
        try await PagingEngineTests().withReceiver { hook, inbox in
            try await backend.withStore { store in
                let clock = ManualClock(Date())
                let t0 = clock.now
                _ = try await setUp(store, hook: hook, at: t0)
                let engine = FollowUpEngine(store: store, now: { clock.now }, logger: Logger(label: "test"))
                func kinds() async throws -> [String] { try await engine.runOnce().map { "\($0.kind.rawValue) \($0.recipient)" }.sorted() }
                // at resolution nothing is due
                #expect(try await kinds() == [])
                // a day before both due dates, the owner hears they near; once
                clock.advance(by: 47 * 3_600)
                #expect(try await kinds() == ["action_due_soon ann", "postmortem_due_soon ann"])
                #expect(try await kinds() == [])
                // both pass their due date: the post-mortem unpublished, the action item open
                clock.advance(by: 2 * 3_600)
                #expect(try await kinds() == ["action_overdue ann", "postmortem_overdue ann"])
                clock.advance(by: 3_600)
                #expect(try await kinds() == [])
                // the overdue action item reminds its owner daily
                clock.advance(by: 23 * 3_600)
                #expect(try await kinds() == ["action_overdue ann"])
                clock.advance(by: 86_400)
                #expect(try await kinds() == ["action_overdue ann"])
                // three days overdue, the incident commander hears of it too
                clock.advance(by: 86_400)
                #expect(try await kinds() == ["action_overdue ann", "action_overdue bob"])
                // and each went out through the outbox as a signed webhook
                let sender = NotificationSender(
                    store: store,
                    channels: [.webhook: WebhookChannel(signingKey: Data(repeating: 7, count: 32), publicURL: "http://muster.test")],
                    now: { clock.now }, logger: Logger(label: "test"))
                for _ in 0..<2 { _ = try await sender.runOnce() }
                let events = try await inbox.deliveries.compactMap { delivery -> String? in
                    (try JSONSerialization.jsonObject(with: delivery.body) as? [String: Any])?["event"] as? String
                }
                #expect(events.filter { $0.hasPrefix("followup.") }.count == 8, "\(events)")
            }
        }
    }

    @Test("a post-mortem sent to review tells its reviewers through the outbox, once", arguments: TestBackend.all)
    func reviewers(backend: TestBackend) async throws {
        try await backend.withStore { store in
            // given Ann's post-mortem
            let t0 = Date()
            let (postmortem, _) = try await setUp(store, hook: "https://hooks.example.com/x", at: t0)
            let engine = FollowUpEngine(store: store, now: { t0 + 60 }, logger: Logger(label: "test"))
            // when she sends it to Bob for review
            _ = try await store.updatePostmortem(postmortem.id) { try $0.submit(reviewers: ["bob"], at: t0 + 30) }
            // then Bob is told on the next round, and not again
            #expect(try await engine.runOnce().map { "\($0.kind.rawValue) \($0.recipient)" } == ["review_requested bob"])
            #expect(try await engine.runOnce().isEmpty)
            #expect(try await store.postmortem(ofIncident: postmortem.incidentID)?.reviewersTold == ["bob"])
        }
    }

    @Test("two servers send each reminder once", arguments: TestBackend.all)
    func twoServers(backend: TestBackend) async throws {
        try await backend.withStores(2) { stores, _ in
            let t0 = Date()
            _ = try await setUp(stores[0], hook: "https://hooks.example.com/ann", at: t0)
            let rules = FollowUpRules()
            async let first = stores[0].runFollowUps(rules, at: t0 + 47 * 3_600)
            async let second = stores[1].runFollowUps(rules, at: t0 + 47 * 3_600)
            let sent = try await [first, second]
            #expect(sent.map(\.count).reduce(0, +) == 2, "\(sent)")
        }
    }
}
