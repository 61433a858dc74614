import Foundation
import HTTPTypes
import MusterCore
import MusterHTTP
import MusterStore
import MusterTestSupport
import Testing

@Suite("An incident's checklists on its page")
struct ChecklistPageTests {
    @Test("a responder ticks an item, is asked why when skipping without a reason, skips it, adds one; a viewer sees no form",
        arguments: PageTestBackends.pages)
    func checklist(backend: TestBackend) async throws {
        try await APIHarness.run(backend) { api in
            // given a P1 and ann, a responder, and vic, a viewer
            let reference = try await api.declare()
            let ann = try await PageSession.signIn(api, "ann", role: .responder)
            let vic = try await PageSession.signIn(api, "vic", role: .viewer)
            let page = try await ann.get("/incidents/\(reference)")
            #expect(page.text.contains("Most severe level: response protocol") && page.text.contains("Assess the blast radius"))
            // when she ticks one
            let ticked = try await ann.post(
                "/incidents/\(reference)/checklist", [("item", "sev1-protocol/assess-the-blast-radius"), ("state", "done"), ("reason", "")])
            #expect(ticked.status == .seeOther, "\(ticked.text)")
            // and skips one without a reason, then with one
            let refused = try await ann.post(
                "/incidents/\(reference)/checklist", [("item", "sev1-protocol/start-the-call-bridge"), ("state", "skipped"), ("reason", "")])
            #expect(refused.status == .badRequest && refused.text.contains("is required to skip an item"), "\(refused.status)")
            _ = try await ann.post(
                "/incidents/\(reference)/checklist",
                [("item", "sev1-protocol/start-the-call-bridge"), ("state", "skipped"), ("reason", "everyone is in the room")])
            _ = try await ann.post("/incidents/\(reference)/checklist-item", [("text", "Call the card processor")])
            // then the page shows each as left, with who did it, and the timeline says so
            let after = try await ann.get("/incidents/\(reference)")
            #expect(after.text.contains("(done by ann)") && after.text.contains("(skipped by ann: everyone is in the room)"), "\(after.text)")
            #expect(after.text.contains("Call the card processor") && after.text.contains("Checklist: done: Assess the blast radius"))
            #expect(after.text.contains("2 of 45 items done or skipped"))
            // and a viewer reads it without a form
            let viewed = try await vic.get("/incidents/\(reference)")
            #expect(viewed.text.contains("(done by ann)") && !viewed.text.contains("action=\"/incidents/\(reference)/checklist\""))
        }
    }
}
