import Foundation
import MusterTestSupport
import Testing

@Suite("Strict input: unknown fields")
struct StrictInputTests {
    @Test("a misspelt field is refused, named, with the field it most likely meant", arguments: TestBackend.all)
    func misspeltField(backend: TestBackend) async throws {
        try await APIHarness.run(backend) { api in
            // given a declaration whose services key is misspelt
            let body = #"{"title":"Checkout failing","severity":"P1","servces":["web"]}"#
            // when it is posted
            let reply = try await api.write("/api/v1/incidents", body)
            // then it is refused, naming the field and the one meant, and nothing is declared
            let detail = reply.expectProblem(.badRequest, field: "servces")
            #expect(detail == "'servces' is not a field of this request; did you mean 'services'?")
            let list = try await api.send(.get, "/api/v1/incidents", token: api.viewer)
            #expect(list.object["total"] as? Int == 0)
        }
    }

    @Test("unknown fields in nested objects and array items are named by their path", arguments: [TestBackend.sqlite])
    func nestedFields(backend: TestBackend) async throws {
        try await APIHarness.run(backend) { api in
            // given a declaration with a typo inside impact
            let nested = #"{"title":"x","severity":"P2","impact":{"userImpact":"many","dataLos":true}}"#
            // when posted, then the nested path is named
            let detail = try await api.write("/api/v1/incidents", nested).expectProblem(.badRequest, field: "impact.dataLos")
            #expect(detail.contains("did you mean 'dataLoss'?"))

            // given an escalation policy whose second level's target has a stray key
            let policy = """
                {"id":"p","name":"P","levels":[{"delayMinutes":5,"targets":[{"type":"user","id":"nobody"}]},
                {"delayMinutes":5,"targets":[{"type":"user","id":"x","colour":"red"}]}]}
                """
            // when posted, then the array index is part of the path and the fields are listed
            let reply = try await api.write("/api/v1/escalation-policies", policy)
            let policyDetail = reply.expectProblem(.badRequest, field: "levels[1].targets[0].colour")
            #expect(policyDetail.contains("its fields are:"))
        }
    }

    @Test("a field far from every known one lists the fields instead of guessing", arguments: [TestBackend.sqlite])
    func unrelatedField(backend: TestBackend) async throws {
        try await APIHarness.run(backend) { api in
            let id = try await api.declare()
            // given a status change with an unrelated extra key
            let detail = try await api.write("/api/v1/incidents/\(id)/status", #"{"status":"investigating","priority":"high"}"#)
                .expectProblem(.badRequest, field: "priority")
            // then the known fields are listed and the incident did not move
            #expect(detail == "'priority' is not a field of this request; its fields are: at, force, note, status.")
            let incident = try await api.send(.get, "/api/v1/incidents/\(id)", token: api.viewer).object["incident"] as? [String: Any]
            #expect(incident?["status"] as? String == "triggered")
        }
    }

    @Test("ids are read in either case and printed in one", arguments: [TestBackend.sqlite])
    func idCase(backend: TestBackend) async throws {
        try await APIHarness.run(backend) { api in
            // given an integration and an incident
            _ = try await api.write("/api/v1/services", #"{"id":"web","name":"Web"}"#)
            let created = try await api.write("/api/v1/services/web/integrations", #"{"kind":"generic"}"#)
            let id = try #require((created.object["integration"] as? [String: Any])?["id"] as? String)
            let reference = try await api.declare()
            // when each is asked for in lower and upper case
            let lower = try await api.send(.get, "/api/v1/integrations/\(id.lowercased())", token: api.viewer)
            let upper = try await api.send(.get, "/api/v1/integrations/\(id.uppercased())", token: api.viewer)
            let incident = try await api.send(.get, "/api/v1/incidents/\(reference.lowercased())", token: api.viewer)
            // then both find it, and the id comes back in the one case Muster prints
            #expect(lower.status == .ok && upper.status == .ok)
            #expect(lower.object["id"] as? String == id.uppercased())
            #expect(id == id.uppercased())
            #expect(incident.status == .ok)
        }
    }
}
