import Foundation
import MusterTestSupport
import Testing

@Suite("Audit log")
struct AuditAPITests {
    @Test("configuration changes are recorded with who, when, what, before and after; secrets stay out", arguments: TestBackend.all)
    func changesRecorded(backend: TestBackend) async throws {
        try await APIHarness.run(backend) { api in
            // given a service created, renamed and deleted by the responder
            #expect(try await api.write("/api/v1/services", #"{"id":"web","name":"Web"}"#).status == .created)
            api.clock.advance(by: 1)
            #expect(try await api.write(.patch, "/api/v1/services/web", #"{"name":"Storefront"}"#).status == .ok)
            api.clock.advance(by: 1)
            #expect(try await api.write(.delete, "/api/v1/services/web").status == .noContent)
            // and a token made by the admin, a person with a webhook, and a silence tried as a dry run only
            let token = try await api.send(.post, "/api/v1/tokens", token: api.admin, body: #"{"name":"ci","role":"viewer"}"#)
            let secret = try #require(token.object["secret"] as? String)
            _ = try await api.write("/api/v1/users", #"{"id":"ann","name":"Ann","email":"ann@example.com"}"#)
            _ = try await api.write(
                "/api/v1/users/ann/contact-methods", #"{"kind":"webhook","address":"https://hooks.example.com/s3cret"}"#)
            let dryRun = try await api.write(
                "/api/v1/silences?dryRun=true",
                #"{"matchers":["env=staging"],"duration":"1h","comment":"try"}"#)
            #expect(dryRun.status == .ok, "\(dryRun.text)")

            // when the admin reads the audit log of the service
            let service = try await api.send(.get, "/api/v1/audit?kind=service&subject=web", token: api.admin)
            // then it has the three changes, newest first, each with its actor, request and states
            let events = service.array
            #expect(
                events.compactMap { $0["action"] as? String } == [
                    "DELETE /api/v1/services/{id}", "PATCH /api/v1/services/{id}", "POST /api/v1/services",
                ])
            #expect(events.allSatisfy { $0["actor"] as? String == "alice" })
            #expect(events[2]["before"] == nil && (events[2]["after"] as? [String: Any])?["name"] as? String == "Web")
            #expect(events[1]["changedFields"] as? [String] == ["name"])
            #expect((events[1]["before"] as? [String: Any])?["name"] as? String == "Web")
            #expect((events[1]["after"] as? [String: Any])?["name"] as? String == "Storefront")
            #expect(events[0]["after"] == nil)

            // and the whole log holds no secret, masks the webhook URL and leaves out the dry run
            let all = try await api.send(.get, "/api/v1/audit", token: api.admin)
            #expect(!all.text.contains(secret) && !all.text.contains("s3cret"))
            #expect(all.text.contains("https://hooks.example.com/…"))
            #expect(all.array.contains { $0["kind"] as? String == "token" && $0["actor"] as? String == "root" })
            #expect(!all.array.contains { $0["kind"] as? String == "silence" })
            #expect(all.object["total"] as? Int == 6)

            // and only admins read it; a filter that makes no sense is refused
            try await api.send(.get, "/api/v1/audit", token: api.responder).expectProblem(.forbidden)
            try await api.send(.get, "/api/v1/audit?kind=incident", token: api.admin).expectProblem(.badRequest, field: "kind")
        }
    }
}
