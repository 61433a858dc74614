import Foundation
import HTTPTypes
import MusterCore
import MusterHTTP
import MusterStore
import MusterTestSupport
import Testing

@Suite("The alerts and silences page")
struct AlertsPageTests {
    /// Two firing alerts on service web: DiskFull on db-1 and HighLatency on api-1.
    func setUp(_ api: APIHarness) async throws {
        _ = try await api.write("/api/v1/services", #"{"id":"web","name":"Web"}"#)
        let integration = try await api.store.createIntegration(service: "web", kind: .generic, name: "test", at: api.clock.now).0
        let events = [("disk", "DiskFull", "db-1"), ("latency", "HighLatency", "api-1")].map { key, name, instance in
            AlertEvent(
                action: .trigger, dedupKey: key, summary: "\(name) on \(instance)", source: "test", severity: .warning,
                labels: ["alertname": name, "instance": instance])
        }
        _ = try await api.store.ingest(events, via: integration, scheme: .standard, mapping: .standard(for: .standard), at: api.clock.now)
    }

    @Test("alerts are listed by service; a silence is previewed, made, extended and ended from the page", arguments: PageTestBackends.pages)
    func silenceFromPage(backend: TestBackend) async throws {
        try await APIHarness.run(backend) { api in
            // given two firing alerts and ann, a responder, signed in
            try await setUp(api)
            let ann = try await PageSession.signIn(api, "ann", role: .responder)
            let page = try await ann.get("/alerts")
            #expect(page.text.contains("DiskFull on db-1") && page.text.contains("HighLatency on api-1"))
            // when she previews a silence of the disk alert
            let fields = [("matchers", "alertname=\"DiskFull\""), ("duration", "2h"), ("comment", "Resizing the volume")]
            let preview = try await ann.post("/silences", fields + [("intent", "preview")])
            // then the page says it takes one firing alert, and nothing is saved
            #expect(preview.status == .ok && preview.text.contains("would silence 1 firing alert(s)"), "\(preview.text)")
            #expect(preview.text.contains("web: DiskFull on db-1"))
            #expect(try await api.store.silences(includeExpired: true, at: api.clock.now).isEmpty)
            // when she makes it
            #expect(try await ann.post("/silences", fields + [("intent", "create")]).status == .seeOther)
            let silence = try #require(try await api.store.silences(includeExpired: false, at: api.clock.now).first)
            #expect(silence.createdBy == "ann" && silence.endsAt == api.clock.now.addingTimeInterval(7_200))
            // when she extends it by an hour, then ends it
            #expect(try await ann.post("/silences/\(silence.id.uuidString)/extend", [("duration", "1h")]).status == .seeOther)
            #expect(
                try await api.store.silences(includeExpired: false, at: api.clock.now).first?.endsAt
                    == silence.endsAt.addingTimeInterval(3_600))
            #expect(try await ann.post("/silences/\(silence.id.uuidString)/expire", []).status == .seeOther)
            #expect(try await api.store.silences(includeExpired: false, at: api.clock.now).isEmpty)
            // and each change is audited with her name
            #expect(try await api.store.auditEvents(AuditQuery(kind: "silence", actor: "ann")).items.count == 3)
        }
    }

    @Test("a matcher that does not parse, or a bare number of minutes, is refused beside its field", arguments: PageTestBackends.pages)
    func refusedSilence(backend: TestBackend) async throws {
        try await APIHarness.run(backend) { api in
            // given ann signed in
            let ann = try await PageSession.signIn(api, "ann", role: .responder)
            // when the matcher has no operator, or the duration no unit
            let matcher = try await ann.post(
                "/silences", [("matchers", "alertname"), ("duration", "2h"), ("comment", "x"), ("intent", "create")])
            let duration = try await ann.post(
                "/silences", [("matchers", "job=\"db\""), ("duration", "30"), ("comment", "x"), ("intent", "create")])
            // then each is refused beside its field, with what was typed kept, and nothing is saved
            #expect(matcher.status == .badRequest && matcher.text.contains(#"id="silence-matchers-error""#), "\(matcher.text)")
            #expect(duration.text.contains(#"id="silence-duration-error""#) && duration.text.contains("job=&quot;db&quot;"))
            #expect(try await api.store.silences(includeExpired: true, at: api.clock.now).isEmpty)
        }
    }
}
