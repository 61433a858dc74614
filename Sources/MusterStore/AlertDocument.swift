import Foundation
import MusterCore

/// The alert's stored JSON document, written by hand: with Foundation's `JSONEncoder` it was a
/// fifth of the ingestion writer's time. The text decodes with `DocumentCoding` like the
/// encoder's (dates as seconds since 2001, absent optionals left out).
enum AlertDocument {
    static func encode(_ alert: Alert) -> String {
        var writer = DocumentWriter(capacity: 768)
        writer.field("annotations", object: alert.annotations)
        writer.field("dedupKey", quoting: alert.dedupKey)
        writer.field("endsAt", date: alert.endsAt)
        writer.field("firstSeen", date: alert.firstSeen)
        writer.field("id", id: alert.id)
        writer.field("incidentID", id: alert.incidentID)
        writer.field("incidentReference", quoting: alert.incidentReference)
        writer.field("integrationID", id: alert.integrationID)
        writer.field("labels", object: alert.labels)
        writer.field("lastSeen", date: alert.lastSeen)
        writer.objects("links", alert.links) { link, item in
            link.field("href", quoting: item.href)
            link.field("text", quoting: item.text)
        }
        writer.field("occurrences", int: alert.occurrences)
        writer.field("service", quoting: alert.service)
        writer.field("severity", quoting: alert.severity.rawValue)
        writer.field("silenceID", id: alert.silenceID)
        writer.field("source", quoting: alert.source)
        writer.field("startsAt", date: alert.startsAt)
        writer.field("status", quoting: alert.status.rawValue)
        writer.field("summary", quoting: alert.summary)
        return writer.finish()
    }
}
