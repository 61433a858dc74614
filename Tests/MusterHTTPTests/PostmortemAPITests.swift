import Foundation
import HTTPTypes
import MusterCore
import MusterStore
import MusterTestSupport
import Testing

@Suite("Post-mortems and action items API")
struct PostmortemAPITests {
    /// A resolved P1 on web commanded by ann; returns its reference.
    func resolvedIncident(_ api: APIHarness) async throws -> String {
        for (id, name) in [("ann", "Ann Lee"), ("bob", "Bob Ray")] {
            _ = try await api.send(
                .post, "/api/v1/users", token: api.admin, body: #"{"id":"\#(id)","name":"\#(name)","email":"\#(id)@example.com"}"#)
        }
        _ = try await api.write("/api/v1/services", #"{"id":"web","name":"Web"}"#)
        let reference = try await api.declare(#"{"title":"Checkout down","severity":"P1","services":["web"],"commander":"ann"}"#)
        _ = try await api.write("/api/v1/incidents/\(reference)/timeline", #"{"kind":"decision","text":"Roll back to v2.33"}"#)
        api.clock.advance(by: 47 * 60)
        let resolved = try await api.write(
            "/api/v1/incidents/\(reference)/resolve", #"{"force":"Not what this test checks","resolution":"Rolled back","rootCause":"A connection leak"}"#)
        #expect(resolved.status == .ok, "\(resolved.text)")
        return reference
    }

    @Test(
        "a resolved incident's post-mortem is drafted from its record, checked as it is edited, published over findings only with a reason",
        arguments: TestBackend.all)
    func lifecycle(backend: TestBackend) async throws {
        try await APIHarness.run(backend) { api in
            // given a resolved P1 commanded by ann, and its figures
            let reference = try await resolvedIncident(api)
            let figures = try await api.send(.get, "/api/v1/incidents/\(reference)/figures", token: api.viewer)
            #expect((figures.object["duration"] as? [String: Any])?["fallback"] as? String != nil, "no impact start: from detection")
            #expect(figures.object["people"] as? [String] != nil)
            // when its post-mortem is drafted
            let drafted = try await api.write("/api/v1/incidents/\(reference)/postmortem")
            #expect(drafted.status == .created, "\(drafted.text)")
            #expect(drafted.object["owner"] as? String == "ann" && drafted.object["state"] as? String == "draft")
            #expect(drafted.object["required"] as? Bool == true && drafted.object["openFindings"] as? Int == 0)
            let sections = try #require(drafted.object["sections"] as? [[String: Any]])
            #expect(
                (sections.first { $0["id"] as? String == "timeline" }?["body"] as? String)?.contains("Decision: Roll back to v2.33") == true
            )
            #expect((sections.first { $0["id"] as? String == "root-cause" }?["body"] as? String)?.hasPrefix("A connection leak") == true)
            _ = try await api.write("/api/v1/incidents/\(reference)/postmortem").expectProblem(.conflict)
            // when a section blames a person, the finding names the rule and the place
            let blaming = try await api.write(
                .put, "/api/v1/incidents/\(reference)/postmortem/sections/what-could-be-improved",
                #"{"body":"Bob forgot to run the load test.\nThe deploy should have waited."}"#)
            #expect(blaming.status == .ok && blaming.object["openFindings"] as? Int == 2, "\(blaming.text)")
            let found = try #require((blaming.object["findings"] as? [String: Any])?["what-could-be-improved"] as? [[String: Any]])
            #expect(found.map { $0["rule"] as? String } == ["person-failed", "hindsight"] && found[1]["line"] as? Int == 2)
            _ = try await api.write(.put, "/api/v1/incidents/\(reference)/postmortem/sections/nowhere", #"{"body":"x"}"#)
                .expectProblem(.badRequest, field: "section")
            // when it is published without a reason, it is refused; with one, it is published and the reason kept
            _ = try await api.write("/api/v1/incidents/\(reference)/postmortem/submit", #"{"reviewers":["bob"]}"#)
            _ = try await api.write("/api/v1/incidents/\(reference)/postmortem/publish", "{}").expectProblem(.badRequest, field: "override")
            let published = try await api.write(
                "/api/v1/incidents/\(reference)/postmortem/publish", #"{"override":"Bob asked to keep his own words."}"#)
            #expect(published.object["state"] as? String == "published", "\(published.text)")
            #expect((published.object["override"] as? [String: Any])?["findings"] as? Int == 2)
            // then it is read-only: a correction needs a note and is kept
            _ = try await api.write(.put, "/api/v1/incidents/\(reference)/postmortem/sections/impact", #"{"body":"x"}"#)
                .expectProblem(.badRequest, field: "note")
            let corrected = try await api.write(
                .put, "/api/v1/incidents/\(reference)/postmortem/sections/impact",
                #"{"body":"50,000 requests failed.","note":"Load balancer count"}"#)
            #expect((corrected.object["revisions"] as? [[String: Any]])?.count == 1)
            // and it exports as Markdown and as HTML, with the incident's action items
            let item = try await api.write(
                "/api/v1/action-items", #"{"title":"Alert on pool saturation","owner":"bob","priority":"P1","incident":"\#(reference)"}"#)
            #expect(item.status == .created, "\(item.text)")
            let markdown = try await api.send(.get, "/api/v1/incidents/\(reference)/postmortem/export?format=md", token: api.viewer)
            #expect(
                markdown.headers[.contentType]?.hasPrefix("text/markdown") == true
                    && markdown.text.contains("## Impact\n\n50,000 requests failed.")
                    && markdown.text.contains("- P1 Alert on pool saturation: owner bob, open"))
            let html = try await api.send(.get, "/api/v1/incidents/\(reference)/postmortem/export?format=html", token: api.viewer)
            #expect(html.text.contains("<h2>Impact</h2>") && html.text.contains("<table>") && !html.text.contains("<script"))
            _ = try await api.send(.get, "/api/v1/incidents/\(reference)/postmortem/export?format=pdf", token: api.viewer)
                .expectProblem(.badRequest, field: "format")
        }
    }

    @Test("a post-mortem waits for resolution; starring an entry puts it in a draft's timeline", arguments: PageTestBackends.pages)
    func draftingAndStars(backend: TestBackend) async throws {
        try await APIHarness.run(backend) { api in
            let open = try await api.declare()
            _ = try await api.write("/api/v1/incidents/\(open)/postmortem").expectProblem(.badRequest)
            let reference = try await resolvedIncident(api)
            _ = try await api.write("/api/v1/incidents/\(reference)/timeline", #"{"kind":"note","text":"Logs reviewed"}"#)
            _ = try await api.write("/api/v1/incidents/\(reference)/postmortem")
            let note = try #require(
                try await api.send(.get, "/api/v1/incidents/\(reference)/timeline", token: api.viewer).array.first {
                    $0["text"] as? String == "Logs reviewed"
                })
            let id = try #require(note["id"] as? String)
            let starred = try await api.write(.put, "/api/v1/incidents/\(reference)/postmortem/starred/\(id)", #"{"starred":true}"#)
            let timeline = (starred.object["sections"] as? [[String: Any]])?.first { $0["id"] as? String == "timeline" }?["body"] as? String
            #expect(timeline?.contains("Logs reviewed") == true, "\(starred.text)")
            #expect(
                try await api.write(.put, "/api/v1/incidents/\(reference)/postmortem/starred/\(UUID().uuidString)", #"{"starred":true}"#)
                    .status == .notFound)
        }
    }

    @Test(
        "action items are added with an owner and priority, listed by owner and lateness, and moved to done",
        arguments: PageTestBackends.pages)
    func actionItems(backend: TestBackend) async throws {
        try await APIHarness.run(backend) { api in
            let reference = try await resolvedIncident(api)
            let due = RFC3339.format(api.clock.now.addingTimeInterval(3_600))
            let created = try await api.write(
                "/api/v1/action-items",
                #"{"title":"Add connection lifecycle tests","owner":"ann","priority":"P0","dueAt":"\#(due)","incident":"\#(reference)","ticketURL":"https://tracker.example/T-1"}"#
            )
            #expect(created.status == .created && created.object["incidentReference"] as? String == reference, "\(created.text)")
            let id = try #require(created.object["id"] as? String)
            _ = try await api.write("/api/v1/action-items", #"{"title":"x","owner":"nobody","priority":"P1"}"#).expectProblem(
                .badRequest, field: "owner")
            _ = try await api.write("/api/v1/action-items", #"{"title":"x","owner":"ann","priority":"P9"}"#).expectProblem(
                .badRequest, field: "priority")
            #expect(try await api.send(.get, "/api/v1/action-items?owner=ann&open=true", token: api.viewer).array.count == 1)
            #expect(try await api.send(.get, "/api/v1/action-items?overdue=true", token: api.viewer).array.isEmpty)
            api.clock.advance(by: 7_200)
            #expect(try await api.send(.get, "/api/v1/action-items?overdue=true", token: api.viewer).array.count == 1)
            _ = try await api.write(.patch, "/api/v1/action-items/\(id)", #"{"status":"wont_do"}"#).expectProblem(
                .badRequest, field: "reason")
            let done = try await api.write(.patch, "/api/v1/action-items/\(id)", #"{"status":"done"}"#)
            #expect(done.object["status"] as? String == "done" && done.object["doneAt"] is String, "\(done.text)")
            #expect(try await api.send(.get, "/api/v1/action-items?overdue=true", token: api.viewer).array.isEmpty)
            let ann = try await PageSession.signIn(api, "ann-page", role: .viewer)
            #expect(try await ann.get("/incidents/\(reference)").text.contains("[P0, done] Add connection lifecycle tests · ann"))
            #expect(try await api.send(.patch, "/api/v1/action-items/\(id)", token: api.viewer, body: "{}").status == .forbidden)
        }
    }

    @Test("the report gives the period's figures and refuses filters it does not know", arguments: PageTestBackends.pages)
    func report(backend: TestBackend) async throws {
        try await APIHarness.run(backend) { api in
            let reference = try await resolvedIncident(api)
            _ = try await api.write("/api/v1/incidents/\(reference)/postmortem")
            let report = try await api.send(.get, "/api/v1/insights/report?since=30d", token: api.viewer)
            #expect(report.status == .ok && report.object["incidents"] as? Int == 1, "\(report.text)")
            let resolve = try #require(report.object["timeToResolve"] as? [String: Any])
            #expect(resolve["count"] as? Int == 1 && resolve["medianSeconds"] as? Double == 47 * 60)
            #expect(report.object["postmortemsRequired"] as? Int == 1 && report.object["postmortemsPublished"] as? Int == 0)
            let web = try await api.send(.get, "/api/v1/insights/report?service=web&severity=P1", token: api.viewer)
            #expect(web.object["incidents"] as? Int == 1)
            _ = try await api.send(.get, "/api/v1/insights/report?since=forever", token: api.viewer).expectProblem(
                .badRequest, field: "since")
            _ = try await api.send(.get, "/api/v1/insights/report?severity=P9", token: api.viewer).expectProblem(
                .badRequest, field: "severity")
            _ = try await api.send(.get, "/api/v1/insights/report?team=ops", token: api.viewer).expectProblem(.badRequest, field: "team")
            _ = try await api.send(.get, "/api/v1/insights/report?service=nowhere", token: api.viewer).expectProblem(
                .badRequest, field: "service")
        }
    }
}
