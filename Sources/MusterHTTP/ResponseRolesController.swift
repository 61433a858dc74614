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

    /// The roles `incident` needs for the largest team size among its services (small when none
    /// says); `services` are their records when the caller has read them already.
    func coverage(of incident: Incident, services records: [ServiceRecord]? = nil) async throws -> RoleCoverage {
        var known = records ?? []
        if records == nil { known = try await env.serviceRecords(of: incident) }
        let size = known.compactMap(\.responseSize).max() ?? .small
        return incident.roleCoverage(size: size, severityRank: env.scheme.rank(of: incident.severity).map { $0 + 1 })
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
