import Foundation
import MusterTestSupport
import Testing

@Suite("Incident API")
struct IncidentAPITests {
    @Test("an incident runs its whole lifecycle through the API", arguments: TestBackend.all)
    func lifecycle(backend: TestBackend) async throws {
        try await APIHarness.run(backend) { api in
            // given
            #expect(try await api.write("/api/v1/services", #"{"id":"checkout","name":"Checkout"}"#).status == .created)
            _ = try await api.write("/api/v1/users", #"{"id":"carol","name":"Carol","email":"carol@example.com"}"#)
            let declared = try await api.write(
                "/api/v1/incidents",
                #"""
                {"title":"Checkout failing","summary":"5xx on pay","services":["checkout"],
                 "impact":{"userImpact":"many","businessImpact":"revenue_loss","customerFacing":true,"dataLoss":false,"security":false,"usersAffectedPercent":30},
                 "impactStartedAt":"2026-11-18T07:00:00Z","commander":"carol"}
                """#)
            #expect(declared.status == .created)
            let id = try #require(declared.object["reference"] as? String)
            #expect(declared.headers[.location] == "/api/v1/incidents/\(id)")
            #expect(declared.object["severity"] as? String == "P1")
            #expect((declared.object["targets"] as? [String: Any])?["acknowledge"] != nil)
            // when
            api.clock.advance(by: 120)
            let acked = try await api.write("/api/v1/incidents/\(id)/acknowledge", #"{"note":"looking"}"#)
            let investigating = try await api.write("/api/v1/incidents/\(id)/status", #"{"status":"investigating"}"#)
            let hypothesis = try await api.write("/api/v1/incidents/\(id)/timeline", #"{"kind":"hypothesis","text":"Bad deploy"}"#)
            let action = try await api.write(
                "/api/v1/incidents/\(id)/timeline", #"{"kind":"action","text":"Rolled back","result":"succeeded"}"#)
            let roles = try await api.write("/api/v1/incidents/\(id)/roles", #"{"role":"sme","assignee":"dba","outside":true}"#)
            let unassigned = try await api.write(.delete, "/api/v1/incidents/\(id)/roles/sme?assignee=dba")
            let impact = try await api.write(
                .put, "/api/v1/incidents/\(id)/impact",
                #"{"userImpact":"some","businessImpact":"moderate","customerFacing":true,"dataLoss":false,"security":false}"#)
            let severity = try await api.write("/api/v1/incidents/\(id)/severity", #"{"severity":"P2","reason":"Only EU cards"}"#)
            let monitoring = try await api.write(
                "/api/v1/incidents/\(id)/status", #"{"status":"monitoring","note":"error rate back to normal"}"#)
            api.clock.advance(by: 600)
            let resolved = try await api.write(
                "/api/v1/incidents/\(id)/resolve", #"{"force":"Not what this test checks","resolution":"Rolled back","rootCause":"Config typo"}"#)
            let reopened = try await api.write("/api/v1/incidents/\(id)/reopen", #"{"reason":"Errors returned"}"#)
            _ = try await api.write("/api/v1/incidents/\(id)/resolve", #"{"force":"Not what this test checks"}"#)
            let closed = try await api.write("/api/v1/incidents/\(id)/close", #"{"note":"Post-mortem scheduled"}"#)
            // then
            for reply in [acked, investigating, roles, unassigned, impact, severity, monitoring, resolved, reopened, closed] {
                #expect(reply.status == .ok, "\(reply.text)")
            }
            #expect(hypothesis.status == .created)
            #expect(action.status == .created)
            #expect(severity.object["severity"] as? String == "P2")
            #expect(reopened.object["status"] as? String == "investigating")
            #expect(closed.object["status"] as? String == "closed")
            #expect(closed.object["rootCause"] as? String == "Config typo")
            let detail = try await api.send(.get, "/api/v1/incidents/\(id)", token: api.viewer)
            #expect(detail.status == .ok)
            let timeline = try #require(detail.object["timeline"] as? [[String: Any]])
            let kinds = timeline.compactMap { $0["kind"] as? String }
            #expect(
                kinds == [
                    "declared", "role_change", "page", "status_change", "note", "status_change", "hypothesis", "action", "role_change",
                    "role_change", "impact_change", "severity_change", "status_change", "note", "status_change", "status_change",
                    "note", "status_change", "status_change",
                ], "each resolve overrides open resolution checklist items, with a note")
            #expect(timeline.allSatisfy { $0["author"] as? String == ($0["kind"] as? String == "page" ? "muster" : "alice") })
            let targets = try #require((detail.object["incident"] as? [String: Any])?["targets"] as? [String: Any])
            #expect((targets["acknowledge"] as? [String: Any])?["state"] as? String == "met")
            #expect(try await api.send(.get, "/api/v1/incidents/\(id)/timeline", token: api.viewer).array.count == 19)
        }
    }

    @Test("hypotheses can be confirmed or ruled out", arguments: TestBackend.all)
    func hypothesisState(backend: TestBackend) async throws {
        try await APIHarness.run(backend) { api in
            let id = try await api.declare()
            _ = try await api.write("/api/v1/incidents/\(id)/timeline", #"{"kind":"hypothesis","text":"DNS"}"#)
            let entry = try #require(
                try await api.send(.get, "/api/v1/incidents/\(id)/timeline", token: api.viewer).array.last?["id"] as? String)
            let settled = try await api.write("/api/v1/incidents/\(id)/timeline/\(entry)/state", #"{"state":"ruled_out"}"#)
            #expect(settled.status == .ok)
            #expect((settled.object["details"] as? [String: String])?["state"] == "ruled_out")
            try await api.write("/api/v1/incidents/\(id)/timeline/\(UUID().uuidString)/state", #"{"state":"confirmed"}"#).expectProblem(
                .notFound)
            try await api.write("/api/v1/incidents/\(id)/timeline/not-a-uuid/state", #"{"state":"confirmed"}"#).expectProblem(.notFound)
            try await api.write("/api/v1/incidents/\(id)/timeline/\(entry)/state", #"{"state":"maybe"}"#).expectProblem(
                .badRequest, field: "state")
        }
    }

    @Test("declaring from impact alone lets the matrix choose the severity", arguments: TestBackend.all)
    func matrixDeclaration(backend: TestBackend) async throws {
        try await APIHarness.run(backend) { api in
            let reply = try await api.write(
                "/api/v1/incidents",
                #"""
                {"title":"Slow search","impact":{"userImpact":"few","businessImpact":"low","customerFacing":false,"dataLoss":false,"security":false}}
                """#)
            #expect(reply.status == .created)
            #expect(reply.object["severity"] as? String == "P4")
        }
    }

    @Test("listing filters and pages through the query string", arguments: TestBackend.all)
    func listing(backend: TestBackend) async throws {
        try await APIHarness.run(backend) { api in
            // given
            _ = try await api.write("/api/v1/services", #"{"id":"search","name":"Search"}"#)
            let first = try await api.declare(#"{"title":"One","severity":"P1"}"#)
            api.clock.advance(by: 60)
            _ = try await api.declare(#"{"title":"Two","severity":"P3","services":["search"]}"#)
            api.clock.advance(by: 60)
            _ = try await api.declare(#"{"title":"Three","severity":"P3"}"#)
            _ = try await api.write("/api/v1/incidents/\(first)/resolve", #"{"force":"Not what this test checks"}"#)
            // when
            func titles(_ query: String) async throws -> [String] {
                let reply = try await api.send(.get, "/api/v1/incidents\(query)", token: api.viewer)
                #expect(reply.status == .ok, "\(reply.text)")
                return (reply.object["items"] as? [[String: Any]] ?? []).compactMap { $0["title"] as? String }
            }
            // then
            #expect(try await titles("") == ["Three", "Two", "One"])
            #expect(try await titles("?status=open") == ["Three", "Two"])
            #expect(try await titles("?status=resolved,closed") == ["One"])
            #expect(try await titles("?severity=p3") == ["Three", "Two"])
            #expect(try await titles("?service=search") == ["Two"])
            #expect(try await titles("?since=2026-11-18T00:00:00Z&until=2026-11-18T11:08:00Z") == ["Two", "One"])
            #expect(try await titles("?limit=1&offset=1") == ["Two"])
            let page = try await api.send(.get, "/api/v1/incidents?limit=2", token: api.viewer).object
            #expect(page["total"] as? Int == 3)
            #expect(page["limit"] as? Int == 2)
        }
    }
}
