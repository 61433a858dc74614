import Foundation
import Hummingbird
import MusterCore
import MusterStore

/// `/api/v1/status-components`: the parts of the product on the public status page, each with the
/// status the page gives it now and why.
struct StatusComponentController {
    let env: APIEnvironment

    struct ComponentRequest: Decodable {
        var id: String
        var name: String
        var description: String?
        var groupID: String?
        var position: Int?
        var services: [String]
        var showUptime: Bool?

        /// The component it describes; `current` keeps its override and creation time.
        func component(replacing current: StatusComponent?, at now: Date) throws -> StatusComponent {
            try StatusComponent(
                id: id, name: name, description: description ?? "", groupID: groupID, position: position ?? 0, services: services,
                showUptime: showUptime ?? true, override: current?.override, createdAt: current?.createdAt ?? now, updatedAt: now)
        }
    }

    /// A status set by hand: until a time, for a while (`for`: `2h`), or until cleared.
    struct OverrideRequest: Decodable {
        var status: ComponentStatus
        var reason: String
        var until: Date?
        var `for`: String?

        func override(by author: String, at now: Date) throws -> StatusOverride {
            let why = reason.trimmingCharacters(in: .whitespacesAndNewlines)
            try TextRules.require(why, field: "reason", max: 500)
            guard until == nil || self.for == nil else { throw Problem.invalid("for", "Give 'until' or 'for', not both.") }
            var end = until
            if let span = self.for {
                guard let seconds = DurationText.parse(span), seconds > 0 else {
                    throw Problem.invalid("for", "'\(span.prefix(40))' is not a duration such as 30m or 2h.")
                }
                end = now.addingTimeInterval(TimeInterval(seconds))
            }
            if let end, end <= now { throw Problem.invalid(until == nil ? "for" : "until", "The override must end later than now.") }
            return StatusOverride(status: status, setBy: author, reason: why, setAt: now, until: end)
        }
    }

    /// A component with its status at the moment of the answer.
    struct ComponentView: ResponseEncodable {
        var component: StatusComponent
        var state: ComponentState

        enum CodingKeys: String, CodingKey { case status, statusReason, statusSince }

        func encode(to encoder: any Encoder) throws {
            try component.encode(to: encoder)
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(state.status, forKey: .status)
            try container.encodeIfPresent(state.reason, forKey: .statusReason)
            try container.encodeIfPresent(state.since, forKey: .statusSince)
        }
    }

    func addRoutes(to group: RouterGroup<MusterRequestContext>) {
        group.post("status-components") { request, _ -> EditedResponse<ComponentView> in
            let body = try await APICoding.decode(ComponentRequest.self, from: request, limit: env.maxBodyBytes)
            let created = try await env.stores.statusPage.createStatusComponent(
                try body.component(replacing: nil, at: env.now()), at: env.now())
            return EditedResponse(status: .created, response: try await view(created))
        }
        group.get("status-components") { request, _ -> ListEnvelope<ComponentView> in
            let board = try await StatusPageSnapshot.board(env, components: try await env.stores.statusPage.statusComponents())
            return try ListEnvelope(paging: board.components.map { ComponentView(component: $0.component, state: $0.state) }, request)
        }
        group.get("status-components/:id") { _, context -> ComponentView in
            try await view(try await existing(context))
        }
        group.put("status-components/:id") { request, context -> ComponentView in
            let body = try await APICoding.decode(ComponentRequest.self, from: request, limit: env.maxBodyBytes)
            let current = try await existing(context)
            guard body.id == current.id else {
                throw Problem.invalid(
                    "id", "'id' is '\(body.id.prefix(80))' but the URL names '\(current.id)'; a component's id cannot change.")
            }
            return try await view(
                try await env.stores.statusPage.replaceStatusComponent(try body.component(replacing: current, at: env.now())))
        }
        group.put("status-components/:id/override") { request, context -> ComponentView in
            let body = try await APICoding.decode(OverrideRequest.self, from: request, limit: env.maxBodyBytes)
            var component = try await existing(context)
            component.override = try body.override(by: try context.writer().name, at: env.now())
            component.updatedAt = env.now()
            return try await view(try await env.stores.statusPage.replaceStatusComponent(component))
        }
        group.delete("status-components/:id/override") { _, context -> ComponentView in
            var component = try await existing(context)
            component.override = nil
            component.updatedAt = env.now()
            return try await view(try await env.stores.statusPage.replaceStatusComponent(component))
        }
        group.delete("status-components/:id") { _, context -> HTTPResponse.Status in
            try await env.stores.statusPage.deleteStatusComponent(try context.parameters.require("id"))
            return .noContent
        }
    }

    private func view(_ component: StatusComponent) async throws -> ComponentView {
        let board = try await StatusPageSnapshot.board(env, components: [component])
        return ComponentView(component: component, state: board.components[0].state)
    }

    private func existing(_ context: MusterRequestContext) async throws -> StatusComponent {
        let id = try context.parameters.require("id")
        guard let component = try await env.stores.statusPage.statusComponent(id) else {
            throw Problem.notFound("No status page component '\(id.prefix(80))'.")
        }
        return component
    }
}
