import Foundation
import MusterCore
import Testing

@Suite("Incident checklists")
struct ChecklistTests {
    let t0 = Fixtures.t0

    @Test("the standard lists attach by severity: the protocol of the most severe level only to it, the others to every level")
    func attachment() {
        // given / when
        let first = IncidentChecklist(templates: ChecklistTemplate.standard, severityRank: 1, marks: [])
        let third = IncidentChecklist(templates: ChecklistTemplate.standard, severityRank: 3, marks: [])
        // then
        #expect(first.lists.map(\.id) == ["initial-assessment", "investigation", "sev1-protocol", "resolution"])
        #expect(third.lists.map(\.id) == ["initial-assessment", "investigation", "resolution"])
        #expect(first.lists[1].sections.map(\.title) == ["Recent changes", "System health", "Dependencies", "Data integrity"])
        #expect(first.item("investigation/deployments-in-the-last-four-hours")?.state == .open)
        #expect(third.openResolutionItems.count == 14 && third.progress == (0, third.items.count))
    }

    @Test("an item is ticked, skipped only with a reason, reopened; each on the timeline; unknown items and repeats refused")
    func marks() throws {
        // given a P1 and its checklist
        let incident = try Fixtures.incident()
        var marks: [ChecklistMark] = []
        func checklist() -> IncidentChecklist { IncidentChecklist(templates: ChecklistTemplate.standard, severityRank: 1, marks: marks) }
        let key = "resolution/error-rate-back-at-its-baseline"
        // when an item is ticked
        let (done, entry) = try incident.mark(key, as: .done, reason: nil, in: checklist(), by: "bob", at: t0 + 60)
        marks.append(done)
        // then it is done, by bob, and the timeline says so
        #expect(checklist().item(key)?.state == .done && checklist().item(key)?.by == "bob")
        #expect(entry.text == "Checklist: done: Error rate back at its baseline" && entry.details["checklist"] == key)
        #expect(checklist().openResolutionItems.count == 13)
        // and a repeat, an unknown item and a skip without a reason are refused
        #expect(throws: IncidentError.self) { try incident.mark(key, as: .done, reason: nil, in: checklist(), by: "bob", at: t0) }
        #expect(throws: IncidentError.self) { try incident.mark("resolution/nothing", as: .done, reason: nil, in: checklist(), by: "bob", at: t0) }
        #expect(throws: IncidentError.self) {
            try incident.mark("investigation/queue-depths", as: .skipped, reason: " ", in: checklist(), by: "bob", at: t0)
        }
        // when one is skipped with a reason, it says why
        let (skipped, note) = try incident.mark(
            "investigation/queue-depths", as: .skipped, reason: "no queues in this service", in: checklist(), by: "ann", at: t0 + 90)
        #expect(skipped.reason == "no queues in this service" && note.text.hasSuffix("(no queues in this service)"))
        // and a responder's own item joins a list of its own
        let (added, addedNote) = try incident.addChecklistItem(
            "Check the payment provider's status page", after: marks, by: "ann", at: t0 + 120)
        #expect(added.key == "added/1")
        marks.append(added)
        #expect(checklist().lists.last?.id == "added" && checklist().item(added.key)?.text == "Check the payment provider's status page")
        #expect(addedNote.text == "Checklist: added: Check the payment provider's status page")
        let (reopened, _) = try incident.mark(key, as: .open, reason: nil, in: checklist(), by: "bob", at: t0 + 150)
        #expect(reopened.state == .open)
    }

    @Test("resolving is held by open resolution items and by a stability window not yet over")
    func holds() throws {
        // given an incident mitigated at t0 + 10 min
        var incident = try Fixtures.incident()
        _ = try incident.transition(to: .monitoring, note: nil, by: "ann", at: t0 + 600)
        let none = IncidentChecklist(templates: [], severityRank: 1, marks: [])
        let full = IncidentChecklist(templates: ChecklistTemplate.standard, severityRank: 1, marks: [])
        // when / then
        let early = incident.resolveHolds(checklist: full, stabilityWindow: 900, now: t0 + 900)
        #expect(early.count == 2 && early[0].hasPrefix("14 resolution checklist items are open") && early[1].contains("5m 00s of the 15m 00s"))
        #expect(incident.resolveHolds(checklist: none, stabilityWindow: 900, now: t0 + 1_500).isEmpty)
        #expect(incident.resolveHolds(checklist: none, stabilityWindow: 0, now: t0 + 601).isEmpty)
    }

    @Test("a held resolve needs a reason, leaves the incident as it was without one, and notes the override")
    func forcedResolve() throws {
        // given an incident mitigated at t0 + 10 min, its resolution items all open
        var incident = try Fixtures.incident()
        _ = try incident.transition(to: .monitoring, note: nil, by: "ann", at: t0 + 600)
        let full = IncidentChecklist(templates: ChecklistTemplate.standard, severityRank: 1, marks: [])
        let before = incident
        // when it is resolved without a reason, then with a blank one
        for force in [nil, "  "] {
            #expect(throws: IncidentError.self) {
                try incident.resolve(
                    resolution: "Rolled back", rootCause: nil, checklist: full, stabilityWindow: 900, force: force, by: "ann", at: t0 + 700)
            }
        }
        // then nothing changed
        #expect(incident == before)
        // when a bad time is given, that is named first
        do {
            _ = try incident.resolve(resolution: nil, rootCause: nil, checklist: full, stabilityWindow: 900, force: nil, by: "ann", at: t0 + 300)
            Issue.record("a resolve before the mitigation was accepted")
        } catch { #expect(error.field == "at", "\(error)") }
        // when a reason is given
        let entries = try incident.resolve(
            resolution: "Rolled back", rootCause: nil, checklist: full, stabilityWindow: 900, force: "Verified by hand", by: "ann", at: t0 + 700)
        // then it is resolved and the override is noted first, with both holds and the reason
        #expect(incident.status == .resolved && entries.count == 2)
        #expect(entries[0].kind == .note && entries[0].text.hasPrefix("Resolved although 14 resolution checklist items are open"))
        #expect(entries[0].text.contains("; and it has been stable for 1m 40s") && entries[0].text.hasSuffix(": Verified by hand"))
    }

    @Test("a template refuses a bad id, no sections and an item twice")
    func templateValidation() {
        #expect(throws: IncidentError.self) { try ChecklistTemplate(id: "Bad Id", title: "x", phase: .triage, sections: [.init(title: "a", items: ["b"])]) }
        #expect(throws: IncidentError.self) { try ChecklistTemplate(id: "x", title: "x", phase: .triage, sections: []) }
        #expect(throws: IncidentError.self) {
            try ChecklistTemplate(id: "x", title: "x", phase: .triage, sections: [.init(title: "a", items: ["Same item", "same item!"])])
        }
    }
}
