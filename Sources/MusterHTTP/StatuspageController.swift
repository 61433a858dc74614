import Foundation
import Hummingbird
import MusterCore
import MusterStore

/// The public status page's JSON, shaped as Atlassian Statuspage's public API v2 so that its
/// consumers read it unchanged: `/api/v2/status.json` and `/api/v2/components.json`. No login.
struct StatuspageController {
    let env: APIEnvironment

    /// Everything one answer is made from, read once.
    struct Snapshot {
        var components: [(StatusComponent, ComponentState)]
        var indicator: StatusIndicator
        var updatedAt: Date
    }

    func addRoutes(to router: Router<MusterRequestContext>) {
        router.get("api/v2/status.json") { _, _ -> Response in
            let snapshot = try await snapshot()
            return Self.json([
                "page": page(snapshot),
                "status": ["indicator": snapshot.indicator.rawValue, "description": snapshot.indicator.description],
            ])
        }
        router.get("api/v2/components.json") { _, _ -> Response in
            let snapshot = try await snapshot()
            return Self.json(["page": page(snapshot), "components": snapshot.components.map(component)])
        }
    }

    private func snapshot() async throws -> Snapshot {
        let now = env.now()
        async let components = env.stores.statusPage.statusComponents()
        async let incidents = env.stores.statusPage.publishedIncidents()
        let rollup = StatusRollup.standard(for: env.scheme)
        let published = try await incidents
        let states = try await components.map { ($0, rollup.state(of: $0, incidents: published, maintenances: [], at: now)) }
        let latest = (states.map(\.0.updatedAt) + states.compactMap(\.1.since) + published.map(\.since)).max()
        return Snapshot(
            components: states, indicator: rollup.indicator(components: states.map(\.1), openIncidents: published.count),
            updatedAt: latest ?? now)
    }

    /// Statuspage's page object; the page is this server's, at its public URL.
    private func page(_ snapshot: Snapshot) -> [String: Any] {
        [
            "id": Self.pageID, "name": "\(URL(string: env.publicURL)?.host ?? "Muster") status", "url": env.publicURL,
            "time_zone": "Etc/UTC", "updated_at": RFC3339.format(snapshot.updatedAt),
        ]
    }

    private func component(_ pair: (StatusComponent, ComponentState)) -> [String: Any] {
        let (component, state) = pair
        return [
            "id": component.id, "name": component.name, "status": state.status.rawValue,
            "created_at": RFC3339.format(component.createdAt), "updated_at": RFC3339.format(component.updatedAt),
            "position": component.position,
            "description": component.description.isEmpty ? NSNull() : component.description as Any,
            "showcase": component.showUptime, "start_date": String(RFC3339.format(component.createdAt).prefix(10)),
            "group_id": component.groupID as Any? ?? NSNull(), "page_id": Self.pageID, "group": false,
            "only_show_if_degraded": false,
        ]
    }

    /// One page per server, so one fixed id.
    static let pageID = "muster"

    static func json(_ object: [String: Any]) -> Response {
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data()
        return Response(
            status: .ok, headers: [.contentType: "application/json", .cacheControl: "public, max-age=10"],
            body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
