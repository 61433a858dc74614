import Foundation
import MusterCore
import MusterStore

extension IncidentDetailPage {
    /// When a kind of mitigation fits and what it risks, as the entry form explains them.
    struct MitigationNote: PageModel {
        var label: String
        var fits: String
        var risk: String
    }

    /// A change made before the incident started, as the incident page lists it.
    struct ChangeRow: PageModel {
        var changeID: String
        var at: PageViews.Time
        var service: String
        var summary: String
        var changeSource: String?
        var reason: String
        var links: [AlertLink]
        var suspected: Bool
        var canSuspect: Bool
    }

    /// The recent changes part of the page: the ranked changes and what window they come from.
    struct Changes: PageModel {
        var rows: [ChangeRow]
        var any: Bool
        /// "In the 4h 00m before its impact started (Dec 7, 14:15)".
        var window: String
    }

    static func changes(
        _ incident: Incident, timeline: [TimelineEntry], services: [ServiceRecord], canWrite: Bool, env: APIEnvironment
    ) async throws -> Changes {
        let ranked = try await IncidentChanges.build(incident, env: env, timeline: timeline, services: services)
        let rows = ranked.items.map { item in
            ChangeRow(
                changeID: item.change.id.uuidString, at: .init(item.change.at), service: item.change.service, summary: item.change.summary,
                changeSource: item.change.source, reason: item.reason, links: item.change.links, suspected: item.suspected,
                canSuspect: canWrite && incident.status.isOpen && !item.suspected)
        }
        let started = ranked.startsFrom == "impact" ? "its impact started" : "it was detected"
        return Changes(
            rows: rows, any: !rows.isEmpty,
            window: "Changes to its services and those they depend on in the \(WebTime.span(Double(ranked.windowSeconds))) before \(started)")
    }
}
