import Foundation
import Testing

@testable import MusterCore

@Suite("Escalation")
struct EscalationTests {
    let t0 = Fixtures.t0

    func policy(repeats: Int = 1) throws -> EscalationPolicy {
        try EscalationPolicy(
            id: "web", name: "Web",
            levels: [
                EscalationLevel(targets: [.schedule("primary")], delayMinutes: 5),
                EscalationLevel(targets: [.user("lead"), .schedule("secondary")], delayMinutes: 10),
            ], repeats: repeats)
    }

    @Test("levels fire in order after their delays, then the policy repeats and ends")
    func walk() throws {
        // given
        var escalation = Escalation(incidentID: UUID(), policy: try policy(repeats: 1), startAt: t0)
        // when / then
        #expect(escalation.fire(at: t0)?.targets == [.schedule("primary")])
        #expect(escalation.fire(at: t0.addingTimeInterval(299)) == nil)
        let second = escalation.fire(at: t0.addingTimeInterval(300))
        #expect(second?.targets == [.user("lead"), .schedule("secondary")])
        #expect(second?.next == t0.addingTimeInterval(900))
        let repeatFirst = escalation.fire(at: t0.addingTimeInterval(900))
        #expect(repeatFirst?.round == 1)
        #expect(repeatFirst?.level == 0)
        let last = escalation.fire(at: t0.addingTimeInterval(1_200))
        #expect(last?.ranOut == false)
        #expect(last?.next == t0.addingTimeInterval(1_800))
        // after the last level's wait, nobody having acknowledged, the escalation has run out
        #expect(escalation.fire(at: t0.addingTimeInterval(1_799)) == nil)
        let ranOut = escalation.fire(at: t0.addingTimeInterval(1_800))
        #expect(ranOut?.ranOut == true)
        #expect(ranOut?.targets == [])
        #expect(escalation.dueAt == nil)
        #expect(escalation.fire(at: t0.addingTimeInterval(99_999)) == nil)
    }

    @Test("stopping ends it; escalating by hand makes the next level due at once")
    func stopAndEscalate() throws {
        var escalation = Escalation(incidentID: UUID(), policy: try policy(), startAt: t0)
        _ = escalation.fire(at: t0)
        escalation.escalateNow(at: t0.addingTimeInterval(10))
        #expect(escalation.fire(at: t0.addingTimeInterval(10))?.level == 1)
        escalation.stop()
        #expect(escalation.fire(at: t0.addingTimeInterval(10_000)) == nil)
    }

    @Test("a late engine pages once and counts the next delay from the page")
    func lateEngine() throws {
        var escalation = Escalation(incidentID: UUID(), policy: try policy(), startAt: t0)
        _ = escalation.fire(at: t0)
        let late = escalation.fire(at: t0.addingTimeInterval(3_600))
        #expect(late?.level == 1)
        #expect(late?.next == t0.addingTimeInterval(3_600 + 600))
    }

    @Test("policies validate levels, delays and repeats; targets decode with a clear error")
    func validation() throws {
        #expect(throws: IncidentError.self) { try EscalationPolicy(id: "x", name: "x", levels: [], repeats: 0) }
        #expect(throws: IncidentError.self) { try EscalationLevel(targets: [], delayMinutes: 5) }
        #expect(throws: IncidentError.self) { try EscalationLevel(targets: [.user("a")], delayMinutes: 0) }
        let json = Data(#"{"id":"p","name":"P","levels":[{"targets":[{"type":"group","id":"x"}],"delayMinutes":5}]}"#.utf8)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(EscalationPolicy.self, from: json) }
    }
}

@Suite("Escalation and severity")
struct EscalationSeverityTests {
    let t0 = Fixtures.t0

    func policy() throws -> EscalationPolicy {
        try EscalationPolicy(
            id: "web", name: "Web",
            levels: [
                EscalationLevel(targets: [.user("ann")], delayMinutes: 5),
                EscalationLevel(targets: [.user("bob")], delayMinutes: 5),
            ], repeats: 0)
    }

    @Test("a deferred escalation waits level 1's delay; a raise to a paging severity makes it due now")
    func deferred() throws {
        // given
        var escalation = Escalation(incidentID: UUID(), policy: try policy(), deferredFrom: t0)
        // when / then
        #expect(escalation.dueAt == t0.addingTimeInterval(300))
        #expect(escalation.fire(at: t0.addingTimeInterval(60)) == nil)
        escalation.severityRaised(incidentStatus: .triggered, at: t0.addingTimeInterval(60))
        #expect(escalation.fire(at: t0.addingTimeInterval(60))?.targets == [.user("ann")])
    }

    @Test("a raise after acknowledgement pages level 1 once more, forced")
    func acknowledged() throws {
        // given an escalation past its first level
        var escalation = Escalation(incidentID: UUID(), policy: try policy(), startAt: t0)
        _ = escalation.fire(at: t0)
        // when
        escalation.severityRaised(incidentStatus: .acknowledged, at: t0.addingTimeInterval(60))
        // then
        #expect(escalation.forced)
        #expect(escalation.fire(at: t0.addingTimeInterval(60))?.level == 0)
        #expect(!escalation.forced)
    }

    func alert(_ severity: AlertSeverity) -> Alert {
        let event = AlertEvent(action: .trigger, dedupKey: "k-\(severity)", summary: "Disk \(severity)", source: "test", severity: severity)
        return Alert(id: UUID(), integrationID: UUID(), service: "web", event: event, at: t0)
    }

    @Test("an alert raises an open incident's severity only upward, noting why")
    func raise() throws {
        // given a P3 incident
        let warning = alert(.warning)
        var (incident, _) = Incident.open(from: warning, id: UUID(), number: 1, severity: "P3", groupKey: "", at: t0)
        // when / then
        #expect(incident.raiseSeverity(to: "P4", for: warning, scheme: .standard, at: t0).isEmpty)
        let entries = incident.raiseSeverity(to: "P1", for: alert(.critical), scheme: .standard, at: t0)
        #expect(incident.severity == "P1")
        #expect(entries.first?.kind == .severityChange)
        #expect(entries.first?.details["from"] == "P3")
    }
}

@Suite("Escalation decisions")
struct EscalationDecisionTests {
    let t0 = Fixtures.t0

    func escalation(_ incident: Incident) throws -> Escalation {
        let policy = try EscalationPolicy(
            id: "web", name: "Web",
            levels: [
                EscalationLevel(targets: [.user("ann"), .schedule("primary")], delayMinutes: 5)
            ], repeats: 0)
        return Escalation(incidentID: incident.id, policy: policy, startAt: t0)
    }

    @Test("a triggered incident pages the due step; an acknowledged one stops the escalation")
    func pageOrStop() throws {
        // given
        var incident = try Fixtures.incident()
        var running = try escalation(incident)
        // when / then
        guard case .page(let step) = running.decide(for: &incident, at: t0).0 else {
            Issue.record("expected a page")
            return
        }
        #expect(step.level == 0)
        _ = try incident.acknowledge(by: "ann", at: t0)
        #expect(running.decide(for: &incident, at: t0.addingTimeInterval(300)).0 == .stopped)
        #expect(running.dueAt == nil)
    }

    @Test("an acknowledgement whose timeout passed triggers the incident again and pages from level 1")
    func lapsed() throws {
        // given an acknowledged incident whose escalation is held until a deadline
        var incident = try Fixtures.incident()
        var running = try escalation(incident)
        _ = running.decide(for: &incident, at: t0)
        _ = try incident.acknowledge(by: "ann", at: t0)
        running.hold(until: t0.addingTimeInterval(600))
        // when the deadline passes
        let (decision, entries) = running.decide(for: &incident, at: t0.addingTimeInterval(600))
        // then
        #expect(incident.status == .triggered)
        #expect(entries.first?.details["lapsed"] == "true")
        guard case .page(let step) = decision else {
            Issue.record("expected a page")
            return
        }
        #expect(step.level == 0 && step.round == 0)
    }

    @Test("a step pages each person once, for the target that named them first, and notes targets that named nobody")
    func recipients() throws {
        // given ann named in person and on call on primary, and a schedule with nobody on call
        let step = Escalation.Step(level: 0, round: 0, targets: [.user("ann"), .schedule("primary"), .schedule("empty")], next: nil)
        // when
        let (paged, entries) = step.recipients(
            [.user("ann"): ["ann"], .schedule("primary"): ["ann", "bob"], .schedule("empty"): []], at: t0)
        // then
        #expect(paged.map(\.user) == ["ann", "bob"])
        #expect(paged.map(\.target) == [.user("ann"), .schedule("primary")])
        #expect(
            entries.map(\.text) == [
                "Paged ann (level 1)", "Paged bob via schedule primary (level 1)",
                "Level 1: nobody to page for schedule empty (no one on call)",
            ])
    }
}
