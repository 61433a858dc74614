import Foundation
import Hummingbird
import MusterCore
import MusterStore

/// `/api/v1/action-items`: what teams commit to after incidents, followed until done.
struct ActionItemController {
    let env: APIEnvironment

    struct CreateRequest: Decodable {
        var title: String
        var description: String?
        var owner: String
        var dueAt: Date?
        var priority: ActionPriority
        var ticketURL: String?
        /// The incident it came from (INC-… or its id); its post-mortem too when it has one.
        var incident: String?
    }

    struct EditRequest: Decodable {
        var title: String?
        var description: String?
        var owner: String?
        var dueAt: Date?
        var priority: ActionPriority?
        var ticketURL: String?
        var status: ActionStatus?
        var reason: String?
    }

    func addRoutes(to group: RouterGroup<MusterRequestContext>) {
        group.post("action-items") { request, context -> EditedResponse<ActionItem> in
            let author = try context.writer().name
            let body = try await APICoding.decode(CreateRequest.self, from: request, limit: env.maxBodyBytes)
            var incident: Incident?
            var postmortem: UUID?
            if let key = body.incident {
                incident = try await Postmortems(env: env).incident(key)
                postmortem = try await env.stores.learning.postmortem(ofIncident: incident!.id)?.id
            }
            let item = try ActionItem(
                id: UUID(), title: body.title, description: body.description ?? "", owner: body.owner, dueAt: body.dueAt,
                priority: body.priority, ticketURL: body.ticketURL, incident: incident, postmortemID: postmortem, by: author, at: env.now())
            return EditedResponse(status: .created, response: try await env.stores.learning.createActionItem(item))
        }
        group.get("action-items") { request, context -> ListEnvelope<ActionItem> in
            let parameters = request.uri.queryParameters
            // `owner=me` is the caller: the token's name, which is what it writes as.
            let owner = parameters.get("owner") == "me" ? context.token?.name : parameters.get("owner")
            var query = ActionItemQuery(owner: owner, openOnly: parameters.get("open") == "true")
            if parameters.get("overdue") == "true" { query.overdueAt = env.now() }
            if let key = parameters.get("incident") { query.incidentID = try await Postmortems(env: env).incident(key).id }
            for flag in ["open", "overdue"] {
                if let value = parameters.get(flag), !["true", "false"].contains(value) {
                    throw Problem.invalid(flag, "'\(flag)' must be true or false; got '\(value.prefix(20))'.")
                }
            }
            return try ListEnvelope(paging: try await env.stores.learning.actionItems(query), request)
        }
        group.get("action-items/:id") { _, context -> ActionItem in
            try await existing(context)
        }
        group.patch("action-items/:id") { request, context -> ActionItem in
            _ = try context.writer()
            let body = try await APICoding.decode(EditRequest.self, from: request, limit: env.maxBodyBytes)
            let current = try await existing(context)
            let now = env.now()
            return try await env.stores.learning.updateActionItem(current.id) { item in
                var edited = try ActionItem(
                    id: item.id, title: body.title ?? item.title, description: body.description ?? item.description,
                    owner: body.owner ?? item.owner, dueAt: body.dueAt ?? item.dueAt, priority: body.priority ?? item.priority,
                    ticketURL: body.ticketURL ?? item.ticketURL, by: item.createdBy, at: item.createdAt)
                (edited.incidentID, edited.incidentReference, edited.postmortemID) = (
                    item.incidentID, item.incidentReference, item.postmortemID
                )
                (edited.status, edited.reason, edited.doneAt, edited.updatedAt) = (item.status, item.reason, item.doneAt, now)
                if let status = body.status { try edited.move(to: status, reason: body.reason, at: now) }
                item = edited
            }
        }
    }

    private func existing(_ context: MusterRequestContext) async throws -> ActionItem {
        let id = try context.parameters.require("id")
        guard let uuid = UUID(uuidString: id), let item = try await env.stores.learning.actionItem(uuid) else {
            throw Problem.notFound("No action item '\(id.prefix(80))'.")
        }
        return item
    }
}

extension ActionItem: ResponseEncodable {}
