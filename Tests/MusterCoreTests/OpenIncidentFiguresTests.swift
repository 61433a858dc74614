import Foundation
import MusterCore
import Testing

@Suite("Open incident figures")
struct OpenIncidentFiguresTests {
    let now = Date(timeIntervalSince1970: 1_800_000_000)

    @Test("open incidents are counted by severity, every level listed, and breached targets counted")
    func figures() {
        // given: P1 targets acknowledge in 5 min and resolve in 1 h
        let clocks = [
            // unacknowledged for 10 min: acknowledge breached
            OpenIncidentClock(severity: "P1", detectedAt: now.addingTimeInterval(-600), acknowledgedAt: nil),
            // acknowledged in time, open for 2 h: resolve breached
            OpenIncidentClock(
                severity: "P1", detectedAt: now.addingTimeInterval(-7_200), acknowledgedAt: now.addingTimeInterval(-7_100)),
            // just opened: nothing breached
            OpenIncidentClock(severity: "P3", detectedAt: now.addingTimeInterval(-60), acknowledgedAt: nil),
        ]
        // when
        let figures = OpenIncidentFigures(clocks, scheme: .standard, now: now)
        // then
        #expect(figures.bySeverity == ["P1": 2, "P2": 0, "P3": 1, "P4": 0])
        #expect(figures.acknowledgeBreached == 1)
        #expect(figures.resolveBreached == 1)
    }

    @Test("an incident of a level the scheme no longer has is counted, but breaches nothing")
    func retiredLevel() {
        let figures = OpenIncidentFigures(
            [OpenIncidentClock(severity: "SEV9", detectedAt: now.addingTimeInterval(-86_400), acknowledgedAt: nil)],
            scheme: .standard, now: now)
        #expect(figures.bySeverity["SEV9"] == 1)
        #expect(figures.acknowledgeBreached == 0 && figures.resolveBreached == 0)
    }
}
