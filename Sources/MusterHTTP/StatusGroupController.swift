import Foundation
import Hummingbird
import MusterCore
import MusterStore

/// `/api/v1/status-groups`: the headings that gather components on the status page, and
/// `/api/v1/status-page/settings`: the page's name, branding, time zone, links and severity map.
struct StatusGroupController {
    let env: APIEnvironment

    struct GroupRequest: Decodable {
        var id: String
        var name: String
        var description: String?
        var position: Int?

        func group(replacing current: StatusComponentGroup?, at now: Date) throws -> StatusComponentGroup {
            try StatusComponentGroup(
                id: id, name: name, description: description ?? "", position: position ?? 0, createdAt: current?.createdAt ?? now,
                updatedAt: now)
        }
    }

    struct SettingsRequest: Decodable {
        var name: String
        var logoURL: String?
        var accentColor: String?
        var timeZone: String?
        var links: [StatusPageLink]?
        var statusBySeverity: [String: ComponentStatus]?
    }

    func addRoutes(to group: RouterGroup<MusterRequestContext>) {
        group.post("status-groups") { request, _ -> EditedResponse<StatusComponentGroup> in
            let body = try await APICoding.decode(GroupRequest.self, from: request, limit: env.maxBodyBytes)
            return EditedResponse(
                status: .created, response: try await env.stores.statusPage.createStatusGroup(try body.group(replacing: nil, at: env.now()))
            )
        }
        group.get("status-groups") { request, _ -> ListEnvelope<StatusComponentGroup> in
            try ListEnvelope(paging: try await env.stores.statusPage.statusGroups(), request)
        }
        group.get("status-groups/:id") { _, context -> StatusComponentGroup in
            try await existing(context)
        }
        group.put("status-groups/:id") { request, context -> StatusComponentGroup in
            let body = try await APICoding.decode(GroupRequest.self, from: request, limit: env.maxBodyBytes)
            let current = try await existing(context)
            guard body.id == current.id else {
                throw Problem.invalid(
                    "id", "'id' is '\(body.id.prefix(80))' but the URL names '\(current.id)'; a group's id cannot change.")
            }
            return try await env.stores.statusPage.replaceStatusGroup(try body.group(replacing: current, at: env.now()))
        }
        group.delete("status-groups/:id") { _, context -> HTTPResponse.Status in
            try await env.stores.statusPage.deleteStatusGroup(try context.parameters.require("id"))
            return .noContent
        }
        group.get("status-page/settings") { _, _ -> StatusPageSettings in
            try await StatusPageSnapshot.settings(env)
        }
        group.put("status-page/settings") { request, context -> StatusPageSettings in
            _ = try context.admin(to: "change the status page's settings")
            let body = try await APICoding.decode(SettingsRequest.self, from: request, limit: env.maxBodyBytes)
            let settings = try StatusPageSettings(
                name: body.name, logoURL: body.logoURL, accentColor: body.accentColor ?? "#1d4ed8", timeZone: body.timeZone ?? "UTC",
                links: body.links ?? [], statusBySeverity: body.statusBySeverity ?? [:], scheme: env.scheme, updatedAt: env.now())
            return try await env.stores.statusPage.saveStatusPageSettings(settings)
        }
    }

    private func existing(_ context: MusterRequestContext) async throws -> StatusComponentGroup {
        let id = try context.parameters.require("id")
        guard let group = try await env.stores.statusPage.statusGroups().first(where: { $0.id == id }) else {
            throw Problem.notFound("No status page group '\(id.prefix(80))'.")
        }
        return group
    }
}

extension StatusComponentGroup: ResponseEncodable {}
extension StatusPageSettings: ResponseEncodable {}
