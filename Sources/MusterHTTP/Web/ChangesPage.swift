import Foundation
import MusterCore
import MusterStore

/// `/changes`: deploys and configuration changes in time, by service, with a form to record one.
struct ChangesPage: PageModel {
    struct Row: PageModel {
        var at: PageViews.Time
        var service: String
        var summary: String
        var changeSource: String?
        var via: String
        var links: [AlertLink]
        var details: String?
    }

    var person: [String: String]
    var canWrite: Bool
    var rows: [Row]
    var hasRows: Bool
    var total: Int
    /// Whether there are more than the page shows.
    var partial: Bool
    var services: [PageViews.Option]
    var since: String
    var notice: String?
    var failure: String?
    var errors: [String: [String: String]]
    var values: [String: [String: String]]

    /// Spans the list may be narrowed to, as the filter offers them.
    static let spans = ["4h", "24h", "7d", "30d"]

    static func build(
        for signedIn: WebAuth.SignedIn, env: APIEnvironment, service: String?, since: String, notice: String? = nil,
        failure: FormFailure? = nil
    ) async throws -> ChangesPage {
        let seconds = DurationText.parse(since) ?? 7 * 86_400
        let (changes, total) = try await env.stores.changes.changes(
            ChangeQuery(services: service.map { [$0] }, from: env.now().addingTimeInterval(-Double(seconds)), limit: 200))
        let known = try await env.stores.services.services()
        return ChangesPage(
            person: signedIn.view, canWrite: signedIn.user.role.canWrite,
            rows: changes.map { change in
                Row(
                    at: .init(change.at), service: change.service, summary: change.summary, changeSource: change.source, via: change.via,
                    links: change.links,
                    details: change.details.isEmpty ? nil : change.details.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
                        .joined(separator: ", "))
            },
            hasRows: !changes.isEmpty, total: total, partial: total > changes.count,
            services: [PageViews.Option(value: "", label: "Every service", selected: service == nil)]
                + known.map { PageViews.Option(value: $0.id, label: $0.name, selected: $0.id == service) },
            since: since, notice: notice, failure: failure?.banner, errors: failure?.errors ?? [:],
            values: failure.map { [$0.form: $0.values] } ?? [:])
    }
}
