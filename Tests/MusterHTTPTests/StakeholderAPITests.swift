import Foundation
import HTTPTypes
import MusterCore
import MusterStore
import MusterTestSupport
import Testing

@Suite("Stakeholder groups API")
struct StakeholderAPITests {
    @Test(
        "a group is created, shown masked to a viewer, replaced keeping its members' ids, audited and deleted",
        arguments: PageTestBackends.pages)
    func lifecycle(backend: TestBackend) async throws {
        try await APIHarness.run(backend) { api in
            // given a service
            _ = try await api.write("/api/v1/services", #"{"id":"checkout","name":"Checkout"}"#)
            // when a summary group is created with an email and a Slack member
            let created = try await api.write(
                "/api/v1/stakeholder-groups",
                #"""
                {"id":"leadership","name":"Leadership","mode":"summary","minimumSeverity":"P2","services":["checkout"],
                 "members":[{"kind":"email","address":"ceo@example.com"},{"kind":"slack","address":"https://hooks.example.com/services/T0/B0/secret"}]}
                """#)
            // then it is kept as written
            #expect(created.status == .created, "\(created.text)")
            let members = try #require(created.object["members"] as? [[String: Any]])
            #expect(members.count == 2 && created.object["mode"] as? String == "summary")
            // and a viewer sees the Slack URL masked
            let shown = try await api.send(.get, "/api/v1/stakeholder-groups/leadership", token: api.viewer)
            #expect(shown.text.contains("https://hooks.example.com/…") && !shown.text.contains("secret"), "\(shown.text)")
            // when it is replaced, keeping the email member and dropping the Slack one
            let replaced = try await api.write(
                .put, "/api/v1/stakeholder-groups/leadership",
                #"{"id":"leadership","name":"Execs","mode":"updates","members":[{"kind":"email","address":"ceo@example.com"}]}"#)
            #expect(replaced.status == .ok, "\(replaced.text)")
            let kept = try #require((replaced.object["members"] as? [[String: Any]])?.first)
            #expect(kept["id"] as? String == members.first?["id"] as? String)
            #expect(replaced.object["services"] as? [String] == [] && replaced.object["minimumSeverity"] == nil)
            // then the change is in the audit log
            let audit = try await api.send(.get, "/api/v1/audit?kind=stakeholder-group", token: api.admin).object
            #expect((audit["items"] as? [[String: Any]])?.count == 2, "\(audit)")
            // when it is deleted, it is gone
            #expect(try await api.write(.delete, "/api/v1/stakeholder-groups/leadership").status == .noContent)
            #expect(try await api.send(.get, "/api/v1/stakeholder-groups/leadership", token: api.viewer).status == .notFound)
        }
    }

    @Test("mistakes are refused naming their field; a viewer may not write", arguments: PageTestBackends.pages)
    func refusals(backend: TestBackend) async throws {
        try await APIHarness.run(backend) { api in
            let member = #"[{"kind":"email","address":"a@example.com"}]"#
            // when / then
            let unknown = try await api.write("/api/v1/stakeholder-groups", #"{"id":"a","name":"A","members":\#(member),"severity":"P1"}"#)
            _ = unknown.expectProblem(.badRequest, field: "severity")
            let level = try await api.write(
                "/api/v1/stakeholder-groups", #"{"id":"a","name":"A","members":\#(member),"minimumSeverity":"SEV9"}"#)
            _ = level.expectProblem(.badRequest, field: "minimumSeverity")
            let service = try await api.write(
                "/api/v1/stakeholder-groups", #"{"id":"a","name":"A","members":\#(member),"services":["nowhere"]}"#)
            _ = service.expectProblem(.badRequest, field: "services")
            let empty = try await api.write("/api/v1/stakeholder-groups", #"{"id":"a","name":"A","members":[]}"#)
            _ = empty.expectProblem(.badRequest, field: "members")
            let address = try await api.write(
                "/api/v1/stakeholder-groups", #"{"id":"a","name":"A","members":[{"kind":"webhook","address":"ftp://x"}]}"#)
            _ = address.expectProblem(.badRequest, field: "address")
            let mode = try await api.write("/api/v1/stakeholder-groups", #"{"id":"a","name":"A","members":\#(member),"mode":"everything"}"#)
            _ = mode.expectProblem(.badRequest, field: "mode")
            _ = try await api.write("/api/v1/stakeholder-groups", #"{"id":"a","name":"A","members":\#(member)}"#)
            let renamed = try await api.write(.put, "/api/v1/stakeholder-groups/a", #"{"id":"b","name":"A","members":\#(member)}"#)
            _ = renamed.expectProblem(.badRequest, field: "id")
            let viewer = try await api.send(
                .post, "/api/v1/stakeholder-groups", token: api.viewer, body: #"{"id":"v","name":"V","members":\#(member)}"#)
            #expect(viewer.status == .forbidden)
        }
    }
}
