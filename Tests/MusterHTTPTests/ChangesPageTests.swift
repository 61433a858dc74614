import Foundation
import HTTPTypes
import MusterCore
import MusterHTTP
import MusterStore
import MusterTestSupport
import Testing

@Suite("The changes page and an incident's recent changes")
struct ChangesPageTests {
    @Test(
        "a responder records a change from the page; the incident lists it with why, and it is marked as a suspect from there",
        arguments: PageTestBackends.pages)
    func changes(backend: TestBackend) async throws {
        try await APIHarness.run(backend) { api in
            // given service web and ann, a responder, signed in
            _ = try await api.write("/api/v1/services", #"{"id":"web","name":"Web"}"#)
            let ann = try await PageSession.signIn(api, "ann", role: .responder)
            // when she records a deploy made twenty minutes ago (her browser's clock is UTC)
            let at = api.clock.now - 1_200
            let local = String(RFC3339.format(at).prefix(16))
            let recorded = try await ann.post(
                "/changes", [("service", "web"), ("summary", "Deploy v2.34"), ("at", local), ("link", "https://ci.example.com/runs/1")])
            #expect(recorded.status == .seeOther, "\(recorded.text)")
            // then the page lists it
            let page = try await ann.get("/changes?done=saved")
            #expect(page.text.contains("The change was recorded.") && page.text.contains("Deploy v2.34"), "\(page.text)")
            // and a link that is not http(s) is refused beside its field, nothing kept
            let bad = try await ann.post("/changes", [("service", "web"), ("summary", "Flag on"), ("link", "ftp://x")])
            #expect(bad.status == .badRequest && bad.text.contains(#"id="change-link-error""#), "\(bad.text)")
            #expect(try await api.store.changes(ChangeQuery()).total == 1)
            // when an incident of web opens ten minutes after the deploy
            let reference = try await api.declare(
                #"{"title":"Checkout errors","severity":"P1","services":["web"],"impactStartedAt":"\#(RFC3339.format(at + 600))"}"#)
            let incident = try await ann.get("/incidents/\(reference)")
            // then its page lists the deploy with the reason and a button to suspect it
            #expect(
                incident.text.contains("Recent changes") && incident.text.contains("same service, 10 min before impact"), "\(incident.text)")
            let change = try #require(try await api.store.changes(ChangeQuery()).items.first)
            #expect(incident.text.contains("/incidents/\(reference)/changes/\(change.id.uuidString)/suspect"))
            // when she marks it
            let marked = try await ann.post("/incidents/\(reference)/changes/\(change.id.uuidString)/suspect", [])
            #expect(marked.status == .seeOther, "\(marked.text)")
            // then the timeline has the finding and the list says suspect, with no button
            let after = try await ann.get("/incidents/\(reference)")
            #expect(after.text.contains("Suspect change: Deploy v2.34") && after.text.contains(#"class="suspected""#))
            #expect(!after.text.contains("/changes/\(change.id.uuidString)/suspect\""))
        }
    }
}
