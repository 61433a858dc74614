import Foundation
import MusterCore
import MusterStore

/// `/actions`: the open action items of every incident, by owner and due date, with a form to add
/// one and to move each on.
struct ActionItemsPage: PageModel {
    struct Item: PageModel {
        var id: String
        var title: String
        var owner: String
        var priority: String
        var status: String
        var due: PageViews.Time?
        var overdue: Bool
        var incident: String?
        var ticket: String?
        var moves: [PageViews.Option]
    }

    var person: [String: String]
    var canWrite: Bool
    var items: [Item]
    var hasItems: Bool
    var priorities: [PageViews.Option]
    var notice: String?
    var failure: String?
    var errors: [String: [String: String]]
    var values: [String: [String: String]]

    static func build(for signedIn: WebAuth.SignedIn, env: APIEnvironment, notice: String? = nil, failure: FormFailure? = nil) async throws
        -> ActionItemsPage
    {
        let now = env.now()
        let items = try await env.stores.learning.actionItems(ActionItemQuery(openOnly: true))
            .sorted { ($0.owner, $0.dueAt ?? .distantFuture) < ($1.owner, $1.dueAt ?? .distantFuture) }
        return ActionItemsPage(
            person: signedIn.view, canWrite: signedIn.user.role.canWrite,
            items: items.map { item in
                Item(
                    id: item.id.uuidString.lowercased(), title: item.title, owner: item.owner, priority: item.priority.rawValue,
                    status: item.status.rawValue, due: item.dueAt.map(PageViews.Time.init), overdue: item.isOverdue(at: now),
                    incident: item.incidentReference, ticket: item.ticketURL,
                    moves: ActionStatus.allCases.map {
                        PageViews.Option(
                            value: $0.rawValue, label: $0.rawValue.replacingOccurrences(of: "_", with: " "), selected: $0 == item.status)
                    })
            },
            hasItems: !items.isEmpty,
            priorities: ActionPriority.allCases.map { PageViews.Option(value: $0.rawValue, label: $0.rawValue, selected: $0 == .p1) },
            notice: notice, failure: failure?.banner, errors: failure?.errors ?? [:], values: failure.map { [$0.form: $0.values] } ?? [:])
    }
}
