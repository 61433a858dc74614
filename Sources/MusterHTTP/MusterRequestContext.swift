import Foundation
import Hummingbird
import MusterStore
import NIOCore

/// Per-request state: the core context plus the token that authenticated the call.
public struct MusterRequestContext: RequestContext, RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    /// Set by `AuthMiddleware` for `/api/` routes.
    public var token: APIToken?
    /// The peer of the connection: the client, or a proxy in front of it.
    public let remoteAddress: SocketAddress?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        token = nil
        remoteAddress = source.channel.remoteAddress
    }

    public var responseEncoder: JSONEncoder { APICoding.encoder }

    /// The authenticated token; routes behind `AuthMiddleware` always have one.
    public func caller() throws -> APIToken {
        guard let token else { throw Problem.unauthorized("Send an API token as 'Authorization: Bearer <token>'.") }
        return token
    }

    /// The caller, who must be allowed to write.
    public func writer() throws -> APIToken {
        let token = try caller()
        guard token.role.canWrite else {
            throw Problem(
                status: .forbidden, slug: "forbidden", title: "Not allowed",
                detail: "The token '\(token.name)' has the viewer role, which may only read; writes need responder or admin.")
        }
        return token
    }

    /// The caller, who must be an admin; `action` says what for.
    public func admin(to action: String = "manage tokens") throws -> APIToken {
        let token = try caller()
        guard token.role == .admin else {
            throw Problem(
                status: .forbidden, slug: "forbidden", title: "Not allowed",
                detail: "Only the admin role may \(action); the token '\(token.name)' is \(token.role.rawValue).")
        }
        return token
    }
}
