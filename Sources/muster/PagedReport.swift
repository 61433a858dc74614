import Foundation
import MusterCore
import MusterStore

/// Says who an action paged, read back from the server, so that a responder who declares or
/// hands over an incident knows at once whether anyone is coming.
enum PagedReport {
    /// Who was paged for the incident, by contact kind, or why nobody was.
    static func declared(_ reference: String, client: APIClient) async throws -> String {
        let (pages, _) = try await client.list("/api/v1/incidents/\(APIClient.segment(reference))/pages", as: Page.self)
        if !pages.isEmpty { return "Paged " + describe(pages) + "." }
        let (entries, _) = try await client.list("/api/v1/incidents/\(APIClient.segment(reference))/timeline", as: TimelineEntry.self)
        let page = entries.last { $0.kind == .page }
        return page?.text ?? "Nobody was paged."
    }

    /// Who the handed-over escalation pages first.
    static func reassigned(_ reference: String, client: APIClient) async throws -> String {
        let (escalation, _) = try await client.call(
            .GET, "/api/v1/incidents/\(APIClient.segment(reference))/escalation", as: Escalation.self)
        let first = escalation.policy.levels.first?.targets.map(\.description) ?? []
        return "Paging now: " + (first.isEmpty ? "nobody" : first.joined(separator: ", ")) + "."
    }

    /// "ann (webhook, email), bob (slack)", in the order they were paged.
    static func describe(_ pages: [Page]) -> String {
        var order: [String] = []
        var kinds: [String: [String]] = [:]
        for page in pages {
            if kinds[page.user] == nil { order.append(page.user) }
            kinds[page.user, default: []].append(page.contact.kind.rawValue)
        }
        return order.map { "\($0) (\(kinds[$0]!.joined(separator: ", ")))" }.joined(separator: ", ")
    }
}
