import Foundation
import MusterCore

/// The alert's stored JSON document, written by hand: with Foundation's `JSONEncoder` it was a
/// fifth of the ingestion writer's time. The text decodes with `DocumentCoding` like the
/// encoder's (dates as seconds since 2001, absent optionals left out).
enum AlertDocument {
    static func encode(_ alert: Alert) -> String {
        var out = JSONWriter(capacity: 768)
        var first = true
        func key(_ name: String) {
            out.raw(first ? "{\"" : ",\"")
            first = false
            out.raw(name)
            out.raw("\":")
        }
        func field(_ name: String, quoting text: String) {
            key(name)
            out.quoted(text)
        }
        func field(_ name: String, raw text: String) {
            key(name)
            out.raw(text)
        }
        func field(_ name: String, id: UUID) {
            key(name)
            out.raw("\"" + id.text + "\"")
        }
        key("annotations")
        out.object(alert.annotations)
        field("dedupKey", quoting: alert.dedupKey)
        if let endsAt = alert.endsAt { field("endsAt", raw: seconds(endsAt)) }
        field("firstSeen", raw: seconds(alert.firstSeen))
        field("id", id: alert.id)
        if let incident = alert.incidentID { field("incidentID", id: incident) }
        if let reference = alert.incidentReference { field("incidentReference", quoting: reference) }
        field("integrationID", id: alert.integrationID)
        key("labels")
        out.object(alert.labels)
        field("lastSeen", raw: seconds(alert.lastSeen))
        key("links")
        out.raw("[")
        for (index, link) in alert.links.enumerated() {
            out.raw(index == 0 ? "{\"href\":" : ",{\"href\":")
            out.quoted(link.href)
            if let text = link.text {
                out.raw(",\"text\":")
                out.quoted(text)
            }
            out.raw("}")
        }
        out.raw("]")
        field("occurrences", raw: String(alert.occurrences))
        field("service", quoting: alert.service)
        field("severity", quoting: alert.severity.rawValue)
        if let silence = alert.silenceID { field("silenceID", id: silence) }
        field("source", quoting: alert.source)
        field("startsAt", raw: seconds(alert.startsAt))
        field("status", quoting: alert.status.rawValue)
        field("summary", quoting: alert.summary)
        out.raw("}")
        return out.text
    }

    /// `Date`'s own Codable form: seconds since 2001 as the shortest text that reads back exactly.
    private static func seconds(_ date: Date) -> String {
        date.timeIntervalSinceReferenceDate.description
    }
}
