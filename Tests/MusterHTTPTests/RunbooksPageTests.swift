import Foundation
import HTTPTypes
import MusterCore
import MusterHTTP
import MusterStore
import MusterTestSupport
import Testing

@Suite("The runbooks page and an incident's runbooks")
struct RunbooksPageTests {
    @Test(
        "a responder writes a runbook from the page; the incident shows it and adds its tasks to the checklist; a bad id is refused beside the field",
        arguments: PageTestBackends.pages)
    func runbooks(backend: TestBackend) async throws {
        try await APIHarness.run(backend) { api in
            // given service web, a P1 of it and ann, a responder
            _ = try await api.write("/api/v1/services", #"{"id":"web","name":"Web"}"#)
            let reference = try await api.declare(#"{"title":"Checkout down","severity":"P1","services":["web"]}"#)
            let ann = try await PageSession.signIn(api, "ann", role: .responder)
            // when she writes a runbook for web
            let saved = try await ann.post(
                "/runbooks",
                [
                    ("id", "web-down"), ("title", "Web down"), ("services", "web"), ("labels", "alertname=WebDown\n"),
                    ("body", "## First\n- [ ] Check the load balancer\n- [ ] Check the last deploy"),
                ])
            #expect(saved.status == .seeOther, "\(saved.text)")
            let page = try await ann.get("/runbooks?done=saved")
            #expect(page.text.contains("The runbook was saved.") && page.text.contains("Check the load balancer"))
            // and a bad id is refused beside its field
            let bad = try await ann.post("/runbooks", [("id", "Web Down"), ("title", "x"), ("services", "web"), ("labels", ""), ("body", "b")])
            #expect(bad.status == .badRequest && bad.text.contains(#"id="runbook-id-error""#), "\(bad.text)")
            // then the incident shows it, with why, and its tasks join the checklist from there
            let incident = try await ann.get("/incidents/\(reference)")
            #expect(incident.text.contains("Web down") && incident.text.contains("(service web)") && incident.text.contains("Add its 2 task(s)"))
            let added = try await ann.post("/incidents/\(reference)/runbook-checklist", [("runbook", "web-down")])
            #expect(added.status == .seeOther, "\(added.text)")
            #expect(try await ann.get("/incidents/\(reference)").text.contains("Check the last deploy"))
            // and it is removed
            #expect(try await ann.post("/runbooks/web-down/remove", []).status == .seeOther)
            #expect(try await api.store.runbook("web-down") == nil)
        }
    }
}
