import Foundation
import MusterCore

/// Times in the pages: shown in UTC in the HTML (the script rewrites them in the viewer's time zone,
/// keeping UTC on hover), and read back from `datetime-local` fields with the viewer's offset.
enum WebTime {
    /// `2026-12-06 14:05 UTC`, what a page shows before the script runs or without it.
    static func text(_ date: Date) -> String {
        String(RFC3339.format(date).replacingOccurrences(of: "T", with: " ").prefix(16)) + " UTC"
    }

    /// The instant a `datetime-local` field names (`2026-12-06T14:05`, seconds optional), read in the
    /// zone `offsetMinutes` west of UTC, as JavaScript's `getTimezoneOffset()` gives it; nil for an
    /// empty field; a problem naming `field` for anything else.
    static func parse(_ local: String?, offsetMinutes: String?, field: String = "at") throws -> Date? {
        guard let local = local?.trimmingCharacters(in: .whitespaces), !local.isEmpty else { return nil }
        let offset = Int(offsetMinutes ?? "") ?? 0
        guard (-14 * 60...14 * 60).contains(offset) else { throw Problem.invalid("tz", "The time zone offset \(offset) min is not one.") }
        let withSeconds = local.count == 16 ? local + ":00" : local
        guard withSeconds.count == 19, let utc = RFC3339.parse(withSeconds + "Z") else {
            throw Problem.invalid(field, "'\(local.prefix(40))' is not a date and time such as 2026-12-06T14:05.")
        }
        return utc.addingTimeInterval(Double(offset) * 60)
    }

    /// A span as people say it: `45 s`, `12 min`, `3 h 20 min`, `2 d 4 h`.
    static func span(_ seconds: Double) -> String {
        let total = Int(seconds.rounded(.down))
        if total < 60 { return "\(max(total, 0)) s" }
        let minutes = total / 60
        if minutes < 60 { return "\(minutes) min" }
        let hours = minutes / 60
        if hours < 48 { return minutes % 60 == 0 ? "\(hours) h" : "\(hours) h \(minutes % 60) min" }
        return hours % 24 == 0 ? "\(hours / 24) d" : "\(hours / 24) d \(hours % 24) h"
    }
}
