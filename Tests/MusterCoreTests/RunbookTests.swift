import Foundation
import MusterCore
import Testing

@Suite("Runbooks")
struct RunbookTests {
    let t0 = Fixtures.t0

    @Test("a runbook matches by service, else by an alert label, and says why; its task list becomes checklist items")
    func matching() throws {
        // given
        let runbook = try Runbook(
            id: "api-errors", title: "API errors", services: ["api"], labels: ["alertname": "HighErrorRate"],
            body: "# API errors\n\n- [ ] Error rate by endpoint\n* [ ] Recent deploys\n- plain line\n- [x] Already known\n- [ ]   \n", by: "ann", at: t0)
        // when / then
        #expect(runbook.match(services: ["web", "api"], alertLabels: []) == "service api")
        #expect(runbook.match(services: ["web"], alertLabels: [["alertname": "HighErrorRate", "env": "prod"]]) == "alertname=HighErrorRate")
        #expect(runbook.match(services: ["web"], alertLabels: [["alertname": "DiskFull"]]) == nil)
        #expect(runbook.checklistItems == ["Error rate by endpoint", "Recent deploys", "Already known"])
    }

    @Test("a runbook names what it is for, has a body, and a valid id")
    func validation() {
        #expect(throws: IncidentError.self) { try Runbook(id: "x", title: "X", body: "text", by: "ann", at: t0) }
        #expect(throws: IncidentError.self) { try Runbook(id: "x", title: "X", services: ["api"], body: " ", by: "ann", at: t0) }
        #expect(throws: IncidentError.self) { try Runbook(id: "Bad Id", title: "X", services: ["api"], body: "b", by: "ann", at: t0) }
    }
}
