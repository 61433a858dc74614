import Foundation
import HTTPTypes
import MusterCore
import MusterHTTP
import MusterStore
import MusterTestSupport
import Testing

@Suite("The roles a response needs, over HTTP and on the pages")
struct ResponseRolesTests {
    @Test("a large team's P1 needs five roles; one held is shown filled; the list says IC needed", arguments: PageTestBackends.pages)
    func roles(backend: TestBackend) async throws {
        try await APIHarness.run(backend) { api in
            // given a large team's service and a P1 of it with a tech lead
            let created = try await api.write("/api/v1/services", #"{"id":"web","name":"Web","responseSize":"large"}"#)
            #expect(created.status == .created && created.object["responseSize"] as? String == "large", "\(created.text)")
            let reference = try await api.declare(#"{"title":"Checkout down","severity":"P1","services":["web"]}"#)
            _ = try await api.write("/api/v1/incidents/\(reference)/roles", #"{"role":"tech_lead","assignee":"bob","outside":true}"#)
            // when the roles are asked for
            let roles = try await api.send(.get, "/api/v1/incidents/\(reference)/roles", token: api.viewer)
            // then all five are needed, four open, and a commander is needed
            #expect(roles.object["size"] as? String == "large" && roles.object["commanderNeeded"] as? Bool == true, "\(roles.text)")
            #expect(
                (roles.object["open"] as? [String]) == ["incident_commander", "operations_lead", "communications_lead", "scribe"])
            // and the pages say so
            let ann = try await PageSession.signIn(api, "ann", role: .responder)
            let page = try await ann.get("/incidents/\(reference)")
            #expect(page.text.contains("A large team&#39;s response needs") || page.text.contains("A large team's response needs"), "\(page.text)")
            #expect(page.text.contains("incident commander (open)") && page.text.contains("tech lead ✓"))
            #expect(try await ann.get("/incidents").text.contains("IC needed"))
            // and a service's size is changed, and a wrong one refused
            let edited = try await api.write(.patch, "/api/v1/services/web", #"{"responseSize":"solo"}"#)
            #expect(edited.object["responseSize"] as? String == "solo")
            _ = try await api.write(.patch, "/api/v1/services/web", #"{"responseSize":"huge"}"#).expectProblem(.badRequest, field: "responseSize")
        }
    }
}

@Suite("Who may hold a role")
struct RoleHolderTests {
    @Test("a role goes to a Muster user, or to an outside person only when the request says so", arguments: [TestBackend.sqlite])
    func holders(backend: TestBackend) async throws {
        try await APIHarness.run(backend) { api in
            // given a P1 and user ann
            _ = try await api.write("/api/v1/users", #"{"id":"ann","name":"Ann","email":"ann@example.com"}"#)
            let reference = try await api.declare()
            // when roles are given
            let toUser = try await api.write("/api/v1/incidents/\(reference)/roles", #"{"role":"incident_commander","assignee":"ann"}"#)
            let unknown = try await api.write("/api/v1/incidents/\(reference)/roles", #"{"role":"tech_lead","assignee":"zed"}"#)
            let outside = try await api.write(
                "/api/v1/incidents/\(reference)/roles", #"{"role":"sme","assignee":"Vendor DBA","outside":true}"#)
            // then a user and an outside person said to be one are taken; a stranger is refused beside the field
            #expect(toUser.status == .ok && outside.status == .ok, "\(toUser.text) \(outside.text)")
            _ = unknown.expectProblem(.badRequest, field: "assignee")
            let timeline = try await api.send(.get, "/api/v1/incidents/\(reference)/timeline", token: api.viewer).array
            #expect(timeline.contains { ($0["text"] as? String) == "Vendor DBA is now subject matter expert (outside Muster)" })
            // and a commander at declaration must be a user too
            _ = try await api.write("/api/v1/incidents", #"{"title":"x","severity":"P3","commander":"zed"}"#).expectProblem(.badRequest, field: "commander")
        }
    }
}
