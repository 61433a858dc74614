import Foundation
import MusterCore

/// Plain-text columns for terminal output.
struct Table {
    var header: [String]
    var rows: [[String]]

    func render() -> String {
        guard !rows.isEmpty else { return "(none)" }
        let all = [header] + rows
        let widths = header.indices.map { column in all.map { $0[column].count }.max() ?? 0 }
        return all.map { row in
            row.enumerated().map { index, cell in
                index == row.count - 1 ? cell : cell.padding(toLength: widths[index], withPad: " ", startingAt: 0)
            }.joined(separator: "  ")
        }.joined(separator: "\n")
    }
}

/// Short human forms for dates and targets.
enum Display {
    /// Set once at start from `--utc`; otherwise times are shown in the local time zone (`TZ`).
    nonisolated(unsafe) static var utc = false

    /// `2026-11-22 14:38:05+01:00`, or with `Z` in UTC.
    static func date(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = utc ? TimeZone(identifier: "UTC") : TimeZone.current
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ssXXX"
        return formatter.string(from: date)
    }

    static func target(_ status: TargetStatus?) -> String {
        guard let status else { return "-" }
        switch status.state {
        case .met: return "met"
        case .running: return "\(DurationText.human(status.remainingSeconds)) left"
        case .breached: return "breached by \(DurationText.human(status.overdueSeconds))"
        }
    }

    static func truncate(_ text: String, _ length: Int) -> String {
        text.count <= length ? text : String(text.prefix(length - 1)) + "…"
    }
}
