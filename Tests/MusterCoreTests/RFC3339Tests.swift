import Foundation
import Testing

@testable import MusterCore

@Suite("RFC 3339 timestamps")
struct RFC3339Tests {
    @Test(
        "parsing agrees with Foundation's formatter, fractions and offsets included",
        arguments: [
            "2026-11-22T09:30:00Z", "2024-02-29T23:59:59Z", "1970-01-01T00:00:00Z", "2000-03-01T00:00:00.5Z",
            "2026-11-22T09:30:00.123Z", "2026-11-22T11:30:00+02:00", "2026-11-22T04:00:00-05:30", "2100-12-31T12:00:00Z",
        ])
    func parse(text: String) throws {
        let reference = ISO8601DateFormatter()
        reference.formatOptions = text.contains(".") ? [.withInternetDateTime, .withFractionalSeconds] : [.withInternetDateTime]
        let expected = try #require(reference.date(from: text))
        let parsed = try #require(RFC3339.parse(text))
        #expect(abs(parsed.timeIntervalSince(expected)) < 0.0005)
    }

    @Test(
        "rejects what is not a timestamp",
        arguments: [
            "", "yesterday", "2026-13-01T00:00:00Z", "2026-11-22 09:30", "2026-11-22T09:30:00", "2026-11-22T25:00:00Z",
            "2026-11-22T09:30:00.Z", "2026-11-22T09:30:00+0200", "2026-11-22T09:30:00Zjunk",
        ])
    func reject(text: String) {
        #expect(RFC3339.parse(text) == nil)
    }

    @Test("formatting round-trips every day of four years, leap days included")
    func roundTrip() throws {
        let reference = ISO8601DateFormatter()
        for day in stride(from: 19_000, to: 19_000 + 4 * 366, by: 1) {
            let date = Date(timeIntervalSince1970: Double(day) * 86_400 + 45_296)
            #expect(RFC3339.format(date) == reference.string(from: date))
            #expect(RFC3339.parse(RFC3339.format(date)) == date)
            #expect(
                RFC3339.year(of: date) == Calendar(identifier: .gregorian).dateComponents(in: TimeZone(identifier: "UTC")!, from: date).year
            )
        }
        #expect(RFC3339.format(Date(timeIntervalSince1970: 1_795_000_000.25)) == "2026-11-18T11:06:40.250Z")
    }
}
