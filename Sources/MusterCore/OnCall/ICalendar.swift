import Foundation

/// Writes shifts as an iCalendar (RFC 5545) feed that calendar apps can subscribe to.
public enum ICalendar {
    public static func feed(name: String, scheduleID: String, shifts: [Shift], generatedAt now: Date) -> String {
        var lines = [
            "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Muster//On-call schedule//EN", "CALSCALE:GREGORIAN",
            "METHOD:PUBLISH", "X-WR-CALNAME:\(escape("On call: \(name)"))",
        ]
        for shift in shifts {
            guard let user = shift.user else { continue }
            lines += [
                "BEGIN:VEVENT",
                "UID:\(scheduleID)-\(Int(shift.start.timeIntervalSince1970))-\(escape(user))@muster",
                "DTSTAMP:\(stamp(now))",
                "DTSTART:\(stamp(shift.start))",
                "DTEND:\(stamp(shift.end))",
                "SUMMARY:\(escape("On call: \(user) (\(name))"))",
                "END:VEVENT",
            ]
        }
        lines.append("END:VCALENDAR")
        return lines.map(fold).joined(separator: "\r\n") + "\r\n"
    }

    /// `20261122T090000Z`.
    static func stamp(_ date: Date) -> String {
        let text = RFC3339.format(Date(timeIntervalSince1970: date.timeIntervalSince1970.rounded(.down)))
        return text.replacingOccurrences(of: "-", with: "").replacingOccurrences(of: ":", with: "")
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: ";", with: "\\;")
            .replacingOccurrences(of: ",", with: "\\,").replacingOccurrences(of: "\n", with: "\\n")
            .replacingOccurrences(of: "\r", with: "")
    }

    /// Lines longer than 75 octets continue on the next line after a space.
    static func fold(_ line: String) -> String {
        var result = ""
        var count = 0
        for character in line {
            let size = String(character).utf8.count
            if count + size > 75 {
                result += "\r\n "
                count = 1
            }
            result.append(character)
            count += size
        }
        return result
    }
}
