import Foundation
import Hummingbird
import MusterCore
import MusterStore

/// `/healthz` (the process answers) and `/readyz` (the database answers too); no token needed.
/// `/readyz` tells anyone only whether the server is ready; what stands behind it (the database's
/// state, the schema version, why it is not ready) only a caller with an API token learns.
struct HealthController {
    let env: APIEnvironment

    struct Health: ResponseEncodable {
        var status: String
        var database: String?
        var schemaVersion: Int?
    }

    /// The build's version.
    struct Version: ResponseEncodable {
        var version: String
    }

    func addRoutes(to router: Router<MusterRequestContext>) {
        router.get("healthz") { _, _ in Health(status: "ok") }
        router.get("version") { _, _ in Version(version: MusterVersion.number) }
        router.get("readyz") { request, _ -> Health in
            let detailed = try await authenticated(request)
            do {
                try await env.stores.database.ping()
                guard detailed else { return Health(status: "ok") }
                return Health(status: "ok", database: "reachable", schemaVersion: try await env.stores.database.appliedMigrations().max())
            } catch {
                throw Problem(
                    status: .serviceUnavailable, slug: "not-ready", title: "Not ready",
                    detail: detailed
                        ? "The database is not reachable: \(String(describing: error).prefix(200))"
                        : "The server cannot serve requests now; ask with an API token for the reason.")
            }
        }
    }

    /// Whether the request carries a live API token; a token that is not one is refused, not ignored.
    private func authenticated(_ request: Request) async throws -> Bool {
        guard request.headers[.authorization] != nil else { return false }
        guard let secret = request.bearerCredential, try await env.stores.access.authenticate(secret: secret, at: env.now()) != nil else {
            throw Problem.unauthorized("The API token is not valid, has been revoked or has expired; /readyz answers without one too.")
        }
        return true
    }
}
