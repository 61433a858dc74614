import Foundation
import Hummingbird
import MusterCore
import MusterStore

/// `/api/v1/users` and `/api/v1/teams`: who can be paged.
struct PeopleController {
    let env: APIEnvironment

    struct UserRequest: Decodable {
        var id: String
        var name: String
        var email: String
        var timeZone: String?
        var role: Role?
    }

    struct ContactRequest: Decodable {
        var kind: ContactMethod.Kind
        var address: String
    }

    /// A deactivated person, with what leaving every schedule, policy and team changed.
    struct Deactivated: ResponseEncodable {
        var user: User
        var changes: [String]
    }

    struct TeamRequest: Decodable {
        var id: String
        var name: String
        var members: [String]?
    }

    func addRoutes(to group: RouterGroup<MusterRequestContext>) {
        group.post("users") { request, context -> EditedResponse<User> in
            let body = try await APICoding.decode(UserRequest.self, from: request, limit: env.maxBodyBytes)
            if body.role == .admin { _ = try context.admin(to: "make an admin") }
            let now = env.now()
            let email = try ContactMethod(id: UUID(), kind: .email, address: body.email, verifiedAt: nil)
            let user = try User(
                id: body.id, name: body.name, email: body.email, timeZone: body.timeZone ?? "UTC", contactMethods: [email], createdAt: now,
                role: body.role ?? .responder)
            return EditedResponse(status: .created, response: try await env.stores.onCall.createUser(user))
        }
        // Viewers see webhook and Slack URLs masked: each is a credential to post as Muster.
        group.get("users") { request, context -> ListEnvelope<User> in
            let masking = try context.caller().role == .viewer
            return try ListEnvelope(paging: try await env.stores.onCall.users().map { masking ? $0.masked : $0 }, request)
        }
        group.get("users/:id") { _, context -> User in
            let id = try context.parameters.require("id")
            guard let user = try await env.stores.onCall.user(id) else { throw Problem.notFound("No user '\(id.prefix(80))'.") }
            return try context.caller().role == .viewer ? user.masked : user
        }
        group.patch("users/:id") { request, context -> User in
            let edit = try await APICoding.decode(UserEdit.self, from: request, limit: env.maxBodyBytes)
            // Only an admin changes what someone may do, or a responder could make itself one.
            if edit.role != nil { _ = try context.admin(to: "change a person's role") }
            return try await env.stores.onCall.updateUser(try context.parameters.require("id"), edit)
        }
        group.post("users/:id/deactivate") { _, context -> Deactivated in
            _ = try context.writer()
            let (user, changes) = try await env.stores.onCall.deactivateUser(try context.parameters.require("id"), at: env.now())
            return Deactivated(user: user, changes: changes)
        }
        group.post("users/:id/reactivate") { _, context -> User in
            _ = try context.writer()
            return try await env.stores.onCall.reactivateUser(try context.parameters.require("id"))
        }
        group.post("users/:id/contact-methods") { request, context -> EditedResponse<User> in
            let body = try await APICoding.decode(ContactRequest.self, from: request, limit: env.maxBodyBytes)
            let method = try ContactMethod(id: UUID(), kind: body.kind, address: body.address)
            return EditedResponse(
                status: .created, response: try await env.stores.onCall.addContactMethod(method, to: try context.parameters.require("id")))
        }
        group.patch("users/:id/contact-methods/:method") { request, context -> User in
            struct Change: Decodable { var address: String }
            let body = try await APICoding.decode(Change.self, from: request, limit: env.maxBodyBytes)
            return try await env.stores.onCall.changeContactMethod(
                try contactMethodID(context), of: try context.parameters.require("id"), address: body.address)
        }
        group.delete("users/:id/contact-methods/:method") { _, context -> User in
            try await env.stores.onCall.removeContactMethod(try contactMethodID(context), of: try context.parameters.require("id"))
        }
        group.post("users/:id/contact-methods/:method/test") { _, context -> User in
            try await ContactTest(env: env).run(
                user: try context.parameters.require("id"), method: context.parameters.get("method") ?? "")
        }
        group.post("teams") { request, _ -> EditedResponse<Team> in
            let body = try await APICoding.decode(TeamRequest.self, from: request, limit: env.maxBodyBytes)
            let team = try Team(id: body.id, name: body.name, members: body.members ?? [], createdAt: env.now())
            return EditedResponse(status: .created, response: try await env.stores.onCall.createTeam(team))
        }
        group.get("teams") { request, _ -> ListEnvelope<Team> in try ListEnvelope(paging: try await env.stores.onCall.teams(), request) }
        group.patch("teams/:id") { request, context -> Team in
            struct Change: Decodable {
                var name: String?
                var members: [String]?
            }
            let body = try await APICoding.decode(Change.self, from: request, limit: env.maxBodyBytes)
            return try await env.stores.onCall.updateTeam(try context.parameters.require("id"), name: body.name, members: body.members)
        }
        group.delete("teams/:id") { _, context -> HTTPResponse.Status in
            try await env.stores.onCall.deleteTeam(try context.parameters.require("id"))
            return .noContent
        }
        group.get("teams/:id") { _, context -> Team in
            let id = try context.parameters.require("id")
            guard let team = try await env.stores.onCall.team(id) else { throw Problem.notFound("No team '\(id.prefix(80))'.") }
            return team
        }
    }
}

extension PeopleController {
    func contactMethodID(_ context: MusterRequestContext) throws -> UUID {
        let text = try context.parameters.require("method")
        guard let id = UUID(uuidString: text) else { throw Problem.notFound("No contact method '\(text.prefix(60))'.") }
        return id
    }
}

extension User: ResponseEncodable {}
extension Team: ResponseEncodable {}
