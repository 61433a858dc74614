import Crypto
import Foundation
import Logging
import MusterCore
import MusterEngine
import MusterStore
import MusterTestSupport
import Testing

@Suite("Messages to stakeholder groups", .serialized)
struct BroadcastEngineTests {
    let paging = PagingEngineTests()

    func group(_ id: String, _ mode: StakeholderMode, _ kind: ContactMethod.Kind, _ address: String, at now: Date) throws
        -> StakeholderGroup
    {
        try StakeholderGroup(
            id: id, name: id.capitalized, mode: mode, members: [ContactMethod(id: UUID(), kind: kind, address: address)],
            services: ["web"], minimumSeverity: "P2", scheme: .standard, createdAt: now.addingTimeInterval(-60))
    }

    /// The text of each message the sink received, by recipient, the base64 body decoded.
    func mail(_ sink: SMTPSink) throws -> [(to: String, text: String)] {
        try sink.messages().map { message in
            let to = message.components(separatedBy: "X-Envelope-To: ").dropFirst().first.flatMap {
                $0.components(separatedBy: "\r\n").first
            }
            let body = message.components(separatedBy: "Content-Transfer-Encoding: base64\r\n\r\n").dropFirst().first ?? ""
            let text =
                Data(base64Encoded: body.replacingOccurrences(of: "\r\n", with: "").trimmingCharacters(in: .whitespacesAndNewlines))
                .map { String(decoding: $0, as: UTF8.self) } ?? ""
            return (to ?? "", text)
        }
    }

    @Test(
        "a declared P1 is announced to a signed webhook; the support group's mail has each update, leadership's the executive summary",
        .enabled(if: SMTPSink.available), arguments: TestBackend.all)
    func endToEnd(backend: TestBackend) async throws {
        let sink = try await SMTPSink.start()
        try await paging.withReceiver { hook, inbox in
            try await backend.withStore { store in
                // given service web, an announcement webhook, support (every update) and leadership (summary) by email
                let clock = ManualClock(Date())
                let t0 = clock.now
                try await paging.setUp(store, hook: hook, clock: clock)
                for group in [
                    try group("announce", .announcements, .webhook, hook, at: t0),
                    try group("support", .updates, .email, "support@example.com", at: t0),
                    try group("leadership", .summary, .email, "ceo@example.com", at: t0),
                ] {
                    _ = try await store.createStakeholderGroup(group)
                }
                let engine = BroadcastEngine(
                    store: store, scheme: .standard, announceAlertsAt: "P2", now: { clock.now }, logger: Logger(label: "test"))
                let webhook = WebhookChannel(signingKey: paging.key, publicURL: "http://muster.test")
                let email = EmailChannel(
                    settings: SMTPSettings(
                        host: "127.0.0.1", port: sink.port, from: "muster@example.com", startTLS: .required, caFile: sink.certificate),
                    signingKey: paging.key, publicURL: "http://muster.test")
                let sender = NotificationSender(
                    store: store, channels: [.webhook: webhook, .slack: webhook, .email: email], now: { clock.now },
                    logger: Logger(label: "test"))

                // when a P1 is declared on web, commanded by ann, with a chat channel
                let incident = try await store.declareIncident(
                    IncidentDeclaration(
                        title: "Checkout failing", services: ["web"], severity: "P1", commander: "ann",
                        channel: "https://chat.example.com/c/7"),
                    scheme: .standard, by: "ann", at: t0)
                let since = t0.addingTimeInterval(-1)
                // then all three groups are told once
                #expect(try await engine.runOnce(since: since) == 3)
                #expect(try await engine.runOnce(since: since) == 0)

                // when an internal and an external update are published, and it is resolved 47 minutes in
                clock.advance(by: 600)
                _ = try await store.updateIncident(incident.reference) { incident in
                    [
                        try incident.publishUpdate(
                            audience: .internal, phase: .identified, body: "Rolling back v2.34", nextUpdateAt: nil, by: "ann", at: clock.now
                        ),
                        try incident.publishUpdate(
                            audience: .external, phase: .identified, body: "We found it", nextUpdateAt: nil, by: "ann", at: clock.now),
                    ]
                }
                #expect(try await engine.runOnce(since: since) == 1)
                clock.advance(by: 2_220)
                _ = try await store.updateIncident(incident.reference) {
                    try $0.resolve(resolution: "Rolled back", rootCause: "A bad deploy", by: "ann", at: clock.now)
                }
                #expect(try await engine.runOnce(since: since) == 2)
                for _ in 0..<3 { _ = try await sender.runOnce() }

                // then the webhook got the signed announcement, with no acknowledge link
                let announcements = try await inbox.deliveries.compactMap { delivery -> (Inbox.Delivery, [String: Any])? in
                    guard let json = try JSONSerialization.jsonObject(with: delivery.body) as? [String: Any],
                        json["event"] as? String == "incident.announcement"
                    else { return nil }
                    return (delivery, json)
                }
                #expect(announcements.count == 1)
                let (delivery, json) = try #require(announcements.first)
                #expect(json["acknowledgeURL"] == nil && json["group"] as? String == "announce")
                #expect((json["text"] as? String)?.contains("Chat: https://chat.example.com/c/7") == true)
                let timestamp = try #require(delivery.timestamp)
                #expect(
                    delivery.signature == "v1="
                        + WebhookChannel.signature(body: delivery.body, timestamp: timestamp, key: SymmetricKey(data: paging.key)))
                // and support's mail has the announcement, the internal update and the resolution; leadership's the two summaries
                let received = try mail(sink)
                let support = received.filter { $0.to == "support@example.com" }.map(\.text)
                let leadership = received.filter { $0.to == "ceo@example.com" }.map(\.text)
                #expect(support.count == 3 && leadership.count == 2, "\(received.map(\.to))")
                #expect(
                    support.contains {
                        $0.hasPrefix("Rolling back v2.34")
                            && $0.contains("Incident page: http://muster.test/incidents/\(incident.reference)")
                    })
                #expect(!received.contains { $0.text.contains("We found it") })
                #expect(leadership.contains { $0.contains("ann declared \(incident.reference) at P1.") })
                #expect(leadership.contains { $0.contains("It lasted 47m 00s") && $0.contains("Root cause: A bad deploy") })
                // and every delivery is on the incident's record, sent
                let told = try await store.notifications(of: incident.id).filter { $0.user.hasPrefix(Page.groupPrefix) }
                #expect(told.count == 6 && told.allSatisfy { $0.status == .sent }, "\(told.map { "\($0.user) \($0.status)" })")
            }
        }
    }

    @Test("two servers on one database tell each group once", arguments: TestBackend.all)
    func twoServersTellOnce(backend: TestBackend) async throws {
        try await backend.withStores(2) { stores, _ in
            // given a group following every service and a P1 just declared
            let now = Date()
            _ = try await stores[0].createStakeholderGroup(
                try StakeholderGroup(
                    id: "leadership", name: "Leadership", mode: .summary,
                    members: [ContactMethod(id: UUID(), kind: .email, address: "ceo@example.com")], services: [], minimumSeverity: nil,
                    scheme: .standard, createdAt: now.addingTimeInterval(-60)))
            let incident = try await stores[0].declareIncident(
                IncidentDeclaration(title: "Web down", severity: "P1"), scheme: .standard, by: "ops", at: now)
            // when both servers look at the same moment
            async let first = stores[0].runBroadcasts(
                scheme: .standard, announceAlertsAt: "P2", changedSince: now.addingTimeInterval(-5), at: now)
            async let second = stores[1].runBroadcasts(
                scheme: .standard, announceAlertsAt: "P2", changedSince: now.addingTimeInterval(-5), at: now)
            let told = try await [first, second]
            // then the announcement was queued once, and a later look finds nothing new
            #expect(told.reduce(0, +) == 1, "\(told)")
            #expect(try await stores[1].notifications(of: incident.id).filter { $0.broadcast != nil }.count == 1)
            #expect(
                try await stores[1].runBroadcasts(
                    scheme: .standard, announceAlertsAt: "P2", changedSince: now.addingTimeInterval(-5), at: now) == 0)
        }
    }

    @Test("groups are created, listed, replaced and deleted; a service that does not exist is refused", arguments: TestBackend.all)
    func groupsConform(backend: TestBackend) async throws {
        try await backend.withStore { store in
            // given
            let now = Date()
            let group = try StakeholderGroup(
                id: "support", name: "Support", mode: .updates,
                members: [ContactMethod(id: UUID(), kind: .email, address: "s@example.com")],
                services: [], minimumSeverity: "P3", scheme: .standard, createdAt: now)
            // when / then
            _ = try await store.createStakeholderGroup(group)
            await #expect(throws: StoreError.self) { _ = try await store.createStakeholderGroup(group) }
            var changed = group
            changed.services = ["nowhere"]
            await #expect(throws: StoreError.self) { _ = try await store.replaceStakeholderGroup(changed) }
            changed.services = []
            changed.mode = .summary
            changed.createdAt = now.addingTimeInterval(3_600)
            let replaced = try await store.replaceStakeholderGroup(changed)
            #expect(replaced.mode == .summary && replaced.createdAt.millis == group.createdAt.millis)
            #expect(try await store.stakeholderGroups().map(\.id) == ["support"])
            try await store.deleteStakeholderGroup("support")
            #expect(try await store.stakeholderGroup("support") == nil)
            await #expect(throws: StoreError.self) { try await store.deleteStakeholderGroup("support") }
        }
    }
}
