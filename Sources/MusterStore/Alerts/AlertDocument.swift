import Foundation
import MusterCore
import SQLKit

/// The alert's stored JSON document, written by hand: with Foundation's `JSONEncoder` it was a
/// fifth of the ingestion writer's time. The text decodes with `DocumentCoding` like the
/// encoder's (dates as seconds since 2001, absent optionals left out).
///
/// Since the second form (`"form":2` first) the document leaves out what the alert's own columns
/// hold (id, integration, service, dedup key, status, incident, silence): they were 40 % of it,
/// written twice into every row and the log. Reading puts them back from the columns. Documents of
/// the first form, which hold everything, still read as they are.
enum AlertDocument {
    static let secondForm = #"{"form":2,"#

    /// The values of the alert's columns that the second form leaves out, as stored.
    struct Columns: Sendable, Equatable {
        var id: String
        var integrationID: String
        var service: String
        var dedupKey: String
        var status: String
        var incidentID: String?
        var silenceID: String?

        /// The columns `init(row:)` reads, for a SELECT list.
        static let sql = "id, integration_id, service, dedup_key, status, incident_id, silence_id"
    }

    /// The columns a lookup by service and dedup key does not already know, and the document,
    /// packed into one text so a scalar subquery returns them (read back by `decode(packed:…)`).
    /// Ids and statuses hold no space; a NULL id is `-`.
    static let packedSQL = """
        id || ' ' || integration_id || ' ' || status || ' ' || COALESCE(incident_id, '-') || ' ' || \
        COALESCE(silence_id, '-') || ' ' || document
        """

    static func encode(_ alert: Alert) -> String {
        var writer = DocumentWriter(capacity: 512)
        writer.field("form", int: 2)
        writer.field("annotations", object: alert.annotations)
        writer.field("endsAt", date: alert.endsAt)
        writer.field("firstSeen", date: alert.firstSeen)
        writer.field("incidentReference", quoting: alert.incidentReference)
        writer.field("labels", object: alert.labels)
        writer.field("lastSeen", date: alert.lastSeen)
        writer.objects("links", alert.links) { link, item in
            link.field("href", quoting: item.href)
            link.field("text", quoting: item.text)
        }
        writer.field("occurrences", int: alert.occurrences)
        writer.field("severity", quoting: alert.severity.rawValue)
        writer.field("source", quoting: alert.source)
        writer.field("startsAt", date: alert.startsAt)
        writer.field("summary", quoting: alert.summary)
        return writer.finish()
    }

    /// The alert of a stored document and its row's columns, in either form.
    static func decode(_ text: String, columns: Columns) throws -> Alert {
        guard text.hasPrefix(secondForm) else { return try DocumentCoding.decode(Alert.self, from: text) }
        var writer = DocumentWriter(capacity: text.utf8.count + 256)
        writer.field("dedupKey", quoting: columns.dedupKey)
        writer.field("id", quoting: columns.id)
        writer.field("incidentID", quoting: columns.incidentID)
        writer.field("integrationID", quoting: columns.integrationID)
        writer.field("service", quoting: columns.service)
        writer.field("silenceID", quoting: columns.silenceID)
        writer.field("status", quoting: columns.status)
        return try DocumentCoding.decode(Alert.self, from: writer.finish(continuingWith: text.dropFirst(secondForm.count)))
    }

    /// The alert of a `packedSQL` text, looked up by its service and dedup key.
    static func decode(packed: String, service: String, dedupKey: String) throws -> Alert {
        let parts = packed.split(separator: " ", maxSplits: 5, omittingEmptySubsequences: false)
        guard parts.count == 6 else { throw StoreError.corrupt("alert \(service)/\(dedupKey): its columns could not be read") }
        func id(_ part: Substring) -> String? { part == "-" ? nil : String(part) }
        let columns = Columns(
            id: String(parts[0]), integrationID: String(parts[1]), service: service, dedupKey: dedupKey, status: String(parts[2]),
            incidentID: id(parts[3]), silenceID: id(parts[4]))
        return try decode(String(parts[5]), columns: columns)
    }
}

extension AlertDocument.Columns {
    /// The columns of a row selected with `sql`.
    init(row: any SQLRow) throws {
        self.init(
            id: try row.decode(column: "id", as: String.self), integrationID: try row.decode(column: "integration_id", as: String.self),
            service: try row.decode(column: "service", as: String.self), dedupKey: try row.decode(column: "dedup_key", as: String.self),
            status: try row.decode(column: "status", as: String.self), incidentID: try row.decode(column: "incident_id", as: String?.self),
            silenceID: try row.decode(column: "silence_id", as: String?.self))
    }
}
