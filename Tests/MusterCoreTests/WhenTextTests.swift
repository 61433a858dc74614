import Foundation
import MusterCore
import Testing

@Suite("Times typed for when something happened")
struct WhenTextTests {
    let now = RFC3339.parse("2026-11-22T16:05:00Z")!

    @Test("a clock time is today's in the given zone; RFC 3339 is taken as written")
    func forms() {
        // given a clock in Berlin (UTC+1 in November)
        let berlin = TimeZone(identifier: "Europe/Berlin")!
        // when / then
        #expect(WhenText.parse("14:38", now: now, timeZone: berlin) == RFC3339.parse("2026-11-22T13:38:00Z"))
        #expect(WhenText.parse("9:05:30", now: now, timeZone: .gmt) == RFC3339.parse("2026-11-22T09:05:30Z"))
        #expect(WhenText.parse("2026-11-22T14:38:00+01:00", now: now) == RFC3339.parse("2026-11-22T13:38:00Z"))
    }

    @Test("anything else is not a time", arguments: ["", "14", "24:00", "14:60", "14:3a", "1438", "14:38:00:00", "yesterday", "١٤:٣٨"])
    func refused(text: String) {
        #expect(WhenText.parse(text, now: now, timeZone: .gmt) == nil)
    }
}
