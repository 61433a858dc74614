import Foundation
import HTTPTypes
import MusterCore
import MusterHTTP
import MusterStore
import MusterTestSupport
import Testing

@Suite("Typed mitigations on the incident page")
struct MitigationPageTests {
    @Test("the entry form offers the mitigations with their notes; a rollback that worked marks the incident mitigated",
        arguments: PageTestBackends.pages)
    func mitigation(backend: TestBackend) async throws {
        try await APIHarness.run(backend) { api in
            // given a P1 and ann, a responder
            let reference = try await api.declare()
            let ann = try await PageSession.signIn(api, "ann", role: .responder)
            let page = try await ann.get("/incidents/\(reference)")
            #expect(page.text.contains("Which mitigation fits, and what it risks") && page.text.contains("A recent deploy set it off."))
            // when she records a rollback that worked and marks the incident mitigated
            let posted = try await ann.post(
                "/incidents/\(reference)/timeline",
                [
                    ("kind", "action"), ("text", "Rolled back to v2.33"), ("result", "succeeded"), ("mitigation", "rollback"),
                    ("target", "api"), ("markMitigated", "true"), ("state", ""), ("at", ""),
                ])
            #expect(posted.status == .seeOther, "\(posted.text)")
            // then the incident is monitoring and the timeline shows the mitigation and its target
            #expect(try await api.store.incident(reference)?.status == .monitoring)
            let after = try await ann.get("/incidents/\(reference)")
            #expect(after.text.contains("rollback · api · succeeded"), "\(after.text)")
            // and the monitoring timer says how long to watch before resolving, then that it may be
            #expect(after.text.contains("watch until") && after.text.contains("15 min left</span></span> before resolving"), "\(after.text)")
            api.clock.advance(by: 16 * 60)
            #expect(try await ann.get("/incidents/\(reference)").text.contains("to watch: it may be resolved"))
        }
    }
}
