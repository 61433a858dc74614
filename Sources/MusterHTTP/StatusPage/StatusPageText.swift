import Foundation
import MusterCore

/// How the public page writes times and phases, in its own time zone.
enum StatusPageText {
    /// `Dec 7, 14:25 UTC`, in the page's zone.
    static func time(_ date: Date, _ snapshot: StatusPageSnapshot) -> String {
        let zone = snapshot.calendar.timeZone
        let name =
            zone.secondsFromGMT() == 0 && ["UTC", "GMT", "Etc/UTC", "Etc/GMT"].contains(zone.identifier)
            ? "UTC" : zone.abbreviation(for: date) ?? zone.identifier
        return format(date, "MMM d, HH:mm", snapshot) + " " + name
    }

    /// `Dec 7, 2026`.
    static func day(_ date: Date, _ snapshot: StatusPageSnapshot) -> String {
        format(date, "MMM d, yyyy", snapshot)
    }

    /// `December 2026`.
    static func month(_ date: Date, _ snapshot: StatusPageSnapshot) -> String {
        format(date, "MMMM yyyy", snapshot)
    }

    static func format(_ date: Date, _ pattern: String, _ snapshot: StatusPageSnapshot) -> String {
        format(date, pattern, in: snapshot.calendar.timeZone)
    }

    /// `date` in UTC with a fixed English pattern, as HTTP and RSS dates are written.
    static func utc(_ date: Date, _ pattern: String) -> String {
        format(date, pattern, in: .gmt)
    }

    private static func format(_ date: Date, _ pattern: String, in zone: TimeZone) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = zone
        formatter.dateFormat = pattern
        return formatter.string(from: date)
    }

    /// `in_progress` → `In progress`.
    static func phase(_ raw: String) -> String {
        let words = raw.replacingOccurrences(of: "_", with: " ")
        return words.prefix(1).uppercased() + words.dropFirst()
    }
}
