import Foundation
import HTTPTypes
import MusterCore
import MusterHTTP
import MusterStore
import MusterTestSupport
import Testing

@Suite("Runbooks over HTTP")
struct RunbookAPITests {
    @Test(
        "a runbook is kept, matched to an incident by an alert label with the links beside it, and its task list becomes checklist items",
        arguments: TestBackend.all)
    func runbooks(backend: TestBackend) async throws {
        try await APIHarness.run(backend) { api in
            // given service web with a runbook link and an alert that opened an incident with a runbook_url
            let key = try await api.integration("generic")
            _ = try await api.write(.patch, "/api/v1/services/web", #"{"runbookURL":"https://wiki.example.com/web"}"#)
            let alert = try await api.send(
                .post, "/ingest/generic/\(key)",
                body: #"{"summary":"Errors above 5%","labels":{"alertname":"HighErrorRate"},"annotations":{"runbook_url":"https://wiki.example.com/errors"}}"#)
            #expect(alert.status.code < 300, "\(alert.text)")
            let incident = try #require(try await api.send(.get, "/api/v1/incidents", token: api.viewer).array.first?["reference"] as? String)
            // when a runbook for that alert is kept
            let created = try await api.write(
                "/api/v1/runbooks",
                ###"{"id":"high-errors","title":"High error rate","labels":{"alertname":"HighErrorRate"},"body":"## Check\n- [ ] Error rate by endpoint\n- [ ] Recent deploys"}"###)
            #expect(created.status == .created && created.object["updatedBy"] as? String == "alice", "\(created.text)")
            // then the incident lists it with why, and the links from its service and alert
            let matched = try await api.send(.get, "/api/v1/incidents/\(incident)/runbooks", token: api.viewer)
            let items = try #require(matched.object["items"] as? [[String: Any]])
            #expect(items.first?["reason"] as? String == "alertname=HighErrorRate", "\(matched.text)")
            let links = try #require(matched.object["links"] as? [[String: Any]])
            #expect(links.map { $0["href"] as? String } == ["https://wiki.example.com/web", "https://wiki.example.com/errors"])
            // when its task list is turned into checklist items, twice
            let added = try await api.write("/api/v1/incidents/\(incident)/runbooks/high-errors/checklist")
            _ = try await api.write("/api/v1/incidents/\(incident)/runbooks/high-errors/checklist")
            // then both are on the checklist once
            #expect(added.status == .created, "\(added.text)")
            let checklist = try await api.send(.get, "/api/v1/incidents/\(incident)/checklist", token: api.viewer)
            let addedList = (checklist.object["lists"] as? [[String: Any]])?.first { $0["id"] as? String == "added" }
            let texts = ((addedList?["sections"] as? [[String: Any]])?.first?["items"] as? [[String: Any]])?.map { $0["text"] as? String }
            #expect(texts == ["Error rate by endpoint", "Recent deploys"], "\(checklist.text)")
            // and it is replaced, listed, refused when it names nothing, and deleted
            let replaced = try await api.write(
                .put, "/api/v1/runbooks/high-errors", #"{"title":"High error rate","services":["web"],"body":"Look at the graphs."}"#)
            #expect(replaced.status == .ok && (replaced.object["services"] as? [String]) == ["web"])
            #expect(try await api.send(.get, "/api/v1/runbooks", token: api.viewer).object["total"] as? Int == 1)
            _ = try await api.write("/api/v1/runbooks", #"{"id":"x","title":"X","body":"b"}"#).expectProblem(.badRequest, field: "services")
            _ = try await api.write("/api/v1/runbooks", #"{"id":"high-errors","title":"X","services":["web"],"body":"b"}"#).expectProblem(.conflict)
            _ = try await api.write("/api/v1/runbooks", #"{"id":"y","title":"Y","services":["nowhere"],"body":"b"}"#).expectProblem(.badRequest, field: "services")
            #expect(try await api.send(.delete, "/api/v1/runbooks/high-errors", token: api.responder).status == .noContent)
            _ = try await api.send(.get, "/api/v1/runbooks/high-errors", token: api.viewer).expectProblem(.notFound)
        }
    }
}
