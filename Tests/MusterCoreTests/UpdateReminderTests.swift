import Foundation
import Testing

@testable import MusterCore

@Suite("Update reminders")
struct UpdateReminderTests {
    let t0 = Fixtures.t0
    let p1 = try! SeverityScheme.standard.level(named: "P1")

    @Test("a P1's internal update: reminded at 15 min, once; overdue past a third of the cadence, once")
    func remindThenEscalate() throws {
        // given a P1 declared at t0 with alice as commander and bob as communications lead
        var incident = try Fixtures.incident(severity: "P1")
        _ = try incident.assign(.commander, to: "alice", by: "alice", at: t0)
        _ = try incident.assign(.communications, to: "bob", by: "alice", at: t0)
        // when nothing is due yet, nothing is said
        #expect(
            incident.dueUpdateReminders(severity: p1, graceFraction: 1.0 / 3, responders: [], at: t0.addingTimeInterval(899)).reminders
                .isEmpty)
        // when the internal update falls due at 15 min, bob is reminded, once
        let due = incident.dueUpdateReminders(severity: p1, graceFraction: 1.0 / 3, responders: [], at: t0.addingTimeInterval(900))
        #expect(due.reminders.map(\.kind) == [.due] && due.reminders[0].recipients == ["bob"] && due.reminders[0].audience == "internal")
        #expect(due.entries.count == 1 && due.entries[0].details["reminder"] == "due")
        #expect(
            incident.dueUpdateReminders(severity: p1, graceFraction: 1.0 / 3, responders: [], at: t0.addingTimeInterval(1_000)).reminders
                .isEmpty)
        // when it is 5 min late (a third of 15), alice is told it is overdue, once
        let overdue = incident.dueUpdateReminders(severity: p1, graceFraction: 1.0 / 3, responders: [], at: t0.addingTimeInterval(1_200))
        #expect(overdue.reminders.map(\.kind) == [.overdue] && overdue.reminders[0].recipients == ["alice"])
        #expect(
            incident.dueUpdateReminders(severity: p1, graceFraction: 1.0 / 3, responders: [], at: t0.addingTimeInterval(1_300)).reminders
                .isEmpty)
        // when an update is published, the next due time gets its own reminder
        _ = try incident.publishUpdate(
            audience: .internal, phase: .identified, body: "x", nextUpdateAt: nil, by: "bob", at: t0.addingTimeInterval(1_320))
        let next = incident.dueUpdateReminders(severity: p1, graceFraction: 1.0 / 3, responders: [], at: t0.addingTimeInterval(1_320 + 900))
        #expect(next.reminders.filter { $0.audience == "internal" }.map(\.kind) == [.due])
    }

    @Test(
        "without a communications lead the commander is reminded; without either, the responders given; a solo responder gets every reminder"
    )
    func whoIsReminded() throws {
        // given a P1 nobody holds a role in
        var nobody = try Fixtures.incident(severity: "P1")
        let toResponders = nobody.dueUpdateReminders(
            severity: p1, graceFraction: 1.0 / 3, responders: ["paged-ann"], at: t0.addingTimeInterval(900))
        #expect(toResponders.reminders.first?.recipients == ["paged-ann"])
        // given a solo responder holding the command
        var solo = try Fixtures.incident(severity: "P1")
        _ = try solo.assign(.commander, to: "sam", by: "sam", at: t0)
        let reminders = solo.dueUpdateReminders(severity: p1, graceFraction: 1.0 / 3, responders: [], at: t0.addingTimeInterval(1_800))
        // then at 30 min, sam is reminded and told of the overdue internal update, and reminded of the external one
        #expect(reminders.reminders.map(\.kind) == [.due, .overdue, .due])
        #expect(Set(reminders.reminders.flatMap(\.recipients)) == ["sam"])
    }

    @Test("a resolved incident owes no update and gets no reminder")
    func resolvedIsQuiet() throws {
        var incident = try Fixtures.incident(severity: "P1")
        _ = try incident.resolve(resolution: "Fixed", rootCause: nil, by: "ann", at: t0.addingTimeInterval(60))
        #expect(
            incident.dueUpdateReminders(severity: p1, graceFraction: 1.0 / 3, responders: ["ann"], at: t0.addingTimeInterval(9_000))
                .reminders.isEmpty)
    }
}
