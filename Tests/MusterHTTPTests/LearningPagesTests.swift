import Foundation
import HTTPTypes
import MusterCore
import MusterHTTP
import MusterStore
import MusterTestSupport
import Testing

@Suite("The insights and action items pages")
struct LearningPagesTests {
    @Test("insights draw the period's figures as SVG; a filter that does not exist is said, not ignored", arguments: PageTestBackends.pages)
    func insights(backend: TestBackend) async throws {
        try await APIHarness.run(backend) { api in
            let vic = try await PageSession.signIn(api, "vic", role: .viewer)
            let reference = try await api.declare(#"{"title":"Checkout down","severity":"P1"}"#)
            api.clock.advance(by: 600)
            _ = try await api.write("/api/v1/incidents/\(reference)/resolve", #"{"force":"Not what this test checks","resolution":"Rolled back"}"#)
            let page = try await vic.get("/insights?since=30d")
            #expect(page.status == .ok && page.text.contains("<strong>1</strong> incidents") && page.text.contains("<svg"))
            #expect(page.text.contains("Time to resolve") && page.text.contains("10m 00s"), "\(page.text)")
            let bad = try await vic.get("/insights?since=30d&severity=P9")
            #expect(bad.status == .badRequest && bad.text.contains("P9"))
        }
    }

    @Test(
        "a responder adds an action item and moves it on; won't do asks for the reason beside the form", arguments: PageTestBackends.pages)
    func actions(backend: TestBackend) async throws {
        try await APIHarness.run(backend) { api in
            let ann = try await PageSession.signIn(api, "ann", role: .responder)
            let added = try await ann.post(
                "/actions",
                [("title", "Add pool monitoring"), ("owner", "ann"), ("priority", "P0"), ("due", "2099-01-01T10:00"), ("tz", "0")])
            #expect(added.status == .seeOther, "\(added.text)")
            let item = try #require(try await api.store.actionItems(ActionItemQuery()).first)
            #expect(item.priority == .p0 && item.dueAt == RFC3339.parse("2099-01-01T10:00:00Z"))
            let page = try await ann.get("/actions")
            #expect(page.text.contains("Add pool monitoring") && page.text.contains("P0"))
            let unknown = try await ann.post("/actions", [("title", "x"), ("owner", "nobody"), ("priority", "P1")])
            #expect(unknown.status == .badRequest && unknown.text.contains(#"id="item-owner-error""#), "\(unknown.text)")
            let noReason = try await ann.post("/actions/\(item.id.uuidString.lowercased())", [("status", "wont_do")])
            #expect(noReason.status == .badRequest && noReason.text.contains("reason"))
            let done = try await ann.post("/actions/\(item.id.uuidString.lowercased())", [("status", "done")])
            #expect(done.status == .seeOther)
            #expect(try await api.store.actionItem(item.id)?.status == .done)
            #expect(try await ann.get("/actions").text.contains("Nothing open."))
        }
    }
}
