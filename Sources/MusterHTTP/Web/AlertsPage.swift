import Foundation
import MusterCore
import MusterStore

/// `/alerts`: what monitoring has sent, firing first and by service, and the silences, with a
/// preview of what a new silence would take before it is saved.
struct AlertsPage: PageModel {
    struct AlertRow: PageModel {
        var summary: String
        var status: String
        var firing: Bool
        var labels: String
        var incident: String?
        var silenced: Bool
        var occurrences: Int
        var lastSeen: PageViews.Time
    }
    struct ServiceGroup: PageModel {
        var service: String
        var firing: Int
        var alerts: [AlertRow]
    }
    struct SilenceRow: PageModel {
        var id: String
        var matchers: String
        var comment: String
        var createdBy: String
        var starts: PageViews.Time
        var ends: PageViews.Time
        var active: Bool
    }
    struct Preview: PageModel {
        var firing: Int
        var complete: Bool
        var sample: [String]
        var matchers: String
    }

    var person: [String: String]
    var canWrite: Bool
    var groups: [ServiceGroup]
    var hasAlerts: Bool
    var statuses: [PageViews.Option]
    var services: [PageViews.Option]
    var silences: [SilenceRow]
    var preview: Preview?
    var notice: String?
    var banner: String?
    var errors: [String: [String: String]]
    var values: [String: [String: String]]

    static let shown = 500

    static func build(
        for signedIn: WebAuth.SignedIn, env: APIEnvironment, status: String = "firing", service: String = "",
        preview: Preview? = nil, values typed: [String: String]? = nil, notice: String? = nil, failure: FormFailure? = nil
    ) async throws -> AlertsPage {
        let now = env.now()
        var query = AlertQuery(limit: shown)
        query.status = AlertStatus(rawValue: status)
        query.service = service.isEmpty ? nil : service
        async let alerts = env.stores.alerts.alerts(query)
        async let silences = env.stores.alerts.silences(includeExpired: false, at: now)
        async let services = env.stores.services.services()
        let rows = try await alerts
        let grouped = Dictionary(grouping: rows, by: \.service).map { service, alerts in
            ServiceGroup(
                service: service, firing: alerts.filter { $0.status == .firing }.count,
                alerts: alerts.sorted { ($0.status == .firing ? 0 : 1, $1.lastSeen) < ($1.status == .firing ? 0 : 1, $0.lastSeen) }.map(row)
            )
        }
        .sorted { ($1.firing, $0.service) < ($0.firing, $1.service) }
        var values = failure.map { [$0.form: $0.values] } ?? [:]
        if let typed { values["silence"] = typed }
        return AlertsPage(
            person: signedIn.view, canWrite: signedIn.user.role.canWrite, groups: grouped, hasAlerts: !rows.isEmpty,
            statuses: [("firing", "Firing"), ("resolved", "Resolved"), ("", "All")].map {
                PageViews.Option(value: $0.0, label: $0.1, selected: $0.0 == status)
            },
            services: [PageViews.Option(value: "", label: "Every service")]
                + (try await services).map { PageViews.Option(value: $0.id, label: $0.name, selected: $0.id == service) },
            silences: try await silences.map { silence in
                SilenceRow(
                    id: silence.id.uuidString, matchers: silence.matchers.map(\.description).joined(separator: ", "),
                    comment: silence.comment, createdBy: silence.createdBy, starts: .init(silence.startsAt), ends: .init(silence.endsAt),
                    active: silence.startsAt <= now)
            }, preview: preview, notice: notice, banner: failure?.banner, errors: failure?.errors ?? [:], values: values)
    }

    private static func row(_ alert: Alert) -> AlertRow {
        AlertRow(
            summary: alert.summary, status: alert.status.rawValue, firing: alert.status == .firing,
            labels: alert.labels.sorted { $0.key < $1.key }.prefix(6).map { "\($0.key)=\($0.value)" }.joined(separator: " "),
            incident: alert.incidentReference, silenced: alert.silenceID != nil, occurrences: alert.occurrences,
            lastSeen: .init(alert.lastSeen))
    }
}
