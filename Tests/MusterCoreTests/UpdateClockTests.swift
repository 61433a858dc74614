import Foundation
import Testing

@testable import MusterCore

@Suite("Update clocks")
struct UpdateClockTests {
    let t0 = Fixtures.t0
    func level(_ name: String) throws -> Severity { try SeverityScheme.standard.level(named: name) }

    @Test("each severity's cadence runs from the declaration: P1 15 and 30 min, P2 30 and 60, P3 an hour internal only, P4 a day")
    func cadencesBySeverity() throws {
        for (name, inside, external) in [("P1", 900, 1_800), ("P2", 1_800, 3_600), ("P3", 3_600, nil), ("P4", 86_400, nil)]
            as [(String, Int, Int?)]
        {
            // given an incident declared at t0
            let incident = try Fixtures.incident(severity: name)
            // when its clocks are read a minute later
            let clocks = incident.updateClocks(severity: try level(name), now: t0.addingTimeInterval(60))
            // then each audience with a cadence is due that long after the declaration
            #expect(clocks.map(\.audience) == (external == nil ? ["internal"] : ["internal", "external"]), "\(name)")
            #expect(clocks.first?.dueAt == t0.addingTimeInterval(Double(inside)))
            #expect(clocks.first?.seconds == Double(inside - 60) && clocks.first?.late == false)
            if let external { #expect(clocks.last?.dueAt == t0.addingTimeInterval(Double(external))) }
        }
    }

    @Test("an update restarts its audience's clock; a promised earlier time holds; a missed one is late")
    func updatesMoveTheClock() throws {
        // given a P1 declared at t0
        var incident = try Fixtures.incident(severity: "P1")
        // when an internal update at +10 min promises the next at +20 min
        let entry = try incident.publishUpdate(
            audience: .internal, phase: .investigating, body: "Looking at the database", nextUpdateAt: t0.addingTimeInterval(1_200),
            by: "ann", at: t0.addingTimeInterval(600))
        // then the internal clock is due at the promise, the external one still from the declaration
        #expect(entry.kind == .updatePublished && entry.details["audience"] == "internal" && entry.details["phase"] == "investigating")
        var clocks = incident.updateClocks(severity: try level("P1"), now: t0.addingTimeInterval(700))
        #expect(clocks[0].dueAt == t0.addingTimeInterval(1_200) && clocks[0].promised)
        #expect(clocks[1].dueAt == t0.addingTimeInterval(1_800) && !clocks[1].promised)
        // when nothing more is said until +21 min, the internal update is a minute late
        clocks = incident.updateClocks(severity: try level("P1"), now: t0.addingTimeInterval(1_260))
        #expect(clocks[0].late && clocks[0].seconds == 60)
        // when an update to both audiences comes at +22 min without a promise
        _ = try incident.publishUpdate(
            audience: .both, phase: .identified, body: "Found it", nextUpdateAt: nil, by: "ann", at: t0.addingTimeInterval(1_320))
        // then both clocks run from it by the cadence
        clocks = incident.updateClocks(severity: try level("P1"), now: t0.addingTimeInterval(1_320))
        #expect(clocks[0].dueAt == t0.addingTimeInterval(1_320 + 900) && clocks[1].dueAt == t0.addingTimeInterval(1_320 + 1_800))
    }

    @Test("the clock follows the severity in force, and stops at resolution")
    func severityAndResolution() throws {
        // given a P3 declared at t0, with no external cadence
        var incident = try Fixtures.incident(severity: "P3")
        #expect(incident.updateClocks(severity: try level("P3"), now: t0).count == 1)
        // when it becomes P1, the P1 cadences apply from the same start
        _ = try incident.changeSeverity(to: "P1", reason: "Worse", scheme: .standard, by: "ann", at: t0.addingTimeInterval(300))
        let clocks = incident.updateClocks(severity: try level(incident.severity), now: t0.addingTimeInterval(300))
        #expect(clocks.map(\.dueAt) == [t0.addingTimeInterval(900), t0.addingTimeInterval(1_800)])
        // when it is resolved, no update is owed
        _ = try incident.resolve(resolution: "Fixed", rootCause: nil, by: "ann", at: t0.addingTimeInterval(600))
        #expect(incident.updateClocks(severity: try level("P1"), now: t0.addingTimeInterval(5_000)).isEmpty)
    }

    @Test("an update must say something, promise a later time, and not come after the close")
    func refusedUpdates() throws {
        var incident = try Fixtures.incident()
        #expect(throws: IncidentError.self) {
            _ = try incident.publishUpdate(audience: .internal, phase: .investigating, body: "  ", nextUpdateAt: nil, by: "ann", at: t0)
        }
        #expect(throws: IncidentError.self) {
            _ = try incident.publishUpdate(audience: .internal, phase: .investigating, body: "x", nextUpdateAt: t0, by: "ann", at: t0)
        }
        var closed = try Fixtures.incident(in: .closed)
        #expect(throws: IncidentError.self) {
            _ = try closed.publishUpdate(audience: .external, phase: .resolved, body: "x", nextUpdateAt: nil, by: "ann", at: t0)
        }
    }
}
