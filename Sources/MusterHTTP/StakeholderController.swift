import Foundation
import Hummingbird
import MusterCore
import MusterStore

/// `/api/v1/stakeholder-groups`: who outside the response hears of incidents, and announcement channels.
struct StakeholderController {
    let env: APIEnvironment

    /// A group as it is written: members without ids, which the server gives them.
    struct GroupRequest: Decodable {
        var id: String
        var name: String
        var mode: StakeholderMode?
        var members: [PeopleController.ContactRequest]
        var services: [String]?
        var minimumSeverity: String?

        /// The group it describes; `existing` keeps the ids of members that stay.
        func group(scheme: SeverityScheme, existing: StakeholderGroup?, at now: Date) throws -> StakeholderGroup {
            let members = try members.map { member in
                try existing?.member(kind: member.kind, address: member.address)
                    ?? ContactMethod(id: UUID(), kind: member.kind, address: member.address)
            }
            return try StakeholderGroup(
                id: id, name: name, mode: mode ?? .updates, members: members, services: services ?? [],
                minimumSeverity: minimumSeverity, scheme: scheme, createdAt: existing?.createdAt ?? now, updatedAt: now)
        }
    }

    func addRoutes(to group: RouterGroup<MusterRequestContext>) {
        group.post("stakeholder-groups") { request, _ -> EditedResponse<StakeholderGroup> in
            let body = try await APICoding.decode(GroupRequest.self, from: request, limit: env.maxBodyBytes)
            let created = try body.group(scheme: env.scheme, existing: nil, at: env.now())
            return EditedResponse(status: .created, response: try await env.stores.communication.createStakeholderGroup(created))
        }
        group.get("stakeholder-groups") { request, context -> ListEnvelope<StakeholderGroup> in
            let masking = try context.caller().role == .viewer
            let groups = try await env.stores.communication.stakeholderGroups().map { masking ? $0.masked : $0 }
            return try ListEnvelope(paging: groups, request)
        }
        group.get("stakeholder-groups/:id") { _, context -> StakeholderGroup in
            let group = try await existing(context)
            return try context.caller().role == .viewer ? group.masked : group
        }
        group.put("stakeholder-groups/:id") { request, context -> StakeholderGroup in
            let body = try await APICoding.decode(GroupRequest.self, from: request, limit: env.maxBodyBytes)
            let current = try await existing(context)
            guard body.id == current.id else {
                throw Problem.invalid(
                    "id", "'id' is '\(body.id.prefix(80))' but the URL names '\(current.id)'; a group's id cannot change.")
            }
            return try await env.stores.communication.replaceStakeholderGroup(
                try body.group(scheme: env.scheme, existing: current, at: env.now()))
        }
        group.delete("stakeholder-groups/:id") { _, context -> HTTPResponse.Status in
            try await env.stores.communication.deleteStakeholderGroup(try context.parameters.require("id"))
            return .noContent
        }
    }

    private func existing(_ context: MusterRequestContext) async throws -> StakeholderGroup {
        let id = try context.parameters.require("id")
        guard let group = try await env.stores.communication.stakeholderGroup(id) else {
            throw Problem.notFound("No stakeholder group '\(id.prefix(80))'.")
        }
        return group
    }
}

extension StakeholderGroup: ResponseEncodable {}
