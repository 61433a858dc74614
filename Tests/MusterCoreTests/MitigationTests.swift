import Foundation
import MusterCore
import Testing

@Suite("Typed mitigations")
struct MitigationTests {
    let t0 = Fixtures.t0

    @Test("an action names its mitigation and target; one that worked moves the incident to monitoring as mitigated")
    func mitigated() throws {
        // given an incident being investigated
        var incident = try Fixtures.incident()
        _ = try incident.transition(to: .investigating, note: nil, by: "ann", at: t0 + 60)
        // when a rollback that worked is recorded as the mitigation
        let entry = try incident.record(
            kind: .action, text: "Rolled back to v2.33", hypothesis: nil, result: .succeeded, mitigation: .rollback, target: "api",
            by: "ann", at: t0 + 600)
        let entries = try incident.mitigated(by: entry, at: t0 + 600)
        // then the entry carries both, and the incident is monitoring since then
        #expect(entry.details == ["result": "succeeded", "mitigation": "rollback", "target": "api"])
        #expect(entries.count == 2 && entries[1].text == "Status changed from investigating to monitoring: Mitigated by the rollback: Rolled back to v2.33")
        #expect(incident.status == .monitoring && incident.mitigatedAt == t0 + 600)
        // and the post-mortem's timeline says what kind of mitigation it was
        #expect(PostmortemDraft.moment(TimelineEntry(id: UUID(), incidentID: incident.id, draft: entry)) == "Mitigation, rollback of api (succeeded): Rolled back to v2.33")
    }

    @Test("a mitigation or target on another kind, and marking mitigated by an action that did not succeed, are refused")
    func refusals() throws {
        var incident = try Fixtures.incident()
        #expect(throws: IncidentError.invalidField(field: "mitigation", reason: "only applies to action entries.")) {
            try incident.record(kind: .note, text: "x", hypothesis: nil, result: nil, mitigation: .restart, by: "ann", at: t0)
        }
        let failed = try incident.record(
            kind: .action, text: "Restarted the pods", hypothesis: nil, result: .failed, mitigation: .restart, by: "ann", at: t0 + 60)
        #expect(throws: IncidentError.self) { try incident.mitigated(by: failed, at: t0 + 60) }
        #expect(incident.status == .triggered && incident.mitigatedAt == nil)
        #expect(MitigationKind.allCases.allSatisfy { !$0.fits.isEmpty && !$0.risk.isEmpty })
    }
}
