import Foundation
import MusterCore

/// The status page as Atlassian Statuspage's public API v2 shapes it, field for field, so that
/// its consumers (Grafana's data source, exporters, command-line clients) read Muster unchanged.
struct StatuspageJSON {
    let snapshot: StatusPageSnapshot

    /// One page per server, so one fixed id.
    static let pageID = "muster"
    /// Statuspage lists at most this many incidents and maintenances.
    static let listLimit = 50

    /// Every document, by path.
    func documents() -> [String: Data] {
        let unresolved = snapshot.openIncidents.map(incident)
        let maintenances = snapshot.maintenances.sorted { $0.startsAt > $1.startsAt }
        return [
            "/api/v2/summary.json": Self.encode([
                "page": page, "components": components, "incidents": unresolved,
                "scheduled_maintenances": (snapshot.active + snapshot.upcoming).map(maintenance), "status": status,
            ]),
            "/api/v2/status.json": Self.encode(["page": page, "status": status]),
            "/api/v2/components.json": Self.encode(["page": page, "components": components]),
            "/api/v2/incidents.json": Self.encode(["page": page, "incidents": snapshot.incidents.prefix(Self.listLimit).map(incident)]),
            "/api/v2/incidents/unresolved.json": Self.encode(["page": page, "incidents": unresolved]),
            "/api/v2/scheduled-maintenances.json": Self.encode([
                "page": page, "scheduled_maintenances": maintenances.prefix(Self.listLimit).map(maintenance),
            ]),
            "/api/v2/scheduled-maintenances/upcoming.json": Self.encode([
                "page": page, "scheduled_maintenances": snapshot.upcoming.map(maintenance),
            ]),
            "/api/v2/scheduled-maintenances/active.json": Self.encode([
                "page": page, "scheduled_maintenances": snapshot.active.map(maintenance),
            ]),
        ]
    }

    var page: [String: Any] {
        [
            "id": Self.pageID, "name": snapshot.settings.name, "url": snapshot.publicURL + "/status",
            "time_zone": snapshot.settings.timeZone, "updated_at": time(snapshot.updatedAt),
        ]
    }

    var status: [String: Any] {
        ["indicator": snapshot.board.indicator.rawValue, "description": snapshot.board.indicator.description]
    }

    /// Groups first appear where their first component would, as Statuspage lists them: a group is
    /// a component with `group: true` and its members' ids.
    var components: [[String: Any]] {
        var list: [[String: Any]] = []
        var placed: Set<String> = []
        for (component, state) in snapshot.board.components {
            if let groupID = component.groupID, let group = snapshot.groups.first(where: { $0.id == groupID }),
                placed.insert(groupID).inserted
            {
                let members = snapshot.board.components.filter { $0.component.groupID == groupID }
                list.append(self.group(group, members: members))
            }
            list.append(self.component(component, state: state))
        }
        return list
    }

    private func component(_ component: StatusComponent, state: ComponentState) -> [String: Any] {
        [
            "id": component.id, "name": component.name, "status": state.status.rawValue,
            "created_at": time(component.createdAt), "updated_at": time(max(component.updatedAt, state.since ?? component.updatedAt)),
            "position": component.position, "description": component.description.isEmpty ? NSNull() : component.description as Any,
            "showcase": component.showUptime, "start_date": day(component.createdAt), "group_id": component.groupID as Any? ?? NSNull(),
            "page_id": Self.pageID, "group": false, "only_show_if_degraded": false,
        ]
    }

    private func group(_ group: StatusComponentGroup, members: [(component: StatusComponent, state: ComponentState)]) -> [String: Any] {
        [
            "id": group.id, "name": group.name, "status": StatusComponentGroup.status(of: members.map(\.state)).rawValue,
            "created_at": time(group.createdAt), "updated_at": time(group.updatedAt), "position": group.position,
            "description": group.description.isEmpty ? NSNull() : group.description as Any, "showcase": false,
            "start_date": NSNull(), "group_id": NSNull(), "page_id": Self.pageID, "group": true, "only_show_if_degraded": false,
            "components": members.map(\.component.id),
        ]
    }

    func incident(_ incident: PublicIncident) -> [String: Any] {
        [
            "id": incident.id, "name": incident.name, "status": incident.status.rawValue, "created_at": time(incident.createdAt),
            "updated_at": time(incident.updatedAt), "monitoring_at": optionalTime(incident.monitoringAt),
            "resolved_at": optionalTime(incident.resolvedAt), "impact": incident.impact.rawValue,
            "shortlink": snapshot.incidentURL(incident.id), "started_at": time(incident.startedAt), "page_id": Self.pageID,
            "incident_updates": incident.updates.reversed().map { update in
                self.update(
                    id: update.id.uuidString.lowercased(), status: update.status.rawValue, body: update.body, at: update.at,
                    incidentID: incident.id,
                    affected: update.affected.map {
                        [
                            "code": $0.id, "name": snapshot.componentName($0.id), "old_status": $0.oldStatus.rawValue,
                            "new_status": $0.newStatus.rawValue,
                        ]
                    })
            },
            "components": components(named: incident.components),
        ]
    }

    func maintenance(_ maintenance: Maintenance) -> [String: Any] {
        let id = maintenance.id.uuidString.lowercased()
        return [
            "id": id, "name": maintenance.title, "status": maintenance.state.rawValue, "created_at": time(maintenance.createdAt),
            "updated_at": time(maintenance.updatedAt),
            "monitoring_at": optionalTime(maintenance.updates.first { $0.state == .verifying }?.at),
            "resolved_at": optionalTime(maintenance.updates.first { $0.state == .completed }?.at), "impact": "maintenance",
            "shortlink": snapshot.maintenanceURL(maintenance.id),
            "started_at": time(maintenance.updates.first { $0.state == .inProgress }?.at ?? maintenance.startsAt),
            "page_id": Self.pageID, "scheduled_for": time(maintenance.startsAt), "scheduled_until": time(maintenance.endsAt),
            "incident_updates": maintenance.updates.enumerated().reversed().map { index, update in
                self.update(
                    id: "\(id)-\(index)", status: update.state.rawValue, body: update.body, at: update.at, incidentID: id,
                    affected: maintenance.components.map {
                        [
                            "code": $0, "name": snapshot.componentName($0), "old_status": ComponentStatus.operational.rawValue,
                            "new_status": update.state.holdsComponents
                                ? ComponentStatus.underMaintenance.rawValue : ComponentStatus.operational.rawValue,
                        ]
                    })
            },
            "components": components(named: maintenance.components),
        ]
    }

    private func update(id: String, status: String, body: String, at: Date, incidentID: String, affected: [[String: String]]) -> [String:
        Any]
    {
        [
            "id": id, "status": status, "body": body, "incident_id": incidentID, "created_at": time(at), "updated_at": time(at),
            "display_at": time(at), "affected_components": affected, "deliver_notifications": true, "custom_tweet": NSNull(),
            "tweet_id": NSNull(),
        ]
    }

    private func components(named ids: [String]) -> [[String: Any]] {
        ids.compactMap { id in
            snapshot.board.components.first { $0.component.id == id }.map { component($0.component, state: $0.state) }
        }
    }

    private func time(_ date: Date) -> String { RFC3339.format(date) }

    private func optionalTime(_ date: Date?) -> Any { date.map(time) as Any? ?? NSNull() }

    private func day(_ date: Date) -> String {
        let parts = snapshot.calendar.dateComponents([.year, .month, .day], from: date)
        return String(format: "%04d-%02d-%02d", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0)
    }

    static func encode(_ object: [String: Any]) -> Data {
        (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data()
    }
}
