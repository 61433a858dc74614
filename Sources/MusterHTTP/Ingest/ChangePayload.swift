import Foundation
import MusterCore

/// Reads change events: PagerDuty's Change Events API bodies (`routing_key`, `payload`, `links`)
/// and Muster's generic ones (`summary`, `at`, `source`, `links`, `details`).
enum ChangePayload {
    /// What a body says of a change, before it is tied to a service.
    struct Parsed {
        var summary: String
        var source: String?
        var at: Date?
        var links: [AlertLink]
        var details: [String: String]
    }

    /// A PagerDuty change event and its routing key.
    static func pagerDuty(_ body: JSONObject) throws(IngestError) -> (key: String, change: Parsed) {
        try body.refuseUnknown(["routing_key", "payload", "links", "images"])
        let key = try body.requiredString("routing_key")
        guard let payload = try body.object("payload") else { throw IngestError(field: "payload", "'payload' is required.") }
        try payload.refuseUnknown(["summary", "timestamp", "source", "custom_details"])
        return (
            key,
            Parsed(
                summary: try payload.requiredString("summary"), source: try payload.string("source"), at: try payload.date("timestamp"),
                links: try body.links("links") + body.links("images", hrefKey: "href", textKey: "alt"),
                details: try details(payload.value("custom_details"), field: "payload.custom_details"))
        )
    }

    /// Muster's generic change body.
    static func generic(_ body: JSONObject) throws(IngestError) -> Parsed {
        try body.refuseUnknown(["summary", "at", "source", "links", "details"])
        return Parsed(
            summary: try body.requiredString("summary"), source: try body.string("source"), at: try body.date("at"),
            links: try body.links("links"), details: try details(body.value("details"), field: "details"))
    }

    private static func details(_ value: JSONValue?, field: String) throws(IngestError) -> [String: String] {
        guard let value, value != .null else { return [:] }
        guard case .object(let members) = value else { throw IngestError(field: field, "'\(field)' must be an object.") }
        return JSONObject(members).textMap()
    }

    /// The change, for `service`, as it was received at `now`.
    static func change(_ parsed: Parsed, service: String, via: String, at now: Date) throws(IncidentError) -> ChangeEvent {
        try ChangeEvent(
            id: UUID(), service: service, summary: parsed.summary, source: parsed.source, at: parsed.at ?? now, receivedAt: now,
            links: parsed.links, details: parsed.details, via: via)
    }
}
