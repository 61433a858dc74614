import Foundation
import MusterTestSupport
import Testing

@Suite("On call: editing schedules, overrides, policies and teams")
struct OnCallEditingAPITests {
    func people(_ api: APIHarness) async throws {
        for id in ["ann", "bob", "cy"] {
            let reply = try await api.write("/api/v1/users", #"{"id":"\#(id)","name":"\#(id.capitalized)","email":"\#(id)@example.com"}"#)
            #expect(reply.status == .created, "\(reply.text)")
        }
        let schedule = try await api.write(
            "/api/v1/schedules",
            #"""
            {"id":"primary","name":"Primary","layers":[{"name":"weekly","users":["ann","bob"],"shiftLength":1,"unit":"weeks",
             "start":"2026-11-16T09:00:00Z","timeZone":"UTC"}]}
            """#)
        #expect(schedule.status == .created, "\(schedule.text)")
    }

    @Test("overrides have ids, and can be listed, changed and removed", arguments: TestBackend.all)
    func overrides(backend: TestBackend) async throws {
        try await APIHarness.run(backend) { api in
            // given a schedule with one override
            try await people(api)
            _ = try await api.write(
                "/api/v1/schedules/primary/overrides", #"{"user":"cy","start":"2030-01-01T00:00:00Z","end":"2030-01-02T00:00:00Z"}"#)
            let listed = try await api.send(.get, "/api/v1/schedules/primary/overrides", token: api.viewer).array
            let id = try #require(listed.first?["id"] as? String)
            // when it moves to another person and day
            let changed = try await api.write(
                .patch, "/api/v1/schedules/primary/overrides/\(id)", #"{"user":"ann","end":"2030-01-03T00:00:00Z"}"#)
            // then the same override holds the new values
            #expect(changed.status == .ok, "\(changed.text)")
            let after = try await api.send(.get, "/api/v1/schedules/primary/overrides", token: api.viewer).array
            #expect(after.count == 1)
            #expect(after.first?["id"] as? String == id)
            #expect(after.first?["user"] as? String == "ann")
            #expect(after.first?["end"] as? String == "2030-01-03T00:00:00Z")
            try await api.write(.patch, "/api/v1/schedules/primary/overrides/\(id)", #"{"end":"2029-01-01T00:00:00Z"}"#)
                .expectProblem(.badRequest, field: "end")
            try await api.write(.patch, "/api/v1/schedules/primary/overrides/\(id)", #"{"user":"zed"}"#).expectProblem(.badRequest)
            // when it is removed
            #expect(try await api.write(.delete, "/api/v1/schedules/primary/overrides/\(id)").status == .ok)
            // then none is left, and removing it again is not found
            #expect(try await api.send(.get, "/api/v1/schedules/primary/overrides", token: api.viewer).array.isEmpty)
            try await api.write(.delete, "/api/v1/schedules/primary/overrides/\(id)").expectProblem(.notFound)
        }
    }

    @Test("a schedule is renamed; it is deleted only when no policy names it", arguments: TestBackend.all)
    func schedules(backend: TestBackend) async throws {
        try await APIHarness.run(backend) { api in
            // given a schedule a policy pages
            try await people(api)
            _ = try await api.write(
                "/api/v1/escalation-policies",
                #"{"id":"web","name":"Web","levels":[{"targets":[{"type":"schedule","id":"primary"}],"delayMinutes":5}]}"#)
            // when
            let renamed = try await api.write(
                .patch, "/api/v1/schedules/primary", #"{"name":"Primary on call","timeZone":"Europe/Berlin"}"#)
            let refused = try await api.write(.delete, "/api/v1/schedules/primary")
            // then
            #expect(renamed.object["name"] as? String == "Primary on call")
            #expect(renamed.object["timeZone"] as? String == "Europe/Berlin")
            #expect(refused.expectProblem(.conflict).contains("1 escalation policy (web)"))
            // and once the policy is gone, the schedule can go too
            #expect(try await api.write(.delete, "/api/v1/escalation-policies/web").status == .noContent)
            #expect(try await api.write(.delete, "/api/v1/schedules/primary").status == .noContent)
            try await api.send(.get, "/api/v1/schedules/primary", token: api.viewer).expectProblem(.notFound)
        }
    }

    @Test("a policy is edited in place as a new version; running escalations keep theirs", arguments: TestBackend.all)
    func policyVersions(backend: TestBackend) async throws {
        try await APIHarness.run(backend) { api in
            // given a service paged through policy web, and an incident escalating with it
            try await people(api)
            _ = try await api.write("/api/v1/users/ann/contact-methods", #"{"kind":"webhook","address":"http://127.0.0.1:9/a"}"#)
            _ = try await api.write(
                "/api/v1/escalation-policies",
                #"{"id":"web","name":"Web","levels":[{"targets":[{"type":"user","id":"ann"}],"delayMinutes":5}]}"#)
            _ = try await api.write("/api/v1/services", #"{"id":"web","name":"Web"}"#)
            _ = try await api.write(.put, "/api/v1/services/web/escalation-policy", #"{"escalationPolicy":"web"}"#)
            let incident = try await api.declare(#"{"title":"Web down","severity":"P1","services":["web"]}"#)
            // when the policy is edited to page bob, then cy
            let edited = try await api.write(
                .put, "/api/v1/escalation-policies/web",
                #"""
                {"id":"web","name":"Web v2","levels":[{"targets":[{"type":"user","id":"bob"}],"delayMinutes":5},
                 {"targets":[{"type":"user","id":"cy"}],"delayMinutes":10}]}
                """#)
            // then it is version 2, and the running escalation still walks version 1
            #expect(edited.status == .ok, "\(edited.text)")
            #expect(edited.object["version"] as? Int == 2)
            #expect((edited.object["levels"] as? [Any])?.count == 2)
            let escalation = try await api.send(.get, "/api/v1/incidents/\(incident)/escalation", token: api.viewer).object
            #expect((escalation["policy"] as? [String: Any])?["version"] as? Int == 1)
            try await api.write(
                .put, "/api/v1/escalation-policies/web",
                #"{"id":"other","name":"x","levels":[{"targets":[{"type":"user","id":"bob"}],"delayMinutes":5}]}"#
            )
            .expectProblem(.badRequest, field: "id")
            // and a policy a service uses cannot be deleted
            #expect(try await api.write(.delete, "/api/v1/escalation-policies/web").expectProblem(.conflict).contains("1 service (web)"))
        }
    }

    @Test("a team as an escalation target pages its active members; teams are edited and deleted when unused", arguments: TestBackend.all)
    func teams(backend: TestBackend) async throws {
        try await APIHarness.run(backend) { api in
            // given team ops of ann and bob, each with a webhook, paged by policy web for service web
            try await people(api)
            for id in ["ann", "bob"] {
                _ = try await api.write("/api/v1/users/\(id)/contact-methods", #"{"kind":"webhook","address":"http://127.0.0.1:9/\#(id)"}"#)
            }
            _ = try await api.write("/api/v1/teams", #"{"id":"ops","name":"Ops","members":["ann","bob"]}"#)
            let policy = try await api.write(
                "/api/v1/escalation-policies",
                #"{"id":"web","name":"Web","levels":[{"targets":[{"type":"team","id":"ops"}],"delayMinutes":5}]}"#)
            #expect(policy.status == .created, "\(policy.text)")
            _ = try await api.write("/api/v1/services", #"{"id":"web","name":"Web"}"#)
            _ = try await api.write(.put, "/api/v1/services/web/escalation-policy", #"{"escalationPolicy":"web"}"#)
            // when an incident opens
            let incident = try await api.declare(#"{"title":"Web down","severity":"P1","services":["web"]}"#)
            // then both members are paged
            let pages = try await api.send(.get, "/api/v1/incidents/\(incident)/pages", token: api.viewer).array
            #expect(Set(pages.compactMap { $0["user"] as? String }) == ["ann", "bob"])
            // and the team can be renamed and its members replaced, but not deleted while a policy names it
            let edited = try await api.write(.patch, "/api/v1/teams/ops", #"{"name":"Operations","members":["cy"]}"#)
            #expect(edited.object["members"] as? [String] == ["cy"])
            try await api.write(.patch, "/api/v1/teams/ops", #"{"members":["zed"]}"#).expectProblem(.badRequest, field: "members")
            #expect(try await api.write(.delete, "/api/v1/teams/ops").expectProblem(.conflict).contains("escalation policy (web)"))
            try await api.write(
                "/api/v1/escalation-policies",
                #"{"id":"bad","name":"Bad","levels":[{"targets":[{"type":"team","id":"nope"}],"delayMinutes":5}]}"#
            )
            .expectProblem(.badRequest)
        }
    }
}
