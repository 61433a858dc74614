import Crypto
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import MusterCore
import MusterEngine
import MusterStore
import MusterTestSupport
import Testing

/// What a loopback webhook receiver got.
actor Inbox {
    struct Delivery {
        var body: Data
        var timestamp: String?
        var signature: String?
    }

    private(set) var deliveries: [Delivery] = []
    var failuresLeft: Int

    init(failures: Int = 0) { failuresLeft = failures }

    func receive(_ delivery: Delivery) -> Bool {
        deliveries.append(delivery)
        if failuresLeft > 0 {
            failuresLeft -= 1
            return false
        }
        return true
    }
}

@Suite("Paging engine", .serialized)
struct PagingEngineTests {
    let key = Data("a-signing-key-of-at-least-32-bytes!!".utf8)

    /// Ann (webhook to `hook`), Bob on the `primary` schedule, a two-level policy on service `web`.
    func setUp(_ store: any Store, hook: String, clock: ManualClock) async throws {
        let t0 = clock.now
        let ann = try User(
            id: "ann", name: "Ann", email: "ann@example.com", timeZone: "UTC",
            contactMethods: [
                ContactMethod(id: UUID(), kind: .webhook, address: hook)
            ], createdAt: t0)
        let bob = try User(
            id: "bob", name: "Bob", email: "bob@example.com", timeZone: "UTC",
            contactMethods: [
                ContactMethod(id: UUID(), kind: .slack, address: hook)
            ], createdAt: t0)
        _ = try await store.createUser(ann)
        _ = try await store.createUser(bob)
        _ = try await store.createSchedule(
            try ScheduleRecord(
                id: "primary", name: "Primary", timeZone: "UTC",
                schedule: Schedule(layers: [
                    Rotation(
                        name: "r", users: ["bob"], shiftLength: 1, unit: .weeks, start: t0.addingTimeInterval(-86_400), timeZone: "UTC")
                ]), createdAt: t0))
        _ = try await store.createEscalationPolicy(
            try EscalationPolicy(
                id: "web", name: "Web",
                levels: [
                    EscalationLevel(targets: [.user("ann")], delayMinutes: 5),
                    EscalationLevel(targets: [.schedule("primary")], delayMinutes: 5),
                ], repeats: 0), at: t0)
        _ = try await store.createService(ServiceRecord(id: "web", name: "Web", createdAt: t0))
        _ = try await store.setEscalationPolicy("web", for: "web")
    }

    /// Declares an incident on service `web`, whose policy pages ann, then the `primary` schedule.
    func declare(_ store: any Store, _ title: String, _ severity: String, at now: Date) async throws -> Incident {
        try await store.declareIncident(
            IncidentDeclaration(title: title, services: ["web"], severity: severity), scheme: .standard, by: "ops", at: now)
    }

    /// Runs `body` with a real HTTP receiver on loopback that answers 500 for the first `failures` posts.
    func withReceiver(failures: Int = 0, _ body: @escaping @Sendable (String, Inbox) async throws -> Void) async throws {
        let inbox = Inbox(failures: failures)
        let router = Router()
        router.post("hook") { request, _ -> HTTPResponse.Status in
            var request = request
            let bytes = try await request.collectBody(upTo: 1 << 20)
            let ok = await inbox.receive(
                .init(
                    body: Data(buffer: bytes), timestamp: request.headers[.init("X-Muster-Timestamp")!],
                    signature: request.headers[.init("X-Muster-Signature")!]))
            return ok ? .ok : .internalServerError
        }
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await app.test(.live) { client in
            try await body("http://127.0.0.1:\(client.port!)/hook", inbox)
        }
    }

    @Test("an incident that pages nobody, or whose escalation runs out, says so on its timeline", arguments: TestBackend.all)
    func unpaged(backend: TestBackend) async throws {
        try await backend.withStore { store in
            let clock = ManualClock()
            try await setUp(store, hook: "http://127.0.0.1:9/unused", clock: clock)
            let engine = EscalationEngine(store: store, now: { clock.now }, logger: Logger(label: "test"))
            // given an incident on no service, one on a service without a policy, and one on web
            _ = try await store.createService(ServiceRecord(id: "docs", name: "Docs", createdAt: clock.now))
            let bare = try await store.declareIncident(
                IncidentDeclaration(title: "Something odd", severity: "P3"), scheme: .standard, by: "ops", at: clock.now)
            let docs = try await store.declareIncident(
                IncidentDeclaration(title: "Docs down", services: ["docs"], severity: "P3"), scheme: .standard, by: "ops", at: clock.now)
            let web = try await declare(store, "Web down", "P1", at: clock.now)
            // when nobody acknowledges through both levels and the last level's wait
            clock.advance(by: 300)
            try await engine.runOnce()
            clock.advance(by: 299)
            try await engine.runOnce()
            let beforeEnd = try await store.timeline(of: web.id).map(\.text)
            clock.advance(by: 1)
            try await engine.runOnce()
            // then each says why nobody was paged, or that the escalation ran out, once
            #expect(
                try await store.timeline(of: bare.id).map(\.text).contains(
                    "Nobody was paged: it names no service, so no escalation policy applies"))
            #expect(try await store.timeline(of: docs.id).map(\.text).contains("Nobody was paged: no escalation policy is set for docs"))
            #expect(!beforeEnd.contains { $0.hasPrefix("Escalation ran out") })
            let pages = try await store.timeline(of: web.id).filter { $0.kind == .page }.map(\.text)
            #expect(
                pages == [
                    "Paged ann (level 1)", "Paged bob via schedule primary (level 2)",
                    "Escalation ran out: nobody acknowledged after 1 round of policy web",
                ])
            #expect(try await store.escalation(of: web.id)?.dueAt == nil)
            clock.advance(by: 3_600)
            #expect(try await engine.runOnce() == 0)
            #expect(try await store.timeline(of: web.id).count == pages.count + 1)
        }
    }

    func alert(_ key: String, _ severity: AlertSeverity) -> AlertEvent {
        AlertEvent(action: .trigger, dedupKey: key, summary: "Alert \(key)", source: "test", severity: severity, labels: ["env": "prod"])
    }

    @Test(
        "a severity that does not page at once waits level 1's delay; a more severe alert raises it and pages now",
        arguments: TestBackend.all)
    func deferredThenRaised(backend: TestBackend) async throws {
        try await backend.withStore { store in
            let clock = ManualClock()
            try await setUp(store, hook: "http://127.0.0.1:9/unused", clock: clock)
            let integration = try await store.createIntegration(service: "web", kind: .generic, name: "g", at: clock.now).0
            let mapping = SeverityMapping.standard(for: .standard)
            // given a warning alert, which opens a P3 incident: P3 does not page at once
            let opened = try await store.ingest(
                [alert("disk", .warning)], via: integration, scheme: .standard, mapping: mapping, at: clock.now)
            let key = try #require(opened.first?.incident)
            let incident = try #require(try await store.incident(key))
            #expect(incident.severity == "P3")
            #expect(try await store.notifications(of: incident.id).isEmpty)
            #expect(try await store.timeline(of: incident.id).contains { $0.text.hasPrefix("P3 does not page at once: level 1 pages at") })
            // when a critical alert joins a minute later
            clock.advance(by: 60)
            _ = try await store.ingest([alert("outage", .critical)], via: integration, scheme: .standard, mapping: mapping, at: clock.now)
            // then the incident is P1, says why, and ann is paged at once
            #expect(try await store.incident(incident.reference)?.severity == "P1")
            let texts = try await store.timeline(of: incident.id).map(\.text)
            #expect(texts.contains("Severity raised from P3 to P1 by a critical alert: Alert outage"))
            #expect(try await store.notifications(of: incident.id).map(\.user) == ["ann"])
        }
    }

    @Test("a more severe alert joining an acknowledged incident pages its first level again", arguments: TestBackend.all)
    func raisedWhileAcknowledged(backend: TestBackend) async throws {
        try await backend.withStore { store in
            let clock = ManualClock()
            try await setUp(store, hook: "http://127.0.0.1:9/unused", clock: clock)
            let engine = EscalationEngine(store: store, now: { clock.now }, logger: Logger(label: "test"))
            let integration = try await store.createIntegration(service: "web", kind: .generic, name: "g", at: clock.now).0
            let mapping = SeverityMapping.standard(for: .standard)
            // given a P2 incident from an error alert, paged and acknowledged
            let opened = try await store.ingest(
                [alert("errors", .error)], via: integration, scheme: .standard, mapping: mapping, at: clock.now)
            let key = try #require(opened.first?.incident)
            let reference = try #require(try await store.incident(key)?.reference)
            _ = try await store.updateIncident(reference) { try $0.acknowledge(by: "ann", at: clock.now) }
            // when a critical alert joins
            clock.advance(by: 60)
            _ = try await store.ingest([alert("down", .critical)], via: integration, scheme: .standard, mapping: mapping, at: clock.now)
            // then level 1 is paged again, the incident stays acknowledged, and nothing more follows
            let incident = try #require(try await store.incident(reference))
            #expect(incident.severity == "P1")
            #expect(incident.status == .acknowledged)
            #expect(try await store.notifications(of: incident.id).map(\.user) == ["ann", "ann"])
            clock.advance(by: 3_600)
            try await engine.runOnce()
            #expect(try await store.notifications(of: incident.id).count == 2)
        }
    }

    @Test("level 1 is paged at once, level 2 after its delay, and acknowledging stops the rest", arguments: TestBackend.all)
    func escalates(backend: TestBackend) async throws {
        try await backend.withStore { store in
            let clock = ManualClock()
            try await setUp(store, hook: "http://127.0.0.1:9/unused", clock: clock)
            let engine = EscalationEngine(store: store, now: { clock.now }, logger: Logger(label: "test"))
            // given: an incident on the service
            let incident = try await declare(store, "Web down", "P1", at: clock.now)
            // when / then
            #expect(try await engine.runOnce() == 0, "level 1 is paged when the incident opens")
            #expect(try await store.notifications(of: incident.id).map(\.user) == ["ann"])
            clock.advance(by: 299)
            #expect(try await engine.runOnce() == 0)
            clock.advance(by: 1)
            #expect(try await engine.runOnce() == 1)
            #expect(try await store.notifications(of: incident.id).map(\.user) == ["ann", "bob"])
            let pages = try await store.timeline(of: incident.id).filter { $0.kind == .page }.map(\.text)
            #expect(pages == ["Paged ann (level 1)", "Paged bob via schedule primary (level 2)"])
            // A second incident is acknowledged before its second level.
            let other = try await declare(store, "Web slow", "P2", at: clock.now)
            #expect(try await engine.runOnce() == 0, "level 1 is paged when the incident opens")
            _ = try await store.updateIncident(other.reference) { try $0.acknowledge(by: "ann", at: clock.now) }
            clock.advance(by: 3_600)
            #expect(try await engine.runOnce() == 0)
            #expect(try await store.notifications(of: other.id).count == 1)
            #expect(try await store.escalation(of: other.id)?.dueAt == nil)
            // An incident without a policy pages no one.
            let manual = try await store.declareIncident(
                IncidentDeclaration(title: "No service", severity: "P3"), scheme: .standard, by: "ops", at: clock.now)
            #expect(try await store.escalation(of: manual.id) == nil)
        }
    }

    @Test("reassigning pages the new people at once and again until they acknowledge; the old escalation stops", arguments: TestBackend.all)
    func reassign(backend: TestBackend) async throws {
        try await backend.withStore { store in
            // given: ann paged at level 1 and acknowledged
            let clock = ManualClock()
            try await setUp(store, hook: "http://127.0.0.1:9/unused", clock: clock)
            let engine = EscalationEngine(store: store, now: { clock.now }, logger: Logger(label: "test"))
            let incident = try await declare(store, "Web down", "P1", at: clock.now)
            #expect(try await engine.runOnce() == 0, "level 1 is paged when the incident opens")
            _ = try await store.updateIncident(incident.reference) { try $0.acknowledge(by: "ann", at: clock.now) }
            // when: ann hands it to bob
            let handed = try await store.reassign(
                incident.reference, to: .targets([.user("bob")]), note: "bob knows the cache", by: "ann", at: clock.now)
            // then: triggered again; bob paged now, after 5 and 10 minutes, then no more
            #expect(handed.status == .triggered)
            #expect(try await engine.runOnce() == 1)
            clock.advance(by: 300)
            #expect(try await engine.runOnce() == 1)
            clock.advance(by: 300)
            #expect(try await engine.runOnce() == 1)
            clock.advance(by: 3_600)
            #expect(try await engine.runOnce() == 0)
            #expect(try await store.notifications(of: incident.id).map(\.user) == ["ann", "bob", "bob", "bob"])
            let texts = try await store.timeline(of: incident.id).map(\.text)
            #expect(texts.contains("ann reassigned the incident to user bob: bob knows the cache"))
            #expect(texts.contains("Status changed from acknowledged to triggered: handed to user bob"))

            // given: another incident someone is already investigating
            let other = try await declare(store, "Web slow", "P2", at: clock.now)
            #expect(try await engine.runOnce() == 0, "level 1 is paged when the incident opens")
            _ = try await store.updateIncident(other.reference) {
                try $0.transition(to: .investigating, note: nil, by: "ann", at: clock.now)
            }
            // when: handed to the web policy's schedule
            let moved = try await store.reassign(other.reference, to: .targets([.schedule("primary")]), note: nil, by: "ann", at: clock.now)
            // then: it stays investigating, bob is paged once, and nothing more
            #expect(moved.status == .investigating)
            #expect(try await engine.runOnce() == 1)
            clock.advance(by: 600)
            #expect(try await engine.runOnce() == 0)
            #expect(try await store.notifications(of: other.id).map(\.user) == ["ann", "bob"])

            // A resolved incident cannot be handed on; unknown targets are named.
            _ = try await store.updateIncident(other.reference) {
                try $0.resolve(resolution: nil, rootCause: nil, by: "bob", at: clock.now)
            }
            await #expect(throws: IncidentError.self) {
                try await store.reassign(other.reference, to: .targets([.user("bob")]), note: nil, by: "ann", at: clock.now)
            }
            await #expect(throws: StoreError.invalid(field: "users", reason: "names 'zed', who is not a user; create them first.")) {
                try await store.reassign(incident.reference, to: .targets([.user("zed")]), note: nil, by: "ann", at: clock.now)
            }
            await #expect(throws: StoreError.self) {
                try await store.reassign(incident.reference, to: .policy("nope"), note: nil, by: "ann", at: clock.now)
            }
        }
    }

    @Test("someone named twice in one level is paged once", arguments: TestBackend.all)
    func dedup(backend: TestBackend) async throws {
        try await backend.withStore { store in
            let clock = ManualClock()
            try await setUp(store, hook: "http://127.0.0.1:9/unused", clock: clock)
            _ = try await store.createEscalationPolicy(
                try EscalationPolicy(
                    id: "both", name: "Both",
                    levels: [
                        EscalationLevel(targets: [.user("bob"), .schedule("primary"), .user("bob")], delayMinutes: 5)
                    ], repeats: 0), at: clock.now)
            _ = try await store.setEscalationPolicy("both", for: "web")
            let incident = try await declare(store, "Web down", "P1", at: clock.now)
            #expect(try await store.runDueEscalations(at: clock.now, limit: 10) == 0, "level 1 is paged when the incident opens")
            #expect(try await store.notifications(of: incident.id).map(\.user) == ["bob"])
            let pages = try await store.timeline(of: incident.id).filter { $0.kind == .page }.map(\.text)
            #expect(pages == ["Paged bob (level 1)"])
        }
    }

    @Test("pages are delivered to a real webhook, signed, and noted on the timeline", arguments: TestBackend.all)
    func delivers(backend: TestBackend) async throws {
        try await withReceiver { hook, inbox in
            try await backend.withStore { store in
                let clock = ManualClock(Date())
                try await setUp(store, hook: hook, clock: clock)
                let engine = EscalationEngine(store: store, now: { clock.now }, logger: Logger(label: "test"))
                let channel = WebhookChannel(signingKey: key, publicURL: "http://muster.test")
                let sender = NotificationSender(
                    store: store, channels: [.webhook: channel, .slack: channel], now: { clock.now }, logger: Logger(label: "test"))
                let incident = try await declare(store, "Web down", "P1", at: clock.now)
                try await engine.runOnce()
                // when
                let sent = try await sender.runOnce()
                // then
                #expect(sent.map(\.status) == [.sent])
                let delivery = try #require(await inbox.deliveries.first)
                let timestamp = try #require(delivery.timestamp)
                #expect(
                    delivery.signature == "v1="
                        + WebhookChannel.signature(body: delivery.body, timestamp: timestamp, key: SymmetricKey(data: key)))
                let json = try #require(try JSONSerialization.jsonObject(with: delivery.body) as? [String: Any])
                #expect((json["incident"] as? [String: Any])?["reference"] as? String == incident.reference)
                #expect(json["user"] as? String == "ann")
                let texts = try await store.timeline(of: incident.id).map(\.text)
                #expect(texts.contains { $0.hasPrefix("Page to ann delivered by webhook") })
            }
        }
    }

    @Test("failed deliveries back off, retry, and are given up after the last attempt", arguments: TestBackend.all)
    func retries(backend: TestBackend) async throws {
        try await withReceiver(failures: 10) { hook, inbox in
            try await backend.withStore { store in
                let clock = ManualClock(Date())
                try await setUp(store, hook: hook, clock: clock)
                let engine = EscalationEngine(store: store, now: { clock.now }, logger: Logger(label: "test"))
                let channel = WebhookChannel(signingKey: key, publicURL: "http://muster.test")
                let log = CapturedLog()
                let sender = NotificationSender(
                    store: store, channels: [.webhook: channel], maxAttempts: 3, baseDelay: 10, now: { clock.now },
                    logger: log.logger)
                let incident = try await declare(store, "Web down", "P1", at: clock.now)
                try await engine.runOnce()
                #expect(try await sender.runOnce().map(\.status) == [.pending])
                #expect(try await sender.runOnce().isEmpty)  // not due yet: backing off
                clock.advance(by: 13)
                #expect(try await sender.runOnce().map(\.status) == [.pending])
                clock.advance(by: 25)
                #expect(try await sender.runOnce().map(\.status) == [.dead])
                #expect(await inbox.deliveries.count == 3)
                let last = try await store.timeline(of: incident.id).last?.text ?? ""
                #expect(last.contains("failed 3 times; given up: the receiver answered 500 Internal Server Error"))
                // and the log says each failure, then the dead letter, naming incident, person and channel
                let warnings = log.lines.withLock { $0.filter { $0.level == .warning } }
                #expect(warnings.map(\.message) == [
                    "page delivery failed", "page delivery failed", "page delivery failed",
                    "page given up: nobody was reached through this contact method",
                ])
                #expect(warnings.allSatisfy { $0.metadata["incident"] == "\(incident.reference)" && $0.metadata["user"] == "ann" })
                #expect(warnings.allSatisfy { $0.metadata["channel"] == "webhook" })
                #expect(warnings.first?.metadata["reason"].map { "\($0)" }?.contains("500") == true)
            }
        }
    }

    @Test("a test message reaches a real webhook; a refusing receiver is reported")
    func testMessage() async throws {
        try await withReceiver(failures: 1) { hook, inbox in
            let channel = WebhookChannel(signingKey: key, publicURL: "http://muster.test")
            let contact = try ContactMethod(id: UUID(), kind: .webhook, address: hook)
            #expect(
                await channel.sendTest(to: contact, user: "ann", at: Date()) == .failed("the receiver answered 500 Internal Server Error"))
            #expect(await channel.sendTest(to: contact, user: "ann", at: Date()) == .delivered)
            let body = try #require(await inbox.deliveries.last?.body)
            #expect((try JSONSerialization.jsonObject(with: body) as? [String: Any])?["event"] as? String == "contact.test")
        }
    }

    @Test("the per-contact rate limit defers pages without spending attempts", arguments: TestBackend.all)
    func rateLimit(backend: TestBackend) async throws {
        try await withReceiver { hook, inbox in
            try await backend.withStore { store in
                let clock = ManualClock(Date())
                try await setUp(store, hook: hook, clock: clock)
                let engine = EscalationEngine(store: store, now: { clock.now }, logger: Logger(label: "test"))
                let channel = WebhookChannel(signingKey: key, publicURL: "http://muster.test")
                let sender = NotificationSender(
                    store: store, channels: [.webhook: channel], now: { clock.now },
                    perContact: RateLimiter(rate: 1.0 / 60, burst: 1), logger: Logger(label: "test"))
                for title in ["One", "Two"] {
                    _ = try await store.declareIncident(
                        IncidentDeclaration(title: title, services: ["web"], severity: "P1"), scheme: .standard, by: "ops", at: clock.now)
                }
                try await engine.runOnce()
                let first = try await sender.runOnce()
                #expect(first.map(\.status).sorted { $0.rawValue < $1.rawValue } == [.pending, .sent])
                #expect(first.first { $0.status == .pending }?.attempts == 0)
                #expect(await inbox.deliveries.count == 1)
                clock.advance(by: 61)
                #expect(try await sender.runOnce().map(\.status) == [.sent])
                #expect(await inbox.deliveries.count == 2)
            }
        }
    }

    @Test("backoff doubles from the base, capped, with ±20 % jitter")
    func backoff() {
        #expect(NotificationSender.backoff(attempts: 1, base: 10, jitter: 0.5) == 10)
        #expect(NotificationSender.backoff(attempts: 3, base: 10, jitter: 0.5) == 40)
        #expect(NotificationSender.backoff(attempts: 30, base: 10, jitter: 0.5) == 3_600)
        #expect(NotificationSender.backoff(attempts: 2, base: 10, jitter: 0) == 16)
        #expect(NotificationSender.backoff(attempts: 2, base: 10, jitter: 1) == 24)
    }
}
