import Foundation
import Hummingbird
import MusterCore
import MusterStore

/// `/api/v1/maintenances`: planned work announced on the status page. A maintenance moves on by
/// itself at its times; responders may post messages and move it on early. With `silence`, one
/// request also holds back the alerts of its components' services over the same window.
struct MaintenanceController {
    let env: APIEnvironment

    struct CreateRequest: Decodable {
        var title: String
        var message: String
        var components: [String]
        var startsAt: Date
        var endsAt: Date
        var verifySeconds: Int?
        /// Also create the silence for the alerts of the components' services.
        var silence: Bool?
    }

    struct EditRequest: Decodable {
        var title: String?
        var startsAt: Date?
        var endsAt: Date?
    }

    /// A message, and optionally the state it moves the maintenance to.
    struct UpdateRequest: Decodable {
        var message: String?
        var state: MaintenanceState?
    }

    func addRoutes(to group: RouterGroup<MusterRequestContext>) {
        group.post("maintenances") { request, context -> EditedResponse<Maintenance> in
            let author = try context.writer().name
            let body = try await APICoding.decode(CreateRequest.self, from: request, limit: env.maxBodyBytes)
            let created = try await create(
                title: body.title, message: body.message, components: body.components, start: body.startsAt, end: body.endsAt,
                verifySeconds: body.verifySeconds, silence: body.silence == true, by: author)
            return EditedResponse(status: .created, response: created)
        }
        group.get("maintenances") { request, _ -> ListEnvelope<Maintenance> in
            let state = try request.uri.queryParameters.get("state").map { name in
                guard let state = MaintenanceState(rawValue: name) else {
                    throw Problem.invalid("state", "'state' must be one of \(MaintenanceState.allowedValues); got '\(name.prefix(40))'.")
                }
                return state
            }
            let all = try await env.stores.statusPage.maintenances(endedSince: env.now().addingTimeInterval(-366 * 86_400))
            return try ListEnvelope(paging: all.filter { state == nil || $0.state == state }, request)
        }
        group.get("maintenances/:id") { _, context -> Maintenance in
            try await existing(context)
        }
        group.patch("maintenances/:id") { request, context -> Maintenance in
            let author = try context.writer().name
            let body = try await APICoding.decode(EditRequest.self, from: request, limit: env.maxBodyBytes)
            let current = try await existing(context)
            let now = env.now()
            var changed = try await env.stores.statusPage.updateMaintenance(current.id) { maintenance in
                if let title = body.title {
                    let trimmed = title.trimmingCharacters(in: .whitespacesAndNewlines)
                    try TextRules.require(trimmed, field: "title", max: 200)
                    maintenance.title = trimmed
                    maintenance.updatedAt = now
                }
                if body.startsAt != nil || body.endsAt != nil {
                    try maintenance.reschedule(
                        startsAt: body.startsAt ?? maintenance.startsAt, endsAt: body.endsAt ?? maintenance.endsAt, at: now)
                }
            }
            // A silence follows its maintenance's window.
            if let silenceID = changed.silenceID, changed.startsAt != current.startsAt || changed.endsAt != current.endsAt {
                _ = try? await env.stores.alerts.expireSilence(silenceID, at: now)
                let silence = try await env.stores.alerts.createSilence(try await silenceFor(changed, by: author))
                changed = try await env.stores.statusPage.updateMaintenance(changed.id) { $0.silenceID = silence.id }
            }
            return changed
        }
        group.post("maintenances/:id/updates") { request, context -> EditedResponse<Maintenance> in
            let author = try context.writer().name
            let body = try await APICoding.decode(UpdateRequest.self, from: request, limit: env.maxBodyBytes)
            let changed = try await post(try context.parameters.require("id"), message: body.message, state: body.state, by: author)
            return EditedResponse(status: .created, response: changed)
        }
        group.delete("maintenances/:id") { _, context -> HTTPResponse.Status in
            try await delete(try context.parameters.require("id"))
            return .noContent
        }
    }

    /// Announces a maintenance, with its silence when asked; a refused one leaves no silence behind.
    func create(
        title: String, message: String, components: [String], start: Date, end: Date, verifySeconds: Int?, silence: Bool, by author: String
    ) async throws -> Maintenance {
        var maintenance = try Maintenance(
            id: UUID(), title: title, message: message, components: components, startsAt: start, endsAt: end,
            verifySeconds: verifySeconds ?? Maintenance.defaultVerifySeconds, createdBy: author, at: env.now())
        var made: Silence?
        if silence {
            made = try await env.stores.alerts.createSilence(try await silenceFor(maintenance, by: author))
            maintenance.silenceID = made?.id
        }
        do {
            return try await env.stores.statusPage.createMaintenance(maintenance)
        } catch {
            if let made { _ = try? await env.stores.alerts.expireSilence(made.id, at: env.now()) }
            throw error
        }
    }

    /// Posts a message to maintenance `id`, moving it to `state` when given.
    func post(_ id: String, message: String?, state: MaintenanceState?, by author: String) async throws -> Maintenance {
        let current = try await existing(id)
        let now = env.now()
        let changed = try await env.stores.statusPage.updateMaintenance(current.id) { maintenance in
            _ = maintenance.advance(at: now)
            if let state {
                _ = try maintenance.move(to: state, body: message, by: author, at: now)
            } else {
                _ = try maintenance.post(message ?? "", by: author, at: now)
            }
        }
        // Work finished early gives the alerts back at once.
        if changed.state == .completed || changed.state == .verifying, let silenceID = changed.silenceID {
            _ = try? await env.stores.alerts.expireSilence(silenceID, at: now)
        }
        return changed
    }

    /// Removes maintenance `id` from the page; its silence ends.
    func delete(_ id: String) async throws {
        let maintenance = try await existing(id)
        try await env.stores.statusPage.deleteMaintenance(maintenance.id)
        if let silenceID = maintenance.silenceID { _ = try? await env.stores.alerts.expireSilence(silenceID, at: env.now()) }
    }

    /// The silence for the alerts of the services behind a maintenance's components, over its window.
    private func silenceFor(_ maintenance: Maintenance, by author: String) async throws -> Silence {
        let components = try await env.stores.statusPage.statusComponents()
        var services: [String] = []
        for id in maintenance.components {
            guard let component = components.first(where: { $0.id == id }) else {
                throw Problem.invalid("components", "'components' names '\(id.prefix(60))', which is not a status page component.")
            }
            for service in component.services where !services.contains(service) { services.append(service) }
        }
        guard !services.isEmpty else {
            throw Problem.invalid("silence", "The components name no services, so there are no alerts to silence.")
        }
        let matcher = try LabelMatcher(name: Silence.serviceLabel, op: .matches, value: services.joined(separator: "|"))
        return try Silence(
            id: UUID(), matchers: [matcher], startsAt: maintenance.startsAt, endsAt: maintenance.endsAt, createdBy: author,
            comment: "Maintenance: \(maintenance.title)", expireWhenResolved: false, createdAt: env.now())
    }

    private func existing(_ context: MusterRequestContext) async throws -> Maintenance {
        try await existing(try context.parameters.require("id"))
    }

    private func existing(_ id: String) async throws -> Maintenance {
        guard let uuid = UUID(uuidString: id), let maintenance = try await env.stores.statusPage.maintenance(uuid) else {
            throw Problem.notFound("No maintenance '\(id.prefix(80))'.")
        }
        return maintenance
    }
}

extension Maintenance: ResponseEncodable {}
