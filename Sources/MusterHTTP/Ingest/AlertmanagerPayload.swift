import Crypto
import Foundation
import MusterCore
import MusterStore

/// Reads Prometheus Alertmanager webhook bodies (version "4") and Grafana's variant of the same envelope.
enum AlertmanagerPayload {
    /// Alerts per request. Alertmanager sends a whole group at once, and a request refused for
    /// its size pages no one (it does not retry a 4xx); its `max_alerts` (see `IntegrationSetup`)
    /// keeps a larger storm under this, by leaving the rest out.
    static let maxAlerts = 10_000

    /// One event per alert in `alerts[]`, each with its own status.
    static func parse(_ body: JSONObject, source defaultSource: String) throws(IngestError) -> [AlertEvent] {
        guard let alerts = try body.objects("alerts", atMost: maxAlerts) else {
            throw IngestError(field: "alerts", "'alerts' is required.")
        }
        let common = try body.stringMap("commonLabels")
        var events: [AlertEvent] = []
        events.reserveCapacity(alerts.count)
        for alert in alerts {
            events.append(try parseAlert(alert, common: common, source: defaultSource))
        }
        return events
    }

    /// Longest sender group key kept with a left-out count; a longer one is cut.
    static let maxGroupKeyLength = 512

    /// How many alerts the sender's `max_alerts` left out (`truncatedAlerts`), and of which of its
    /// groups, when it says; an absent or senseless figure is no reason to refuse the alerts that
    /// did come.
    static func leftOut(_ body: JSONObject) -> LeftOutAlerts? {
        guard case .number(let digits)? = body.value("truncatedAlerts"), let count = Int(digits), count >= 0 else { return nil }
        let group = (try? body.string("groupKey")) ?? nil
        return LeftOutAlerts(count: count, group: String((group ?? "").prefix(maxGroupKeyLength)))
    }

    static func parseAlert(_ alert: JSONObject, common: [String: String], source: String) throws(IngestError) -> AlertEvent {
        let status = try alert.string("status") ?? "firing"
        guard status == "firing" || status == "resolved" else {
            throw IngestError(field: alert.path + "status", "'\(alert.path)status' must be firing or resolved.")
        }
        let labels = try common.merging(alert.stringMap("labels")) { $1 }
        guard !labels.isEmpty else { throw IngestError(field: alert.path + "labels", "'\(alert.path)labels' must not be empty.") }
        let annotations = try alert.stringMap("annotations")
        let fingerprint = try alert.string("fingerprint") ?? ""
        // A template can render a summary blank; the alert must still say something.
        let summary =
            [annotations["summary"], annotations["description"], labels["alertname"]]
            .compactMap { $0 }.first { !$0.allSatisfy(\.isWhitespace) } ?? "Alert"
        var links: [AlertLink] = []
        for (key, text) in [("generatorURL", "source"), ("dashboardURL", "dashboard"), ("panelURL", "panel"), ("silenceURL", "silence")] {
            if let url = try alert.string(key), url.hasPrefix("http"), url.count <= 2_048 { links.append(AlertLink(href: url, text: text)) }
        }
        if let url = annotations["runbook_url"], url.hasPrefix("http") { links.append(AlertLink(href: url, text: "runbook")) }
        var allAnnotations = annotations
        if let values = alert.value("values") { allAnnotations["values"] = JSONObject.text(values) }
        return AlertEvent(
            action: status == "resolved" ? .resolve : .trigger,
            dedupKey: fingerprint.isEmpty ? fingerprintOf(labels) : fingerprint,
            summary: summary, source: source,
            severity: labels["severity"].flatMap(AlertSeverity.lenient) ?? .error,
            labels: labels, annotations: allAnnotations, links: links,
            startsAt: try alert.date("startsAt"), endsAt: try alert.date("endsAt")
        ).fitted()
    }

    /// A stable key from the label set when the sender gives no fingerprint.
    static func fingerprintOf(_ labels: [String: String]) -> String {
        let text = labels.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: "\u{1f}")
        return SHA256.hash(data: Data(text.utf8)).prefix(8).map { String(format: "%02x", $0) }.joined()
    }
}
