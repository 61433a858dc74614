import Foundation
import MusterCore
import MusterStore

extension IncidentDetailPage {
    /// The runbooks that match the incident and the runbook links its service and alerts carry.
    struct RunbooksPart: PageModel {
        struct Matched: PageModel {
            var runbookID: String
            var runbookTitle: String
            var reason: String
            var html: String
            var itemCount: Int
            var hasItems: Bool
        }
        struct Link: PageModel {
            var href: String
            var from: String
        }
        var matched: [Matched]
        var links: [Link]
        var any: Bool
    }

    static func runbooksPart(_ incident: Incident, alerts: [Alert], services: [ServiceRecord], env: APIEnvironment) async throws
        -> RunbooksPart
    {
        let found = try await IncidentRunbooks.build(incident, env: env, alerts: alerts, services: services)
        return RunbooksPart(
            matched: found.items.map {
                RunbooksPart.Matched(
                    runbookID: $0.runbook.id, runbookTitle: $0.runbook.title, reason: $0.reason, html: MarkdownHTML.render($0.runbook.body),
                    itemCount: $0.checklistItems.count, hasItems: !$0.checklistItems.isEmpty)
            },
            links: found.links.map { RunbooksPart.Link(href: $0.href, from: $0.from) }, any: !found.items.isEmpty || !found.links.isEmpty)
    }
}
