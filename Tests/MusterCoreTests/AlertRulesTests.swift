import Foundation
import Testing

@testable import MusterCore

@Suite("Alert rules: matchers, silences, grouping, dedup")
struct AlertRulesTests {
    let t0 = Fixtures.t0

    @Test("matchers follow Alertmanager's four operators, anchored regexes and missing labels as empty")
    func matchers() throws {
        let labels = ["alertname": "DiskFull", "env": "prod"]
        #expect(try LabelMatcher.parse("env=prod").matches(labels))
        #expect(try !LabelMatcher.parse("env!=prod").matches(labels))
        #expect(try LabelMatcher.parse("alertname=~\"Disk.*\"").matches(labels))
        #expect(try !LabelMatcher.parse("alertname=~Disk").matches(labels))  // anchored: must match the whole value
        #expect(try LabelMatcher.parse("team!~ops|db").matches(labels))
        #expect(try LabelMatcher.parse("team=").matches(labels))
        #expect(throws: IncidentError.self) { try LabelMatcher.parse("env=~(") }
        #expect(throws: IncidentError.self) { try LabelMatcher.parse("no operator here") }
    }

    @Test("a silence holds only while active and only when every matcher agrees")
    func silences() throws {
        let silence = try Silence(
            id: UUID(), matchers: [LabelMatcher.parse("env=prod"), LabelMatcher.parse("alertname=~Disk.*")],
            startsAt: t0, endsAt: t0.addingTimeInterval(3_600), createdBy: "a", comment: "maintenance",
            expireWhenResolved: false, createdAt: t0)
        let labels = ["alertname": "DiskFull", "env": "prod"]
        #expect(silence.silences(labels, at: t0))
        #expect(!silence.silences(labels, at: t0.addingTimeInterval(3_600)))
        #expect(!silence.silences(labels, at: t0.addingTimeInterval(-1)))
        #expect(!silence.silences(["alertname": "DiskFull", "env": "dev"], at: t0))
    }

    @Test("silences refuse to match everything, empty lists, and ends before starts")
    func invalidSilences() throws {
        let everything = try LabelMatcher.parse("env!=nothing")
        #expect(throws: IncidentError.self) {
            try Silence(
                id: UUID(), matchers: [everything], startsAt: t0, endsAt: t0.addingTimeInterval(60), createdBy: "a", comment: "x",
                expireWhenResolved: false, createdAt: t0)
        }
        #expect(throws: IncidentError.self) {
            try Silence(
                id: UUID(), matchers: [], startsAt: t0, endsAt: t0.addingTimeInterval(60), createdBy: "a", comment: "x",
                expireWhenResolved: false, createdAt: t0)
        }
        #expect(throws: IncidentError.self) {
            try Silence(
                id: UUID(), matchers: [LabelMatcher.parse("a=b")], startsAt: t0, endsAt: t0, createdBy: "a", comment: "x",
                expireWhenResolved: false, createdAt: t0)
        }
        // A silence that ended before it was made would hold nothing back.
        #expect(throws: IncidentError.self) {
            try Silence(
                id: UUID(), matchers: [LabelMatcher.parse("a=b")], startsAt: t0 - 7_200, endsAt: t0 - 3_600, createdBy: "a", comment: "x",
                expireWhenResolved: false, createdAt: t0)
        }
    }

    @Test("group keys use only the chosen labels, in a fixed order")
    func groupKeys() {
        let policy = AlertPolicy(groupBy: ["cluster", "alertname"])
        #expect(policy.groupKey(for: ["alertname": "A", "cluster": "eu", "pod": "x"]) == "alertname=A,cluster=eu")
        #expect(policy.groupKey(for: ["cluster": "eu", "alertname": "A", "pod": "y"]) == "alertname=A,cluster=eu")
        #expect(AlertPolicy.standard.groupKey(for: ["any": "thing"]) == "")
        #expect(policy.withinWindow(openedAt: t0, now: t0.addingTimeInterval(4 * 3_600)))
        #expect(!policy.withinWindow(openedAt: t0, now: t0.addingTimeInterval(4 * 3_600 + 1)))
    }

    @Test("an alert counts repeats, resolves once, and fires again after resolving")
    func alertLifecycle() {
        let trigger = AlertEvent(action: .trigger, dedupKey: "k", summary: "Disk full", source: "am", severity: .warning)
        var alert = Alert(id: UUID(), integrationID: UUID(), service: "db", event: trigger, at: t0)
        #expect(alert.receive(trigger, at: t0.addingTimeInterval(10)) == .repeated)
        #expect(alert.occurrences == 2)
        let resolve = AlertEvent(action: .resolve, dedupKey: "k", summary: "", source: "am", severity: .warning)
        #expect(alert.receive(resolve, at: t0.addingTimeInterval(20)) == .resolved)
        #expect(alert.receive(resolve, at: t0.addingTimeInterval(30)) == .ignored)
        #expect(alert.status == .resolved)
        #expect(alert.receive(trigger, at: t0.addingTimeInterval(40)) == .refired)
        #expect(alert.status == .firing)
        #expect(alert.lastSeen == t0.addingTimeInterval(40))
        #expect(alert.occurrences == 5)
        #expect(alert.firstSeen == t0)
    }

    @Test("alert severities map onto the scheme, and senders' words are read leniently")
    func severityMapping() {
        let mapping = SeverityMapping.standard(for: .standard)
        #expect(AlertSeverity.allCases.map { mapping.severity(for: $0, in: .standard) } == ["P1", "P2", "P3", "P4"])
        #expect(AlertSeverity.lenient("PAGE") == .critical)
        #expect(AlertSeverity.lenient("warn") == .warning)
        #expect(AlertSeverity.lenient("bogus") == nil)
    }

    @Test("the incident an alert opens says which level of alert opened it")
    func opening() {
        func opened(_ severity: AlertSeverity, number: Int) -> [String] {
            let event = AlertEvent(action: .trigger, dedupKey: "k", summary: "Down", source: "am", severity: severity)
            let alert = Alert(id: UUID(), integrationID: UUID(), service: "web", event: event, at: t0)
            return Incident.open(from: alert, id: UUID(), number: number, severity: "P2", groupKey: "", at: t0).1.map(\.text)
        }
        #expect(opened(.error, number: 7) == ["Opened INC-2026-0007 at P2 from an error alert: Down"])
        #expect(opened(.warning, number: 8) == ["Opened INC-2026-0008 at P2 from a warning alert: Down"])
    }

    @Test("the last resolved alert says so and auto-resolves when the policy asks")
    func autoResolve() throws {
        let trigger = AlertEvent(action: .trigger, dedupKey: "k", summary: "Down", source: "am", severity: .critical)
        let alert = Alert(id: UUID(), integrationID: UUID(), service: "web", event: trigger, at: t0)
        var (incident, _) = Incident.open(from: alert, id: UUID(), number: 1, severity: "P1", groupKey: "", at: t0)
        var manual = incident
        let resolved = incident.alertResolved(alert, stillFiring: 0, autoResolve: true, at: t0.addingTimeInterval(60))
        #expect(incident.status == .resolved)
        #expect(resolved.note.draft.text == "Alert resolved: Down")
        #expect(resolved.after.map(\.kind) == [.alert, .statusChange])
        let kept = manual.alertResolved(alert, stillFiring: 0, autoResolve: false, at: t0)
        #expect(manual.status == .triggered)
        #expect(kept.after.map(\.text) == ["Every alert of this incident has resolved."])
        #expect(manual.alertResolved(alert, stillFiring: 1, autoResolve: true, at: t0).after.isEmpty)
    }

    @Test("alerts a sender left out of its notification are noted when a group's count changes, and cleared at zero")
    func leftOut() {
        // given
        let trigger = AlertEvent(action: .trigger, dedupKey: "k", summary: "Down", source: "am", severity: .critical)
        let alert = Alert(id: UUID(), integrationID: UUID(), service: "web", event: trigger, at: t0)
        var (incident, _) = Incident.open(from: alert, id: UUID(), number: 1, severity: "P1", groupKey: "", at: t0)
        let nodes = #"{}:{alertname="NodeDown"}"#
        let disks = #"{}:{alertname="DiskFull"}"#
        // when
        let none = incident.senderLeftOut(0, group: nodes, sender: "prod-am", at: t0)
        let first = incident.senderLeftOut(1_500, group: nodes, sender: "prod-am", at: t0.addingTimeInterval(60))
        let repeated = incident.senderLeftOut(1_500, group: nodes, sender: "prod-am", at: t0.addingTimeInterval(120))
        let otherGroupWhole = incident.senderLeftOut(0, group: disks, sender: "prod-am", at: t0.addingTimeInterval(150))
        let grown = incident.senderLeftOut(2_000, group: nodes, sender: "prod-am", at: t0.addingTimeInterval(180))
        let grownCounts = incident.alertsLeftOut
        let cleared = incident.senderLeftOut(0, group: nodes, sender: "prod-am", at: t0.addingTimeInterval(240))
        // then
        #expect(none.isEmpty)
        #expect(
            first.map(\.text) == [
                #"The sender left 1500 alerts out of its notification for group {}:{alertname="NodeDown"} (its max_alerts setting): this incident lists fewer alerts than are firing."#
            ])
        #expect(first.first?.author == "prod-am")
        #expect(first.first?.details == ["leftOut": "1500", "group": nodes])
        #expect(repeated.isEmpty)
        #expect(otherGroupWhole.isEmpty)
        #expect(grown.first?.details["leftOut"] == "2000")
        #expect(grownCounts == [nodes: 2_000])
        #expect(
            cleared.map(\.text) == [
                #"The sender's notifications for group {}:{alertname="NodeDown"} hold every alert again; none is left out."#
            ])
        #expect(incident.alertsLeftOut == nil)
        #expect(incident.updatedAt == t0.addingTimeInterval(240))
    }

    @Test("an incident keeps left-out counts for at most 50 sender groups, and still updates those it has")
    func leftOutGroupsBounded() {
        // given
        let trigger = AlertEvent(action: .trigger, dedupKey: "k", summary: "Down", source: "am", severity: .critical)
        let alert = Alert(id: UUID(), integrationID: UUID(), service: "web", event: trigger, at: t0)
        var (incident, _) = Incident.open(from: alert, id: UUID(), number: 1, severity: "P1", groupKey: "", at: t0)
        for group in 0..<Incident.maxLeftOutGroups { _ = incident.senderLeftOut(1, group: "g\(group)", sender: "am", at: t0) }
        // when
        let beyond = incident.senderLeftOut(7, group: "one too many", sender: "am", at: t0)
        let known = incident.senderLeftOut(9, group: "g0", sender: "am", at: t0)
        // then
        #expect(beyond.isEmpty)
        #expect(known.count == 1)
        #expect(incident.alertsLeftOut?.count == Incident.maxLeftOutGroups)
        #expect(incident.alertsLeftOut?["g0"] == 9)
    }
}
