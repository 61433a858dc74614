import Foundation
import Testing

@testable import MusterCore

@Suite("Response targets")
struct ResponseTargetTests {
    let t0 = Fixtures.t0
    let p1 = try! SeverityScheme.standard.level(named: "P1")  // acknowledge 5m, resolve 1h

    @Test("unacknowledged: running until the deadline, breached a moment after")
    func acknowledgeRunning() throws {
        let incident = try Fixtures.incident()
        let before = ResponseTargets(incident: incident, severity: p1, now: t0.addingTimeInterval(120))
        let atDeadline = ResponseTargets(incident: incident, severity: p1, now: t0.addingTimeInterval(300))
        let after = ResponseTargets(incident: incident, severity: p1, now: t0.addingTimeInterval(300.001))
        #expect(before.acknowledge.state == .running)
        #expect(before.acknowledge.remainingSeconds == 180)
        #expect(atDeadline.acknowledge.state == .running)
        #expect(atDeadline.acknowledge.remainingSeconds == 0)
        #expect(after.acknowledge.state == .breached)
        #expect(abs(after.acknowledge.overdueSeconds - 0.001) < 1e-6)
        #expect(after.acknowledge.deadline == t0.addingTimeInterval(300))
    }

    @Test("acknowledged exactly at the deadline is met; a millisecond later is breached")
    func acknowledgeBoundary() throws {
        var onTime = try Fixtures.incident()
        _ = try onTime.acknowledge(by: "b", at: t0.addingTimeInterval(300))
        var late = try Fixtures.incident()
        _ = try late.acknowledge(by: "b", at: t0.addingTimeInterval(300.001))
        let later = t0.addingTimeInterval(10_000)
        #expect(ResponseTargets(incident: onTime, severity: p1, now: later).acknowledge.state == .met)
        let breached = ResponseTargets(incident: late, severity: p1, now: later).acknowledge
        #expect(breached.state == .breached)
        // Overdue is measured to the acknowledgement, not to now.
        #expect(abs(breached.overdueSeconds - 0.001) < 1e-6)
    }

    @Test("resolve target: met, breached, and running again after a reopen")
    func resolveTarget() throws {
        var incident = try Fixtures.incident(in: .monitoring)
        _ = try incident.transition(to: .resolved, note: nil, by: "b", at: t0.addingTimeInterval(3_600))
        #expect(ResponseTargets(incident: incident, severity: p1, now: t0.addingTimeInterval(9_999)).resolve.state == .met)
        _ = try incident.reopen(reason: "back", windowSeconds: 3_600, by: "b", at: t0.addingTimeInterval(3_700))
        let reopened = ResponseTargets(incident: incident, severity: p1, now: t0.addingTimeInterval(3_700))
        #expect(reopened.resolve.state == .breached)
        #expect(reopened.resolve.overdueSeconds == 100)
    }
}
