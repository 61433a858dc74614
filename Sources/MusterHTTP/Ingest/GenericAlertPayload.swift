import Foundation
import MusterCore

/// Reads Muster's own alert format: one alert object, or `{"alerts": [...]}`.
///
/// ```json
/// {"summary": "Disk 95% full on db-1", "severity": "warning", "dedupKey": "disk-db-1",
///  "action": "trigger", "source": "cron-check", "labels": {"host": "db-1"},
///  "annotations": {"runbook": "…"}, "links": [{"href": "https://…", "text": "graph"}],
///  "startsAt": "2026-11-22T09:30:00Z"}
/// ```
enum GenericAlertPayload {
    static func parse(_ body: JSONObject) throws(IngestError) -> [AlertEvent] {
        guard body.has("alerts") else { return [try parseAlert(body)] }
        guard let alerts = try body.objects("alerts", atMost: AlertmanagerPayload.maxAlerts) else { return [] }
        guard !alerts.isEmpty else { throw IngestError(field: "alerts", "'alerts' must not be empty.") }
        var events: [AlertEvent] = []
        events.reserveCapacity(alerts.count)
        for alert in alerts {
            events.append(try parseAlert(alert))
        }
        return events
    }

    static func parseAlert(_ alert: JSONObject) throws(IngestError) -> AlertEvent {
        let actionName = try alert.string("action") ?? "trigger"
        guard let action = AlertAction(rawValue: actionName) else {
            throw IngestError(field: alert.path + "action", "'\(alert.path)action' must be trigger, acknowledge or resolve.")
        }
        let labels = try alert.stringMap("labels")
        let summary = action == .trigger ? try alert.requiredString("summary") : (try alert.string("summary") ?? "")
        let severityName = try alert.string("severity") ?? "error"
        guard let severity = AlertSeverity.lenient(severityName) else {
            throw IngestError(field: alert.path + "severity", "'\(alert.path)severity' must be critical, error, warning or info.")
        }
        let dedupKey = try alert.string("dedupKey") ?? (labels.isEmpty ? nil : AlertmanagerPayload.fingerprintOf(labels))
        guard let dedupKey, !dedupKey.isEmpty else {
            throw IngestError(field: alert.path + "dedupKey", "'\(alert.path)dedupKey' is required when the alert has no labels.")
        }
        return AlertEvent(
            action: action, dedupKey: dedupKey, summary: summary, source: try alert.string("source") ?? "generic",
            severity: severity, labels: labels, annotations: try alert.stringMap("annotations"), links: try alert.links("links"),
            startsAt: try alert.date("startsAt"), endsAt: try alert.date("endsAt"))
    }
}
