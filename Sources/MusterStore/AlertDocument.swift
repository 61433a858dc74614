import Foundation
import MusterCore

/// The alert's stored JSON document, written by hand: with Foundation's `JSONEncoder` it was a
/// fifth of the ingestion writer's time. The text decodes with `DocumentCoding` like the
/// encoder's (dates as seconds since 2001, absent optionals left out).
enum AlertDocument {
    static func encode(_ alert: Alert) -> String {
        var out = "{"
        out.reserveCapacity(512)
        func field(_ key: String, raw value: String) {
            if out.utf8.count > 1 { out += "," }
            out += "\""
            out += key
            out += "\":"
            out += value
        }
        func field(_ key: String, quoting text: String) {
            field(key, raw: "")
            JSONText.appendQuoted(text, to: &out)
        }
        field("annotations", raw: JSONText.object(alert.annotations))
        field("dedupKey", quoting: alert.dedupKey)
        if let endsAt = alert.endsAt { field("endsAt", raw: seconds(endsAt)) }
        field("firstSeen", raw: seconds(alert.firstSeen))
        field("id", raw: "\"" + alert.id.text + "\"")
        if let incident = alert.incidentID { field("incidentID", raw: "\"" + incident.text + "\"") }
        if let reference = alert.incidentReference { field("incidentReference", quoting: reference) }
        field("integrationID", raw: "\"" + alert.integrationID.text + "\"")
        field("labels", raw: JSONText.object(alert.labels))
        field("lastSeen", raw: seconds(alert.lastSeen))
        field("links", raw: "[" + alert.links.map(link).joined(separator: ",") + "]")
        field("occurrences", raw: String(alert.occurrences))
        field("service", quoting: alert.service)
        field("severity", quoting: alert.severity.rawValue)
        if let silence = alert.silenceID { field("silenceID", raw: "\"" + silence.text + "\"") }
        field("source", quoting: alert.source)
        field("startsAt", raw: seconds(alert.startsAt))
        field("status", quoting: alert.status.rawValue)
        field("summary", quoting: alert.summary)
        out += "}"
        return out
    }

    private static func link(_ link: AlertLink) -> String {
        guard let text = link.text else { return "{\"href\":" + JSONText.quote(link.href) + "}" }
        return "{\"href\":" + JSONText.quote(link.href) + ",\"text\":" + JSONText.quote(text) + "}"
    }

    /// `Date`'s own Codable form: seconds since 2001 as the shortest text that reads back exactly.
    private static func seconds(_ date: Date) -> String {
        date.timeIntervalSinceReferenceDate.description
    }
}
