import Foundation
import Hummingbird
import MusterCore
import MusterStore

/// `/healthz` (the process answers) and `/readyz` (the database answers too); no token needed.
struct HealthController {
    let env: APIEnvironment

    struct Health: ResponseEncodable {
        var status: String
        var database: String?
    }

    /// The build's version.
    struct Version: ResponseEncodable {
        var version: String
    }

    func addRoutes(to router: Router<MusterRequestContext>) {
        router.get("healthz") { _, _ in Health(status: "ok", database: nil) }
        router.get("version") { _, _ in Version(version: MusterVersion.number) }
        router.get("readyz") { _, _ -> Health in
            do {
                try await env.stores.database.ping()
                return Health(status: "ok", database: "reachable")
            } catch {
                throw Problem(
                    status: .serviceUnavailable, slug: "not-ready", title: "Not ready",
                    detail: "The database is not reachable: \(String(describing: error).prefix(200))")
            }
        }
    }
}
