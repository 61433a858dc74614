import Foundation
import MusterTestSupport
import Testing

@Suite("People: editing and deactivation")
struct DeactivationAPITests {
    /// Ann, Bob and Cy; Ann and Bob take turns on `primary`, Ann has an override next week; policy
    /// `web` pages Ann, then the schedule and Bob; team `ops` is Ann and Cy; policy `db` pages only Cy.
    func roster(_ api: APIHarness) async throws {
        for id in ["ann", "bob", "cy"] {
            let reply = try await api.write("/api/v1/users", #"{"id":"\#(id)","name":"\#(id.capitalized)","email":"\#(id)@example.com"}"#)
            #expect(reply.status == .created, "\(reply.text)")
        }
        let schedule = try await api.write(
            "/api/v1/schedules",
            #"""
            {"id":"primary","name":"Primary","layers":[{"name":"weekly","users":["ann","bob"],"shiftLength":1,"unit":"weeks",
             "start":"2026-11-16T09:00:00Z","timeZone":"UTC"}],
             "overrides":[{"user":"ann","start":"2030-01-01T00:00:00Z","end":"2030-01-02T00:00:00Z"}]}
            """#)
        #expect(schedule.status == .created, "\(schedule.text)")
        for body in [
            #"{"id":"web","name":"Web","levels":[{"targets":[{"type":"user","id":"ann"}],"delayMinutes":5},{"targets":[{"type":"schedule","id":"primary"},{"type":"user","id":"bob"}],"delayMinutes":5}]}"#,
            #"{"id":"db","name":"DB","levels":[{"targets":[{"type":"user","id":"cy"}],"delayMinutes":5}]}"#,
        ] {
            let reply = try await api.write("/api/v1/escalation-policies", body)
            #expect(reply.status == .created, "\(reply.text)")
        }
        #expect(try await api.write("/api/v1/teams", #"{"id":"ops","name":"Ops","members":["ann","cy"]}"#).status == .created)
    }

    @Test("a person's name, email and time zone can be changed", arguments: TestBackend.all)
    func editUser(backend: TestBackend) async throws {
        try await APIHarness.run(backend) { api in
            // given
            _ = try await api.write("/api/v1/users", #"{"id":"ann","name":"Ann","email":"ann@example.com"}"#)
            // when
            let edited = try await api.write(.patch, "/api/v1/users/ann", #"{"name":"Ann Lee","timeZone":"Europe/Berlin"}"#)
            // then
            #expect(edited.status == .ok, "\(edited.text)")
            #expect(edited.object["name"] as? String == "Ann Lee")
            #expect(edited.object["timeZone"] as? String == "Europe/Berlin")
            #expect(edited.object["email"] as? String == "ann@example.com")
            try await api.write(.patch, "/api/v1/users/ann", #"{"timeZone":"Moon/Base"}"#).expectProblem(.badRequest, field: "timeZone")
            try await api.write(.patch, "/api/v1/users/ann", #"{"email":"nope"}"#).expectProblem(.badRequest, field: "address")
            try await api.write(.patch, "/api/v1/users/zed", #"{"name":"Zed"}"#).expectProblem(.notFound)
        }
    }

    @Test("a deactivated person leaves every schedule, policy and team, with a list of what changed", arguments: TestBackend.all)
    func deactivate(backend: TestBackend) async throws {
        try await APIHarness.run(backend) { api in
            // given
            try await roster(api)
            // when
            let reply = try await api.write("/api/v1/users/ann/deactivate")
            // then the answer lists each change
            #expect(reply.status == .ok, "\(reply.text)")
            let changes = try #require(reply.object["changes"] as? [String])
            #expect(
                changes == [
                    "schedule primary: left layer 'weekly', the rotation goes on with bob",
                    "schedule primary: 1 override removed",
                    "policy web: level 1 removed, it paged only ann",
                    "left team ops",
                ])
            #expect((reply.object["user"] as? [String: Any])?["deactivatedAt"] as? String != nil)
            // and the schedule, policy and team no longer name her
            let schedule = try await api.send(.get, "/api/v1/schedules/primary", token: api.viewer).object
            let layers = (schedule["schedule"] as? [String: Any])?["layers"] as? [[String: Any]]
            #expect(layers?.first?["users"] as? [String] == ["bob"])
            #expect(((schedule["schedule"] as? [String: Any])?["overrides"] as? [Any])?.isEmpty == true)
            let policy = try await api.send(.get, "/api/v1/escalation-policies/web", token: api.viewer).object
            #expect((policy["levels"] as? [Any])?.count == 1)
            let team = try await api.send(.get, "/api/v1/teams/ops", token: api.viewer).object
            #expect(team["members"] as? [String] == ["cy"])
            // and she cannot be named again until reactivated
            try await api.write("/api/v1/teams", #"{"id":"sre","name":"SRE","members":["ann"]}"#).expectProblem(
                .badRequest, field: "members")
            try await api.write("/api/v1/users/ann/deactivate").expectProblem(.conflict)
            #expect(try await api.write("/api/v1/users/ann/reactivate").status == .ok)
            #expect(try await api.write("/api/v1/teams", #"{"id":"sre","name":"SRE","members":["ann"]}"#).status == .created)
        }
    }

    @Test("deactivating the only person a policy pages is refused and changes nothing", arguments: TestBackend.all)
    func onlyTarget(backend: TestBackend) async throws {
        try await APIHarness.run(backend) { api in
            // given
            try await roster(api)
            // when
            let detail = try await api.write("/api/v1/users/cy/deactivate").expectProblem(.badRequest, field: "user")
            // then
            #expect(detail.contains("escalation policy 'db'"))
            let team = try await api.send(.get, "/api/v1/teams/ops", token: api.viewer).object
            #expect(team["members"] as? [String] == ["ann", "cy"])
            let user = try await api.send(.get, "/api/v1/users/cy", token: api.viewer).object
            #expect(user["deactivatedAt"] == nil)
        }
    }
}
