import Foundation
import Hummingbird
import MusterCore
import MusterStore

/// `/api/v1/incidents/{id}/roles`: the roles the incident's response needs at its severity, for
/// the size of its services' teams, and who holds each.
struct ResponseRolesController {
    let env: APIEnvironment

    func addRoutes(to group: RouterGroup<MusterRequestContext>) {
        group.get("incidents/:id/roles") { _, context -> RolesView in
            _ = try context.caller()
            let incident = try await Postmortems(env: env).incident(try context.parameters.require("id"))
            return RolesView(try await ResponseRoles(env: env).coverage(of: incident))
        }
    }
}

/// The roles an incident needs, from its services' response sizes.
struct ResponseRoles {
    let env: APIEnvironment

    /// The largest team size among the incident's services; small when none says.
    func size(of incident: Incident) async throws -> ResponseSize {
        var sizes: [ResponseSize] = []
        for service in incident.services {
            if let size = try await env.stores.services.service(service)?.responseSize { sizes.append(size) }
        }
        return sizes.max() ?? .small
    }

    func coverage(of incident: Incident) async throws -> RoleCoverage {
        incident.roleCoverage(size: try await size(of: incident), severityRank: env.scheme.rank(of: incident.severity).map { $0 + 1 })
    }
}

/// Role coverage as the API answers it.
struct RolesView: ResponseEncodable {
    struct Need: Encodable {
        var role: String
        var title: String
        var holders: [String]
        var open: Bool
    }

    var size: String
    var needs: [Need]
    var open: [String]
    var commanderNeeded: Bool

    init(_ coverage: RoleCoverage) {
        size = coverage.size.rawValue
        needs = coverage.needs.map { Need(role: $0.role.rawValue, title: $0.role.title, holders: $0.holders, open: $0.isOpen) }
        open = coverage.open.map(\.rawValue)
        commanderNeeded = coverage.commanderNeeded
    }
}
