import Foundation
import Logging
import MusterCore
import MusterEngine
import MusterStore
import MusterTestSupport
import Testing

@Suite("Silence releaser", .serialized)
struct SilenceReleaserTests {
    let paging = PagingEngineTests()

    @Test("a maintenance window that ends on a system still broken pages, without the alert being sent again", arguments: TestBackend.all)
    func pagesWhenWindowEnds(backend: TestBackend) async throws {
        try await paging.withReceiver { hook, inbox in
            try await backend.withStore { store in
                // given: service web pages ann by webhook; a one-hour window holds its staging alert back
                let clock = ManualClock(Date())
                try await paging.setUp(store, hook: hook, clock: clock)
                let integration = try await store.createIntegration(service: "web", kind: .pagerduty, name: "pd", at: clock.now).0
                _ = try await store.createSilence(
                    try Silence(
                        id: UUID(), matchers: [LabelMatcher.parse("env=staging")], startsAt: clock.now,
                        endsAt: clock.now.addingTimeInterval(3_600),
                        createdBy: "ops", comment: "migration", expireWhenResolved: false, createdAt: clock.now))
                let mapping = SeverityMapping.standard(for: .standard)
                let event = AlertEvent(
                    action: .trigger, dedupKey: "db-down", summary: "Database down", source: "pd", severity: .critical,
                    labels: ["env": "staging"])
                let held = try await store.ingest([event], via: integration, scheme: .standard, mapping: mapping, at: clock.now)
                let logger = Logger(label: "test")
                let releaser = SilenceReleaser(store: store, scheme: .standard, mapping: mapping, now: { clock.now }, logger: logger)
                let engine = EscalationEngine(store: store, now: { clock.now }, logger: logger)
                let channel = WebhookChannel(signingKey: paging.key, publicURL: "http://muster.test")
                let sender = NotificationSender(
                    store: store, channels: [.webhook: channel, .slack: channel], now: { clock.now }, logger: logger)
                #expect(held[0].silenced)
                #expect(try await releaser.runOnce().isEmpty, "the window is still in force")

                // when: the window ends and the releaser, the escalation engine and the sender take their turns
                clock.advance(by: 3_601)
                let released = try await releaser.runOnce()
                try await engine.runOnce()
                let sent = try await sender.runOnce()

                // then: the alert opened an incident, and ann was paged for it over real HTTP
                let reference = try #require(released.first?.incident)
                #expect(released.count == 1)
                #expect(sent.map(\.status) == [.sent])
                let delivery = try #require(await inbox.deliveries.first)
                let json = try #require(try JSONSerialization.jsonObject(with: delivery.body) as? [String: Any])
                #expect((json["incident"] as? [String: Any])?["reference"] as? String == reference)
                #expect(json["user"] as? String == "ann")
                #expect(try await releaser.runOnce().isEmpty, "each alert is released once")
            }
        }
    }
}
