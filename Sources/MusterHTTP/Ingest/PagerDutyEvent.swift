import Foundation
import MusterCore

/// Reads PagerDuty Events API v2 bodies, and the v1 bodies Alertmanager still sends with a `service_key`.
enum PagerDutyEvent {
    /// The integration key and the normalised event of one PagerDuty request.
    struct Parsed {
        var key: String
        var event: AlertEvent
        /// True for the v1 format, which is answered in its own shape.
        var legacy: Bool
    }

    /// A key for a trigger that came without one: 32 lower-case hex digits, as PagerDuty makes them.
    static func newDedupKey() -> String {
        var random = IDRandom()
        let bits = (random.next() as UInt64, random.next() as UInt64)
        return withUnsafeBytes(of: bits) { Hex.encode($0) }
    }

    static func parse(_ body: JSONObject) throws(IngestError) -> Parsed {
        if body.has("service_key") || body.has("event_type") { return try parseV1(body) }
        return try parseV2(body)
    }

    static func parseV2(_ body: JSONObject) throws(IngestError) -> Parsed {
        let key = try body.requiredString("routing_key")
        let actionName = try body.requiredString("event_action")
        guard let action = AlertAction(rawValue: actionName) else {
            throw IngestError(field: "event_action", "'event_action' must be trigger, acknowledge or resolve.")
        }
        var dedupKey = try body.string("dedup_key") ?? ""
        if dedupKey.isEmpty {
            guard action == .trigger else {
                throw IngestError(field: "dedup_key", "'dedup_key' is required for \(action.rawValue) events.")
            }
            dedupKey = newDedupKey()
        }
        var event = AlertEvent(action: action, dedupKey: dedupKey, summary: "", source: "pagerduty-events", severity: .error)
        if action == .trigger {
            guard let payload = try body.object("payload") else {
                throw IngestError(field: "payload", "'payload' is required for trigger events.")
            }
            event.summary = try payload.requiredString("summary")
            // PagerDuty refuses a longer summary, and its senders cut theirs to fit (Alertmanager
            // does); what else an event carries is cut to Muster's sizes below, as PagerDuty would keep it.
            if TextRules.isLonger(event.summary, than: AlertEvent.maxSummaryLength) {
                throw IngestError(field: "payload.summary", "'payload.summary' may have at most \(AlertEvent.maxSummaryLength) characters.")
            }
            event.source = try payload.requiredString("source")
            let severityName = try payload.requiredString("severity")
            guard let severity = AlertSeverity(rawValue: severityName) else {
                throw IngestError(field: "payload.severity", "'payload.severity' must be critical, error, warning or info.")
            }
            event.severity = severity
            event.startsAt = try payload.date("timestamp")
            var labels = ["source": event.source, "severity": severity.rawValue]
            for name in ["component", "group", "class"] {
                if let value = try payload.string(name), !value.isEmpty { labels[name] = value }
            }
            event.labels = labels
            if let details = payload.value("custom_details") {
                if case .object(let members) = details {
                    event.annotations = JSONObject(members).textMap()
                } else {
                    event.annotations = ["details": JSONObject.text(details)]
                }
            }
            event.links = try body.links("links") + body.links("images", hrefKey: "href", textKey: "alt")
        }
        return Parsed(key: key, event: event.fitted(), legacy: false)
    }

    static func parseV1(_ body: JSONObject) throws(IngestError) -> Parsed {
        let key = try body.requiredString("service_key")
        let type = try body.requiredString("event_type")
        guard let action = AlertAction(rawValue: type == "acknowledge" ? "acknowledge" : type) else {
            throw IngestError(field: "event_type", "'event_type' must be trigger, acknowledge or resolve.")
        }
        var dedupKey = try body.string("incident_key") ?? ""
        if dedupKey.isEmpty {
            guard action == .trigger else { throw IngestError(field: "incident_key", "'incident_key' is required for \(type) events.") }
            dedupKey = newDedupKey()
        }
        var event = AlertEvent(
            action: action, dedupKey: dedupKey, summary: "", source: try body.string("client") ?? "pagerduty-v1", severity: .error)
        if action == .trigger { event.summary = try body.requiredString("description") }
        let details = try body.stringMap("details")
        event.annotations = details
        if let severity = details["severity"].flatMap(AlertSeverity.lenient) { event.severity = severity }
        event.labels = ["source": event.source, "severity": event.severity.rawValue]
        if let url = try body.string("client_url"), url.hasPrefix("http") { event.links = [AlertLink(href: url, text: event.source)] }
        return Parsed(key: key, event: event.fitted(), legacy: true)
    }
}
