import Foundation
import Hummingbird
import MusterStore

/// Requires a live bearer token on every request it guards and puts the token in the context.
public struct AuthMiddleware: RouterMiddleware {
    public typealias Context = MusterRequestContext
    let store: any AccessStore
    let now: @Sendable () -> Date

    public init(store: any AccessStore, now: @escaping @Sendable () -> Date) {
        self.store = store
        self.now = now
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard request.headers[.authorization] != nil else {
            throw Problem.unauthorized("Send an API token as 'Authorization: Bearer <token>'; create one with 'muster token create'.")
        }
        guard let secret = request.bearerCredential else {
            throw Problem.unauthorized("The Authorization header must be 'Bearer <token>'.")
        }
        // One message for unknown, revoked and expired tokens, so callers learn nothing about which exist.
        guard let token = try await store.authenticate(secret: secret, at: now()) else {
            throw Problem.unauthorized("The API token is not valid, has been revoked or has expired.")
        }
        if ![.get, .head].contains(request.method), !token.role.canWrite {
            throw Problem(
                status: .forbidden, slug: "forbidden", title: "Not allowed",
                detail: "The token '\(token.name)' has the viewer role, which may only read; writes need responder or admin.")
        }
        var context = context
        context.token = token
        return try await next(request, context)
    }
}
