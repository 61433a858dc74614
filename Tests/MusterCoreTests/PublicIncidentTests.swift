import Foundation
import Testing

@testable import MusterCore

@Suite("Incidents on the status page")
struct PublicIncidentTests {
    let t0 = Fixtures.t0
    let rollup = StatusRollup.standard(for: .standard)

    func entry(_ kind: TimelineKind, at: Date, _ details: [String: String], text: String = "x") -> TimelineEntry {
        TimelineEntry(id: UUID(), incidentID: UUID(), draft: TimelineDraft(kind: kind, at: at, author: "ann", text: text, details: details))
    }

    @Test("nothing shows before an external update; then every external update in order, with each component's status before and after")
    func entryFromTimeline() throws {
        // given a P1 whose timeline has an internal update, then two external ones naming checkout
        var incident = try Fixtures.incident(severity: "P1", at: t0)
        let internalOnly = [entry(.updatePublished, at: t0 + 60, ["audience": "internal", "phase": "investigating"])]
        #expect(PublicIncident(incident, timeline: internalOnly, rollup: rollup) == nil)
        let timeline =
            internalOnly + [
                entry(.note, at: t0 + 90, [:]),
                entry(
                    .updatePublished, at: t0 + 120,
                    ["audience": "external", "phase": "investigating", "components": "checkout=major_outage"], text: "Looking."),
                entry(
                    .updatePublished, at: t0 + 600,
                    ["audience": "both", "phase": "monitoring", "components": "checkout=degraded_performance"], text: "Fixed; watching."),
            ]
        incident.publicName = "Payments are failing"
        incident.communication = CommunicationRecord(startedAt: t0)
        incident.communication?.promisedExternalAt = t0 + 1_800
        // when it is read for the page
        let page = try #require(PublicIncident(incident, timeline: timeline, rollup: rollup))
        // then it shows under its public name, from its first external update, in the phase of the last
        #expect(page.name == "Payments are failing" && page.createdAt == t0 + 120 && page.status == .monitoring)
        #expect(page.updates.map(\.body) == ["Looking.", "Fixed; watching."] && page.impact == .critical)
        #expect(page.updates[1].affected == [AffectedComponent(id: "checkout", oldStatus: .majorOutage, newStatus: .degradedPerformance)])
        #expect(page.updates[0].affected == [AffectedComponent(id: "checkout", oldStatus: .operational, newStatus: .majorOutage)])
        #expect(page.monitoringAt == t0 + 600 && page.components == ["checkout"])
        // and the next update is late once its promised time passes
        #expect(!page.isLate(at: t0 + 1_800) && page.isLate(at: t0 + 1_801))
    }
}
