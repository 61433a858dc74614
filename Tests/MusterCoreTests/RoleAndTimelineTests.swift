import Foundation
import Testing

@testable import MusterCore

@Suite("Roles and timeline entries")
struct RoleAndTimelineTests {
    let t0 = Fixtures.t0

    @Test("assigning a held single role hands it over; experts accumulate")
    func assignAndHandOver() throws {
        var incident = try Fixtures.incident()
        _ = try incident.assign(.commander, to: "alice", by: "x", at: t0)
        let handover = try incident.assign(.commander, to: "bob", by: "x", at: t0)
        _ = try incident.assign(.subjectMatterExpert, to: "dba", by: "x", at: t0)
        _ = try incident.assign(.subjectMatterExpert, to: "net", by: "x", at: t0)
        #expect(incident.holders(of: .commander) == ["bob"])
        #expect(handover[0].details["previous"] == "alice")
        #expect(handover[0].text == "Incident commander handed over from alice to bob")
        #expect(incident.holders(of: .subjectMatterExpert) == ["dba", "net"])
        #expect(throws: IncidentError.roleAlreadyHeld(role: .commander, assignee: "bob")) {
            try incident.assign(.commander, to: "bob", by: "x", at: t0)
        }
    }

    @Test("unassigning needs a holder, and a name when several hold the role")
    func unassign() throws {
        var incident = try Fixtures.incident()
        #expect(throws: IncidentError.roleNotAssigned(role: .scribe, assignee: nil)) {
            try incident.unassign(.scribe, assignee: nil, by: "x", at: t0)
        }
        _ = try incident.assign(.subjectMatterExpert, to: "dba", by: "x", at: t0)
        _ = try incident.assign(.subjectMatterExpert, to: "net", by: "x", at: t0)
        let error = #expect(throws: IncidentError.self) { try incident.unassign(.subjectMatterExpert, assignee: nil, by: "x", at: t0) }
        #expect(error?.field == "assignee")
        _ = try incident.unassign(.subjectMatterExpert, assignee: "dba", by: "x", at: t0)
        #expect(incident.holders(of: .subjectMatterExpert) == ["net"])
    }

    @Test("hand-written entries carry their state and result; system kinds are refused")
    func record() throws {
        let incident = try Fixtures.incident()
        let hypothesis = try incident.record(kind: .hypothesis, text: "DNS", hypothesis: nil, result: nil, by: "b", at: t0)
        let action = try incident.record(kind: .action, text: "Rollback", hypothesis: nil, result: .succeeded, by: "b", at: t0)
        #expect(hypothesis.details == ["state": "open"])
        #expect(action.details == ["result": "succeeded"])
        #expect(throws: IncidentError.self) {
            try incident.record(kind: .statusChange, text: "x", hypothesis: nil, result: nil, by: "b", at: t0)
        }
        #expect(throws: IncidentError.self) {
            try incident.record(kind: .note, text: "x", hypothesis: .confirmed, result: nil, by: "b", at: t0)
        }
        #expect(throws: IncidentError.self) {
            try incident.record(kind: .note, text: "", hypothesis: nil, result: nil, by: "b", at: t0)
        }
    }

    @Test("settling a hypothesis updates it and notes the change")
    func settle() throws {
        let incident = try Fixtures.incident()
        let draft = try incident.record(kind: .hypothesis, text: "DNS", hypothesis: nil, result: nil, by: "b", at: t0)
        let entry = TimelineEntry(id: UUID(), incidentID: incident.id, draft: draft)
        let (updated, note) = try incident.settle(hypothesis: entry, as: .ruledOut, by: "c", at: t0)
        #expect(updated.details["state"] == "ruled_out")
        #expect(note.text == "Hypothesis ruled out: DNS")
        #expect(throws: IncidentError.self) { try incident.settle(hypothesis: updated, as: .ruledOut, by: "c", at: t0) }
    }
}

@Suite("Duration text")
struct DurationTextTests {
    @Test("parses units", arguments: [("90s", 90), ("15m", 900), ("4h", 14_400), ("7d", 604_800), ("1w", 604_800)])
    func parse(text: String, seconds: Int) {
        #expect(DurationText.parse(text) == seconds)
    }

    @Test("rejects nonsense and numbers without a unit", arguments: ["", "m", "5x", "-5m", "99999999999999999999d", "120", "0"])
    func reject(text: String) {
        #expect(DurationText.parse(text) == nil)
    }

    @Test("formats in the largest exact unit")
    func format() {
        #expect(DurationText.format(900) == "15m")
        #expect(DurationText.format(5_400) == "90m")
        #expect(DurationText.format(86_400) == "1d")
        #expect(DurationText.format(61) == "61s")
    }
}
