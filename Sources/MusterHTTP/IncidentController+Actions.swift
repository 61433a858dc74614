import Foundation
import Hummingbird
import MusterCore
import MusterStore

extension IncidentController {
    func addActionRoutes(to group: RouterGroup<MusterRequestContext>) {
        group.post("incidents/:id/acknowledge") { request, context in
            let body = try await optionalBody(IncidentRequests.Acknowledge.self, request)
            let incident = try await IncidentUpdates(env: env).acknowledge(
                try key(context), author: try context.writer().name, note: body?.note, timeoutMinutes: body?.timeoutMinutes,
                at: body?.at)
            return IncidentView(incident, scheme: env.scheme, now: env.now())
        }
        group.post("incidents/:id/escalate") { _, context in
            let incident = try await IncidentUpdates(env: env).escalate(try key(context), author: try context.writer().name)
            return IncidentView(incident, scheme: env.scheme, now: env.now())
        }
        group.post("incidents/:id/reassign") { request, context in
            let body = try await APICoding.decode(IncidentRequests.Reassign.self, from: request, limit: env.maxBodyBytes)
            let assignment = try Reassignment(users: body.users ?? [], schedules: body.schedules ?? [], policy: body.policy)
            let author = try context.writer().name
            let now = env.now()
            let incident = try await env.stores.paging.reassign(try key(context), to: assignment, note: body.note, by: author, at: now)
            return IncidentView(incident, scheme: env.scheme, now: now)
        }
        group.post("incidents/:id/status") { request, context in
            let body = try await APICoding.decode(IncidentRequests.Status.self, from: request, limit: env.maxBodyBytes)
            if body.status == .resolved {
                let incident = try await IncidentUpdates(env: env).resolve(
                    try key(context), author: try context.writer().name, at: body.at, resolution: body.note, rootCause: nil,
                    publicUpdate: nil, force: body.force)
                return IncidentView(incident, scheme: env.scheme, now: env.now())
            }
            return try await apply(context, at: body.at) { incident, author, at in
                try incident.transition(to: body.status, note: body.note, by: author, at: at)
            }
        }
        group.post("incidents/:id/severity") { request, context in
            let body = try await APICoding.decode(IncidentRequests.SeverityChange.self, from: request, limit: env.maxBodyBytes)
            let scheme = env.scheme
            return try await apply(context) { incident, author, now in
                try incident.changeSeverity(to: body.severity, reason: body.reason, scheme: scheme, by: author, at: now)
            }
        }
        group.put("incidents/:id/impact") { request, context in
            let body = try await APICoding.decode(Impact.self, from: request, limit: env.maxBodyBytes)
            return try await apply(context) { incident, author, now in
                try incident.updateImpact(body, by: author, at: now)
            }
        }
        group.post("incidents/:id/roles") { request, context in
            let body = try await APICoding.decode(IncidentRequests.Role.self, from: request, limit: env.maxBodyBytes)
            try await RoleHolders(env: env).require(body.assignee, outside: body.outside == true)
            return try await apply(context, at: body.at) { incident, author, at in
                try incident.assign(body.role, to: body.assignee, outside: body.outside == true, by: author, at: at)
            }
        }
        group.delete("incidents/:id/roles/:role") { request, context in
            let name = try context.parameters.require("role")
            guard let role = IncidentRole(rawValue: name) else {
                throw Problem.invalid("role", "'role' is '\(name.prefix(60))', which is not one of: \(IncidentRole.allowedValues).")
            }
            let assignee = request.uri.queryParameters.get("assignee")
            return try await apply(context) { incident, author, now in
                try incident.unassign(role, assignee: assignee, by: author, at: now)
            }
        }
        group.post("incidents/:id/resolve") { request, context in
            let body = try await optionalBody(IncidentRequests.Resolve.self, request)
            let incident = try await IncidentUpdates(env: env).resolve(
                try key(context), author: try context.writer().name, at: body?.at, resolution: body?.resolution,
                rootCause: body?.rootCause, publicUpdate: body?.publicUpdate, force: body?.force)
            return IncidentView(incident, scheme: env.scheme, now: env.now())
        }
        group.post("incidents/:id/close") { request, context in
            let body = try await optionalBody(IncidentRequests.Note.self, request)
            return try await apply(context, at: body?.at) { incident, author, at in
                try incident.close(note: body?.note, by: author, at: at)
            }
        }
        group.post("incidents/:id/reopen") { request, context in
            let body = try await APICoding.decode(IncidentRequests.Reopen.self, from: request, limit: env.maxBodyBytes)
            let window = env.reopenWindowSeconds
            return try await apply(context) { incident, author, now in
                try incident.reopen(reason: body.reason, windowSeconds: window, by: author, at: now)
            }
        }
    }

    /// Runs one state change for the calling writer and answers with the updated incident; see
    /// `IncidentUpdates.apply`.
    func apply(
        _ context: MusterRequestContext, at given: Date? = nil,
        _ change: @escaping @Sendable (inout Incident, String, Date) throws -> [TimelineDraft]
    ) async throws -> IncidentView {
        let incident = try await IncidentUpdates(env: env).apply(try key(context), author: try context.writer().name, at: given, change)
        return IncidentView(incident, scheme: env.scheme, now: env.now())
    }

    /// Decodes a body that may be left out entirely.
    private func optionalBody<T: Decodable>(_ type: T.Type, _ request: Request) async throws -> T? {
        try await APICoding.decodeIfPresent(type, from: request, limit: env.maxBodyBytes)
    }
}
