import Foundation

/// Reads a time a person types for when something happened: RFC 3339 (`2026-11-22T14:38:00Z`),
/// or a wall-clock time today in their time zone (`14:38`, `14:38:20`), as a scribe catching up
/// writes it.
public enum WhenText {
    /// The accepted forms, for error messages.
    public static let forms = "an RFC 3339 time such as 2026-11-22T14:38:00Z, or a time today such as 14:38"

    /// The instant `text` names; a clock time is today's in `timeZone`, as of `now`. Nil when
    /// `text` is neither form.
    public static func parse(_ text: String, now: Date, timeZone: TimeZone = .current) -> Date? {
        if let date = RFC3339.parse(text) { return date }
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard (2...3).contains(parts.count), parts.allSatisfy({ (1...2).contains($0.count) && $0.allSatisfy(\.isASCII) }),
            let hour = Int(parts[0]), let minute = Int(parts[1]), (0...23).contains(hour), (0...59).contains(minute)
        else { return nil }
        let second = parts.count == 3 ? Int(parts[2]) : 0
        guard let second, (0...59).contains(second) else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        var day = calendar.dateComponents([.year, .month, .day], from: now)
        day.hour = hour
        day.minute = minute
        day.second = second
        return calendar.date(from: day)
    }
}
