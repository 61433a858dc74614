import Foundation

/// Shared checks for free-text fields and time zones.
public enum TextRules {
    /// `text` must be non-empty and at most `max` characters.
    public static func require(_ text: String, field: String, max: Int) throws(IncidentError) {
        if !text.unicodeScalars.contains(where: { !$0.properties.isWhitespace }) {
            throw .invalidField(field: field, reason: "must not be empty.")
        }
        try limit(text, field: field, max: max)
    }

    /// `text` must be at most `max` characters.
    public static func limit(_ text: String, field: String, max: Int) throws(IncidentError) {
        if isLonger(text, than: max) {
            throw .invalidField(field: field, reason: "is \(text.count) characters long; the limit is \(max).")
        }
    }

    /// Whether `text` has more than `max` characters. Counting characters walks grapheme clusters;
    /// no more bytes than the limit means no more characters, which settles almost every case.
    public static func isLonger(_ text: String, than max: Int) -> Bool {
        text.utf8.count > max && text.count > max
    }

    /// `identifier` must be an IANA time zone known to this system.
    public static func timeZone(_ identifier: String, field: String) throws(IncidentError) {
        guard TimeZone(identifier: identifier) != nil else {
            throw .invalidField(field: field, reason: "'\(identifier.prefix(60))' is not a known time zone such as Europe/Berlin or UTC.")
        }
    }
}
