import Foundation
import Testing

@testable import MusterCore

@Suite("Uptime from status intervals")
struct UptimeTests {
    let calendar: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar
    }()

    func day(_ text: String) -> Date { RFC3339.parse(text + "T00:00:00Z")! }

    @Test("a day with an outage shows how long; a day before the component existed shows no data, never operational")
    func daysFromIntervals() {
        // given a component created on Dec 3 at noon, down 30 minutes on Dec 4 and partly down 2 h over midnight into Dec 6
        let created = day("2026-12-03") + 43_200
        let intervals = [
            StatusInterval(
                componentID: "c", status: .majorOutage, startedAt: day("2026-12-04") + 3_600, endedAt: day("2026-12-04") + 5_400,
                reason: "x"),
            StatusInterval(
                componentID: "c", status: .partialOutage, startedAt: day("2026-12-06") - 3_600, endedAt: day("2026-12-06") + 3_600,
                reason: "y"),
        ]
        let now = day("2026-12-07") + 36_000
        // when the last five days are worked out
        let days = Uptime.days(intervals, since: created, count: 5, now: now, calendar: calendar)
        // then Dec 3 has data from noon, Dec 4 a 30-minute major outage, Dec 5 and 6 an hour of partial outage each
        #expect(days.map(\.start) == [day("2026-12-03"), day("2026-12-04"), day("2026-12-05"), day("2026-12-06"), day("2026-12-07")])
        #expect(days.map(\.hasData) == [true, true, true, true, true])
        #expect(days[1].seconds[.majorOutage] == 1_800 && days[1].worst == .majorOutage)
        #expect(days[2].seconds[.partialOutage] == 3_600 && days[3].seconds[.partialOutage] == 3_600)
        #expect(days[0].worst == .operational && days[4].seconds.isEmpty)
        let earlier = Uptime.days(intervals, since: created, count: 7, now: now, calendar: calendar)
        #expect(earlier.prefix(2).allSatisfy { !$0.hasData }, "Dec 1 and 2 came before the component")
        // and uptime counts the major outage in full and the partial outage at 30 %
        let observed = now.timeIntervalSince(created)
        let ratio = Uptime.ratio(days, now: now, calendar: calendar, since: created)
        #expect(abs(ratio! - (1 - (1_800 + 7_200 * 0.3) / observed)) < 1e-9)
    }

    @Test("an interval still open counts up to now; maintenance and degraded performance count as up")
    func openAndHarmless() {
        let created = day("2026-12-01")
        let now = day("2026-12-02") + 7_200
        let intervals = [
            StatusInterval(componentID: "c", status: .majorOutage, startedAt: now - 600, endedAt: nil, reason: nil),
            StatusInterval(
                componentID: "c", status: .underMaintenance, startedAt: day("2026-12-01") + 100, endedAt: day("2026-12-01") + 3_700,
                reason: nil),
        ]
        let days = Uptime.days(intervals, since: created, count: 2, now: now, calendar: calendar)
        #expect(days[1].seconds[.majorOutage] == 600 && days[0].seconds[.underMaintenance] == 3_600)
        let ratio = Uptime.ratio(days, now: now, calendar: calendar, since: created)!
        #expect(abs(ratio - (1 - 600 / now.timeIntervalSince(created))) < 1e-9)
    }
}
