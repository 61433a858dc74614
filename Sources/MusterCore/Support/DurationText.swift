import Foundation

/// Reads and writes short durations such as `90s`, `15m`, `4h`, `7d` or `1w`.
public enum DurationText {
    /// The accepted forms, for error messages.
    public static let forms = "a whole number with its unit (s, m, h, d or w), such as 90s, 15m, 4h or 7d"

    /// Seconds in `text`, or nil when it is not a whole number followed by s, m, h, d or w. A
    /// bare number is refused: nobody should have to guess whether `30` meant seconds or minutes.
    public static func parse(_ text: String) -> Int? {
        let trimmed = text.trimmingCharacters(in: .whitespaces).lowercased()
        guard let unit = trimmed.last, let amount = Int(trimmed.dropLast()), amount >= 0 else { return nil }
        let multiplier: Int
        switch unit {
        case "s": multiplier = 1
        case "m": multiplier = 60
        case "h": multiplier = 3_600
        case "d": multiplier = 86_400
        case "w": multiplier = 604_800
        default: return nil
        }
        let (result, overflow) = amount.multipliedReportingOverflow(by: multiplier)
        return overflow ? nil : result
    }

    /// The largest exact unit for `seconds`: 900 → `15m`, 5400 → `90m`, 86400 → `1d`.
    public static func format(_ seconds: Int) -> String {
        let units: [(Int, String)] = [(604_800, "w"), (86_400, "d"), (3_600, "h"), (60, "m")]
        for (size, name) in units where seconds != 0 && seconds % size == 0 {
            return "\(seconds / size)\(name)"
        }
        return "\(seconds)s"
    }

    /// A readable span such as `1h 05m` or `42s` for elapsed or remaining time.
    public static func human(_ interval: TimeInterval) -> String {
        let total = Int(interval.rounded(.down))
        let days = total / 86_400
        let hours = (total % 86_400) / 3_600
        let minutes = (total % 3_600) / 60
        let seconds = total % 60
        if days > 0 { return "\(days)d \(hours)h" }
        if hours > 0 { return "\(hours)h \(String(format: "%02d", minutes))m" }
        if minutes > 0 { return "\(minutes)m \(String(format: "%02d", seconds))s" }
        return "\(seconds)s"
    }
}

extension Duration {
    /// The duration in seconds, with its fraction: 0.5 for 500 ms.
    public var inSeconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}

extension Date {
    /// The ISO 8601 form used in messages and the wire format.
    public var iso8601: String { RFC3339.format(self) }
}
