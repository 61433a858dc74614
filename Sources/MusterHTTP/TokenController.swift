import Foundation
import Hummingbird
import MusterCore
import MusterStore

/// `/api/v1/tokens`: admins create, list and revoke API tokens.
struct TokenController {
    let env: APIEnvironment

    struct CreateRequest: Decodable {
        var name: String
        var role: TokenRole
        /// When the token stops working by itself; it never does without.
        var expiresAt: Date?
    }

    struct CreatedView: ResponseEncodable {
        var token: APIToken
        /// Shown once; only its hash is stored.
        var secret: String
    }

    func addRoutes(to group: RouterGroup<MusterRequestContext>) {
        group.post("tokens") { request, context -> EditedResponse<CreatedView> in
            _ = try context.admin()
            let body = try await APICoding.decode(CreateRequest.self, from: request, limit: env.maxBodyBytes)
            let (token, secret) = try await env.stores.access.createToken(
                name: body.name, role: body.role, expiresAt: body.expiresAt, at: env.now())
            return EditedResponse(status: .created, response: CreatedView(token: token, secret: secret))
        }
        group.get("tokens") { request, context -> ListEnvelope<APIToken> in
            _ = try context.admin()
            return try ListEnvelope(paging: try await env.stores.access.tokens(), request)
        }
        group.delete("tokens/:id") { _, context -> APIToken in
            let caller = try context.admin()
            return try await env.stores.access.revokeToken(try context.parameters.require("id"), by: caller.id, at: env.now())
        }
    }
}

extension APIToken: ResponseEncodable {}
