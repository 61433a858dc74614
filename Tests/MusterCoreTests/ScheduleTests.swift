import Foundation
import Testing

@testable import MusterCore

@Suite("On-call schedules")
struct ScheduleTests {
    /// An independent reference for calendar rotations: count whole local days since the anchor's
    /// local date, minus one while today's handoff time has not come yet.
    static func reference(_ rotation: Rotation, at date: Date) -> String? {
        guard rotation.isActive(at: date) else { return nil }
        if rotation.unit == .hours {
            let turn = Int((date.timeIntervalSince(rotation.start) / (Double(rotation.shiftLength) * 3_600)).rounded(.down))
            return rotation.users[turn % rotation.users.count]
        }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: rotation.timeZone)!
        let anchor = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: rotation.start)
        let now = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        let anchorDay = RFC3339.daysFromCivil(year: anchor.year!, month: anchor.month!, day: anchor.day!)
        let today = RFC3339.daysFromCivil(year: now.year!, month: now.month!, day: now.day!)
        var days = today - anchorDay
        if (now.hour!, now.minute!) < (anchor.hour!, anchor.minute!) { days -= 1 }
        let turn = days / (rotation.shiftLength * (rotation.unit == .weeks ? 7 : 1))
        return rotation.users[turn % rotation.users.count]
    }

    static let zones = ["Europe/Berlin", "America/New_York", "Australia/Sydney", "UTC"]

    @Test("daily and weekly handoffs keep their local time through a year of DST changes and a leap day", arguments: zones)
    func calendarRotations(zone: String) throws {
        // given: handoff at 09:00 local on 2024-01-01, across the 2024 leap day and both DST changes
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: zone)!
        let start = try #require(calendar.date(from: DateComponents(year: 2024, month: 1, day: 1, hour: 9)))
        let rotations = [
            try Rotation(name: "daily", users: ["ann", "bob", "cy"], shiftLength: 1, unit: .days, start: start, timeZone: zone),
            try Rotation(name: "weekly", users: ["ann", "bob"], shiftLength: 1, unit: .weeks, start: start, timeZone: zone),
            try Rotation(name: "3-day", users: ["a", "b", "c", "d"], shiftLength: 3, unit: .days, start: start, timeZone: zone),
        ]
        // when / then: every 20 minutes for a year
        for rotation in rotations {
            var moment = start
            let end = start.addingTimeInterval(366 * 86_400)
            while moment < end {
                #expect(rotation.onCall(at: moment) == Self.reference(rotation, at: moment), "\(rotation.name) at \(moment)")
                moment.addTimeInterval(1_200)
            }
        }
    }

    @Test("hour-based shifts are exact durations", arguments: [1, 8, 12, 36])
    func hourRotations(hours: Int) throws {
        let start = Date(timeIntervalSince1970: 1_704_067_200)
        let rotation = try Rotation(
            name: "h", users: ["x", "y", "z"], shiftLength: hours, unit: .hours, start: start, timeZone: "Europe/Berlin")
        var moment = start
        while moment < start.addingTimeInterval(60 * 86_400) {
            #expect(rotation.onCall(at: moment) == Self.reference(rotation, at: moment))
            moment.addTimeInterval(600)
        }
        #expect(rotation.onCall(at: start.addingTimeInterval(-1)) == nil)
    }

    /// A weekly base layer, a two-day layer that ends, and overlapping overrides, from 2024-03-01
    /// 10:00 in New York (the DST change falls inside).
    static func layeredSchedule() throws -> (Schedule, Date) {
        let zone = "America/New_York"
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: zone)!
        let start = try #require(calendar.date(from: DateComponents(year: 2024, month: 3, day: 1, hour: 10)))
        let base = try Rotation(name: "base", users: ["ann", "bob", "cy"], shiftLength: 1, unit: .weeks, start: start, timeZone: zone)
        let extra = try Rotation(
            name: "extra", users: ["dee", "eve"], shiftLength: 2, unit: .days, start: start.addingTimeInterval(5 * 86_400),
            timeZone: zone, end: start.addingTimeInterval(20 * 86_400))
        let schedule = Schedule(
            layers: [base, extra],
            overrides: [
                try ScheduleOverride(
                    user: "zed", start: start.addingTimeInterval(3 * 86_400 + 1_800), end: start.addingTimeInterval(4 * 86_400)),
                try ScheduleOverride(
                    user: "yan", start: start.addingTimeInterval(3 * 86_400 + 7_200), end: start.addingTimeInterval(3 * 86_400 + 9_000)),
            ])
        return (schedule, start)
    }

    @Test("shifts agree minute by minute with who is on call, layers and overrides included")
    func shiftsMatchOnCall() throws {
        // given
        let (schedule, start) = try Self.layeredSchedule()
        let from = start.addingTimeInterval(-86_400)
        let to = start.addingTimeInterval(30 * 86_400)
        // when
        let shifts = schedule.shifts(from: from, to: to)
        // then: shifts tile the range, neighbours differ, and each minute matches onCall
        #expect(shifts.first?.start == from)
        #expect(shifts.last?.end == to)
        for (left, right) in zip(shifts, shifts.dropFirst()) {
            #expect(left.end == right.start)
            #expect(left.user != right.user)
        }
        var index = 0
        var moment = from
        while moment < to {
            while shifts[index].end <= moment { index += 1 }
            #expect(shifts[index].user == schedule.onCall(at: moment), "at \(moment)")
            moment.addTimeInterval(60)
        }
        #expect(schedule.onCall(at: start.addingTimeInterval(3 * 86_400 + 7_300)) == "yan")
        #expect(schedule.onCall(at: start.addingTimeInterval(3 * 86_400 + 9_000)) == "zed")
        #expect(schedule.onCall(at: start.addingTimeInterval(-1)) == nil)
    }

    @Test("bad rotations are refused with the field named")
    func invalid() {
        let now = Date()
        #expect(throws: IncidentError.self) { try Rotation(name: "x", users: [], shiftLength: 1, unit: .days, start: now, timeZone: "UTC") }
        #expect(throws: IncidentError.self) {
            try Rotation(name: "x", users: ["a"], shiftLength: 0, unit: .days, start: now, timeZone: "UTC")
        }
        #expect(throws: IncidentError.self) {
            try Rotation(name: "x", users: ["a"], shiftLength: 1, unit: .days, start: now, timeZone: "Mars/Olympus")
        }
        #expect(throws: IncidentError.self) { try ScheduleOverride(user: "a", start: now, end: now) }
    }

    @Test("handoffs seen through consecutive windows are exactly the minute-by-minute changes of who is on call")
    func handoffsMatchChanges() throws {
        // given
        let (schedule, start) = try Self.layeredSchedule()
        let from = start.addingTimeInterval(-86_400)
        let to = start.addingTimeInterval(30 * 86_400)
        var expected: [Handoff] = []
        var moment = from.addingTimeInterval(60)
        while moment <= to {
            let before = schedule.onCall(at: moment.addingTimeInterval(-60))
            let now = schedule.onCall(at: moment)
            if before != now { expected.append(Handoff(at: moment, outgoing: before, incoming: now)) }
            moment.addTimeInterval(60)
        }
        // when: a notifier looking every 17 minutes at what happened since its last look
        var seen: [Handoff] = []
        var windowStart = from
        while windowStart < to {
            let windowEnd = min(windowStart.addingTimeInterval(17 * 60), to)
            seen += schedule.handoffs(after: windowStart, through: windowEnd)
            windowStart = windowEnd
        }
        // then
        #expect(seen == expected)
        #expect(expected.count > 10)
        #expect(schedule.previousShift(before: start.addingTimeInterval(3 * 86_400 + 7_300))?.user == "zed")
    }
}
