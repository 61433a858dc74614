import Foundation
import Logging
import MusterCore
import MusterEngine
import MusterStore
import MusterTestSupport
import Testing

@Suite("Status page subscribers", .serialized)
struct SubscriberNoticeTests {
    let paging = PagingEngineTests()
    let broadcasts = BroadcastEngineTests()
    let url = "http://muster.test"

    /// The webhook deliveries shaped as Statuspage's (with `meta`), parsed.
    func notices(_ inbox: Inbox) async throws -> [[String: Any]] {
        try await inbox.deliveries.compactMap { delivery in
            guard let json = try JSONSerialization.jsonObject(with: delivery.body) as? [String: Any], json["meta"] != nil else {
                return nil
            }
            return json
        }
    }

    /// Publishes an external update on `reference`.
    func publish(_ store: any Store, _ reference: String, _ text: String, at now: Date) async throws {
        _ = try await store.updateIncident(reference) { incident in
            [
                try incident.publishUpdate(
                    audience: .external, phase: .investigating, body: text, nextUpdateAt: nil, components: [("site", .majorOutage)],
                    by: "ann", at: now)
            ]
        }
    }

    @Test(
        "mail goes only after confirming and stops after unsubscribing; webhooks get Statuspage-shaped updates and status changes",
        .enabled(if: SMTPSink.available), arguments: TestBackend.all)
    func endToEnd(backend: TestBackend) async throws {
        let sink = try await SMTPSink.start()
        try await paging.withReceiver { hook, inbox in
            try await backend.withStore { store in
                // given a component on web, a mail subscriber not yet confirmed, and a webhook subscriber
                let clock = ManualClock(Date())
                try await paging.setUp(store, hook: hook, clock: clock)
                _ = try await store.createStatusComponent(
                    try StatusComponent(id: "site", name: "Web site", services: ["web"], createdAt: clock.now), at: clock.now)
                let writer = StatusNotices(pageName: "Acme status", publicURL: url, indicator: .none, componentNames: [:])
                let alice = try await store.subscribe(
                    try Subscriber(id: UUID(), kind: .email, address: "Alice@Example.com", components: [], createdAt: clock.now),
                    confirmation: writer.confirmation())
                let robot = try await store.subscribe(
                    try Subscriber(
                        id: UUID(), kind: .webhook, address: hook, components: ["site"], createdAt: clock.now, confirmedAt: clock.now),
                    confirmation: nil)
                let engine = StatusPageEngine(
                    store: store, scheme: .standard, publicURL: url, now: { clock.now }, logger: Logger(label: "test"))
                let sender = NotificationSender(
                    store: store,
                    channels: [
                        .webhook: WebhookChannel(signingKey: paging.key, publicURL: url),
                        .email: EmailChannel(
                            settings: SMTPSettings(
                                host: "127.0.0.1", port: sink.port, from: "status@example.com", startTLS: .required,
                                caFile: sink.certificate),
                            signingKey: paging.key, publicURL: url),
                    ], now: { clock.now }, logger: Logger(label: "test"))
                func deliver() async throws {
                    try await engine.runOnce()
                    for _ in 0..<2 { _ = try await sender.runOnce() }
                }
                try await deliver()
                // then alice has only the request to confirm, with its signed link
                let confirm = SubscriberLinks(key: paging.key, publicURL: url).url(.confirm, for: alice.id)
                #expect(try broadcasts.mail(sink).map(\.text).filter { $0.contains("Confirm: \(confirm)") }.count == 1)
                #expect(try broadcasts.mail(sink).count == 1)

                // when a P1 on web is published
                let incident = try await store.declareIncident(
                    IncidentDeclaration(title: "Site down", services: ["web"], severity: "P1"), scheme: .standard, by: "ann", at: clock.now)
                clock.advance(by: 60)
                try await publish(store, incident.reference, "We are looking into it.", at: clock.now)
                try await deliver()
                // then alice, unconfirmed, gets nothing; the webhook gets the update and the component's change, once each
                #expect(try broadcasts.mail(sink).count == 1)
                var received = try await notices(inbox)
                let updates = received.filter { $0["incident"] != nil }
                let changes = received.filter { $0["component_update"] != nil }
                #expect(updates.count == 1 && changes.count == 1, "\(received)")
                let first = try #require((updates.first?["incident"] as? [String: Any])?["incident_updates"] as? [[String: Any]])
                #expect(first.first?["body"] as? String == "We are looking into it.")
                #expect((changes.first?["component_update"] as? [String: Any])?["new_status"] as? String == "major_outage")
                let unsubscribeHook = SubscriberLinks(key: paging.key, publicURL: url).url(.unsubscribe, for: robot.id)
                #expect((updates.first?["meta"] as? [String: Any])?["unsubscribe"] as? String == unsubscribeHook)

                // when alice confirms and another update is published
                _ = try await store.confirmSubscriber(alice.id, at: clock.now)
                clock.advance(by: 60)
                try await publish(store, incident.reference, "A fix is rolling out.", at: clock.now)
                try await deliver()
                try await deliver()
                // then she has it, with one-click unsubscribe headers, and the webhook has it once
                let raw = try sink.messages()
                let update = try #require(raw.first { $0.contains("List-Unsubscribe:") })
                let unsubscribe = SubscriberLinks(key: paging.key, publicURL: url).url(.unsubscribe, for: alice.id)
                #expect(
                    update.contains("List-Unsubscribe: <\(unsubscribe)>")
                        && update.contains("List-Unsubscribe-Post: List-Unsubscribe=One-Click"))
                #expect(try broadcasts.mail(sink).filter { $0.text.contains("A fix is rolling out.") }.map(\.to) == ["alice@example.com"])
                received = try await notices(inbox)
                #expect(received.filter { $0["incident"] != nil }.count == 2, "each update once")

                // when she unsubscribes and a third update is published
                try await store.removeSubscriber(alice.id)
                clock.advance(by: 60)
                try await publish(store, incident.reference, "Fixed.", at: clock.now)
                try await deliver()
                // then she gets nothing more; the webhook does
                #expect(try broadcasts.mail(sink).filter { $0.text.contains("Fixed.") }.isEmpty)
                #expect(try await notices(inbox).filter { $0["incident"] != nil }.count == 3)
                // and every delivery to the webhook is recorded, sent
                let recorded = try await store.subscriberDeliveries(robot.id, limit: 10)
                #expect(recorded.count == 4 && recorded.allSatisfy { $0.status == .sent }, "\(recorded.map(\.status))")

                // when maintenance is announced on the site, the webhook hears of it
                _ = try await store.createMaintenance(
                    try Maintenance(
                        id: UUID(), title: "Upgrade", message: "We upgrade.", components: ["site"], startsAt: clock.now + 3_600,
                        endsAt: clock.now + 7_200, createdBy: "ann", at: clock.now))
                try await deliver()
                let maintenance = try await notices(inbox).compactMap { $0["incident"] as? [String: Any] }.filter {
                    $0["impact"] as? String == "maintenance"
                }
                #expect(maintenance.count == 1 && maintenance.first?["status"] as? String == "scheduled")
            }
        }
    }

    @Test("two servers tell each subscriber of each update once", arguments: TestBackend.all)
    func twoServersTellOnce(backend: TestBackend) async throws {
        try await backend.withStores(2) { stores, _ in
            // given a confirmed subscriber and a published update
            let now = Date()
            _ = try await stores[0].createService(ServiceRecord(id: "web", name: "Web", createdAt: now))
            _ = try await stores[0].subscribe(
                try Subscriber(
                    id: UUID(), kind: .webhook, address: "https://hooks.example.com/status", components: [], createdAt: now,
                    confirmedAt: now),
                confirmation: nil)
            let incident = try await stores[0].declareIncident(
                IncidentDeclaration(title: "Web down", services: ["web"], severity: "P1"), scheme: .standard, by: "ops", at: now)
            _ = try await stores[0].updateIncident(incident.reference) { incident in
                [
                    try incident.publishUpdate(
                        audience: .external, phase: .investigating, body: "Looking", nextUpdateAt: nil, by: "ops", at: now)
                ]
            }
            let notices = StatusNotices(pageName: "P", publicURL: url, indicator: .none, componentNames: [:])
            let render: @Sendable (Incident, [TimelineEntry], Set<UUID>) -> [StatusNotice] = { incident, entries, new in
                guard let entry = PublicIncident(incident, timeline: entries, rollup: .standard(for: .standard)) else { return [] }
                return entry.updates.filter { new.contains($0.id) }.map { notices.incidentUpdate(entry, $0) }
            }
            // when both servers look at once
            async let first = stores[0].runSubscriberNotices(changedSince: now.addingTimeInterval(-5), at: now, render: render)
            async let second = stores[1].runSubscriberNotices(changedSince: now.addingTimeInterval(-5), at: now, render: render)
            let queued = try await [first, second]
            // then the update was queued once, and a later look finds nothing new
            #expect(queued.reduce(0, +) == 1, "\(queued)")
            #expect(try await stores[1].runSubscriberNotices(changedSince: now.addingTimeInterval(-5), at: now, render: render) == 0)
        }
    }

    @Test("a subscriber's updates arrive in order: a newer one waits while an older one is retried", arguments: TestBackend.all)
    func inOrder(backend: TestBackend) async throws {
        try await paging.withReceiver(failures: 1) { hook, inbox in
            try await backend.withStore { store in
                // given a webhook subscriber whose receiver refuses the first delivery, and two updates queued
                let clock = ManualClock(Date())
                try await paging.setUp(store, hook: "http://127.0.0.1:9/unused", clock: clock)
                _ = try await store.subscribe(
                    try Subscriber(id: UUID(), kind: .webhook, address: hook, components: [], createdAt: clock.now, confirmedAt: clock.now),
                    confirmation: nil)
                let incident = try await store.declareIncident(
                    IncidentDeclaration(title: "Site down", services: ["web"], severity: "P3"), scheme: .standard, by: "ann", at: clock.now)
                let engine = StatusPageEngine(
                    store: store, scheme: .standard, publicURL: url, now: { clock.now }, logger: Logger(label: "test"))
                try await publish(store, incident.reference, "First.", at: clock.now)
                try await engine.runOnce()
                clock.advance(by: 1)
                try await publish(store, incident.reference, "Second.", at: clock.now)
                try await engine.runOnce()
                let sender = NotificationSender(
                    store: store, channels: [.webhook: WebhookChannel(signingKey: paging.key, publicURL: url)], now: { clock.now },
                    logger: Logger(label: "test"))
                // when the sender runs while the first is refused, then after its retry falls due
                _ = try await sender.runOnce()
                _ = try await sender.runOnce()
                clock.advance(by: 3_600)
                for _ in 0..<3 { _ = try await sender.runOnce() }
                // then the receiver saw the first (refused), the first again, and only then the second
                let bodies = try await notices(inbox).compactMap {
                    (($0["incident"] as? [String: Any])?["incident_updates"] as? [[String: Any]])?.first?["body"] as? String
                }
                #expect(bodies == ["First.", "First.", "Second."], "\(bodies)")
            }
        }
    }
}
