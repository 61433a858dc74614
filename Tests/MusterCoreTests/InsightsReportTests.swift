import Foundation
import Testing

@testable import MusterCore

@Suite("The seeds' metrics")
struct InsightsReportTests {
    let t0 = Fixtures.t0

    /// An incident detected `detect` minutes after `start` (minutes from t0), acknowledged, mitigated
    /// and resolved the given minutes after detection (nil: not yet).
    func incident(
        _ severity: String, services: [String], start: Double?, detectedAt: Double, ack: Double?, mitigate: Double?, resolve: Double?
    ) throws -> Incident {
        var incident = try Incident.declare(
            IncidentDeclaration(title: "x", services: services, severity: severity), id: UUID(), number: 1, scheme: .standard, by: "ann",
            at: t0 + detectedAt * 60
        ).0
        incident.impactStartedAt = start.map { t0 + $0 * 60 }
        incident.detectedAt = t0 + detectedAt * 60
        incident.acknowledgedAt = ack.map { incident.detectedAt + $0 * 60 }
        incident.mitigatedAt = mitigate.map { incident.detectedAt + $0 * 60 }
        incident.resolvedAt = resolve.map { incident.detectedAt + $0 * 60 }
        if resolve != nil { incident.status = .resolved }
        return incident
    }

    @Test("counts, frequency, distributions, target shares, post-mortem completion and action items come out as built")
    func knownAnswers() throws {
        // given four incidents over two weeks
        let a = try incident("P1", services: ["api"], start: 0, detectedAt: 5, ack: 2, mitigate: 15, resolve: 42)
        let b = try incident("P1", services: ["api", "db"], start: nil, detectedAt: 100, ack: 10, mitigate: 30, resolve: 120)
        let c = try incident("P2", services: ["web"], start: 200, detectedAt: 230, ack: 5, mitigate: 60, resolve: 90)
        let d = try incident("P3", services: ["web"], start: nil, detectedAt: 400, ack: nil, mitigate: nil, resolve: nil)
        let policy = PostmortemPolicy.standard(for: .standard)
        var onTime = Postmortem(
            id: UUID(), incident: a, sections: [], owner: "ann", required: true, dueAt: t0 + 86_400, followUpAt: t0, at: t0)
        try onTime.publish(findings: 0, override: nil, by: "ann", at: t0 + 3_600)
        var late = Postmortem(
            id: UUID(), incident: b, sections: [], owner: "ann", required: true, dueAt: t0 + 86_400, followUpAt: t0, at: t0)
        try late.publish(findings: 0, override: nil, by: "ann", at: t0 + 2 * 86_400)
        var done = try ActionItem(id: UUID(), title: "x", owner: "ann", dueAt: t0 + 86_400, priority: .p0, incident: a, by: "ann", at: t0)
        try done.move(to: .done, reason: nil, at: t0 + 3_600)
        let overdue = try ActionItem(
            id: UUID(), title: "y", owner: "ann", dueAt: t0 + 86_400, priority: .p1, incident: b, by: "ann", at: t0)
        let elsewhere = try ActionItem(id: UUID(), title: "z", owner: "ann", dueAt: nil, priority: .p2, by: "ann", at: t0)
        // when the report is made for the two weeks
        let report = InsightsReport(
            from: t0, to: t0 + 14 * 86_400, incidents: [a, b, c, d], postmortems: [onTime, late], actionItems: [done, overdue, elsewhere],
            scheme: .standard, policy: policy, now: t0 + 10 * 86_400)
        // then every figure is the one built in
        #expect(report.incidents == 4 && report.perWeek == 2 && report.weekly == [4, 0])
        #expect(report.bySeverity == ["P1": 2, "P2": 1, "P3": 1] && report.byService == ["api": 2, "db": 1, "web": 2])
        #expect(report.timeToDetect.count == 2 && report.timeToDetect.medianSeconds == 300 && report.timeToDetect.maxSeconds == 1_800)
        #expect(
            report.timeToAcknowledge.count == 3 && report.timeToAcknowledge.medianSeconds == 300
                && report.timeToAcknowledge.p90Seconds == 600)
        // acknowledged: a in 2 min (P1 target 5: met), b in 10 (missed), c in 5 (P2 target 15: met); d never,
        // and ten days on its P3 target of an hour has passed: missed too
        #expect(report.timeToAcknowledge.withinTarget == 0.5)
        #expect(report.timeToResolve.count == 3 && report.timeToResolve.maxSeconds == 7_200)
        // resolved within target: a in 42 min (1 h: met), b in 120 min (missed), c in 90 min (4 h: met), d not in a day (missed)
        #expect(report.timeToResolve.withinTarget == 0.5)
        #expect(report.duration.count == 3 && report.duration.fallbacks == 1, "b had no impact start")
        #expect(report.postmortemsRequired == 3 && report.postmortemsPublished == 2 && report.postmortemsOnTime == 1)
        #expect(
            report.actionItemsDone == 1 && report.actionItemsOpen == 1 && report.actionItemsOverdue == 1
                && report.actionItemsDoneOnTime == 1)
    }

    @Test("percentiles are nearest-rank; an empty set has none")
    func percentiles() {
        let stats = DurationStats([10, 20, 30, 40, 50, 60, 70, 80, 90, 100])
        #expect(stats.medianSeconds == 50 && stats.p90Seconds == 90 && stats.maxSeconds == 100)
        #expect(DurationStats([]).medianSeconds == nil && DurationStats([]).count == 0)
    }
}
