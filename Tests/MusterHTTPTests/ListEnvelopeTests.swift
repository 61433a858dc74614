import Foundation
import MusterTestSupport
import Testing

@Suite("Lists: one envelope, pages, filters that name nothing")
struct ListEnvelopeTests {
    @Test("every list answers items and total, and pages with limit and offset", arguments: TestBackend.all)
    func envelope(backend: TestBackend) async throws {
        try await APIHarness.run(backend) { api in
            // given five services
            for index in 1...5 { _ = try await api.write("/api/v1/services", #"{"id":"s\#(index)","name":"S\#(index)"}"#) }
            // when the second page of two is asked for
            let page = try await api.send(.get, "/api/v1/services?limit=2&offset=2", token: api.viewer)
            // then it holds the third and fourth, and says how many there are in all
            #expect(page.array.compactMap { $0["id"] as? String } == ["s3", "s4"])
            #expect(page.object["total"] as? Int == 5)
            #expect(page.object["limit"] as? Int == 2)
            #expect(page.object["offset"] as? Int == 2)
            // and every list endpoint answers in the same envelope
            let id = try await api.declare()
            for path in [
                "/api/v1/users", "/api/v1/teams", "/api/v1/schedules", "/api/v1/escalation-policies", "/api/v1/integrations",
                "/api/v1/silences", "/api/v1/alerts", "/api/v1/oncall", "/api/v1/incidents", "/api/v1/incidents/\(id)/timeline",
                "/api/v1/incidents/\(id)/alerts", "/api/v1/incidents/\(id)/pages",
            ] {
                let reply = try await api.send(.get, path, token: api.viewer)
                #expect(reply.status == .ok, "\(path): \(reply.text)")
                #expect(reply.object["items"] is [Any] && reply.object["total"] is Int, "\(path): \(reply.text)")
            }
            let tokens = try await api.send(.get, "/api/v1/tokens", token: api.admin)
            #expect(tokens.object["total"] as? Int == 3)
            try await api.send(.get, "/api/v1/services?limit=0", token: api.viewer).expectProblem(.badRequest, field: "limit")
            try await api.send(.get, "/api/v1/services?offset=-1", token: api.viewer).expectProblem(.badRequest, field: "offset")
        }
    }

    @Test("a filter value that names nothing is refused, not answered with an empty list", arguments: TestBackend.all)
    func filtersNamingNothing(backend: TestBackend) async throws {
        try await APIHarness.run(backend) { api in
            // given one service
            _ = try await api.write("/api/v1/services", #"{"id":"web","name":"Web"}"#)
            // when / then
            for path in ["/api/v1/incidents?service=wbe", "/api/v1/alerts?service=wbe", "/api/v1/integrations?service=wbe"] {
                let detail = try await api.send(.get, path, token: api.viewer).expectProblem(.badRequest, field: "service")
                #expect(detail.contains("'wbe', which is not a service"), "\(path): \(detail)")
            }
            try await api.send(.get, "/api/v1/incidents?severity=P9", token: api.viewer).expectProblem(.badRequest, field: "severity")
            try await api.send(.get, "/api/v1/incidents?status=fixed", token: api.viewer).expectProblem(.badRequest, field: "status")
            try await api.send(.get, "/api/v1/alerts?status=burning", token: api.viewer).expectProblem(.badRequest, field: "status")
            #expect(try await api.send(.get, "/api/v1/incidents?service=web", token: api.viewer).status == .ok)
        }
    }
}
