import Foundation

/// Writes what subscribers are told, by mail and as Statuspage-shaped webhook JSON.
public struct StatusNotices: Sendable {
    public var pageName: String
    public var publicURL: String
    public var indicator: StatusIndicator
    public var componentNames: [String: String]

    public init(pageName: String, publicURL: String, indicator: StatusIndicator, componentNames: [String: String]) {
        self.pageName = pageName
        self.publicURL = publicURL
        self.indicator = indicator
        self.componentNames = componentNames
    }

    /// An update of an incident on the page.
    public func incidentUpdate(_ incident: PublicIncident, _ update: PublicUpdate) -> StatusNotice {
        let link = "\(publicURL)/status/incidents/\(incident.id)"
        let phase = Self.words(update.status.rawValue)
        var text = "\(incident.name)\n\(phase): \(update.body)\n"
        if !update.affected.isEmpty {
            text += "\nThis affects: " + update.affected.map { "\(name($0.id)) (\($0.newStatus.words))" }.joined(separator: ", ") + "\n"
        }
        text += "\nFollow it: \(link)\n"
        let affected = update.affected.map {
            ["code": $0.id, "name": name($0.id), "old_status": $0.oldStatus.rawValue, "new_status": $0.newStatus.rawValue]
        }
        let payload: [String: Any] = [
            "page": page,
            "incident": [
                "id": incident.id, "name": incident.name, "status": update.status.rawValue, "impact": incident.impact.rawValue,
                "created_at": RFC3339.format(incident.createdAt), "updated_at": RFC3339.format(update.at),
                "started_at": RFC3339.format(incident.startedAt), "monitoring_at": Self.time(incident.monitoringAt),
                "resolved_at": Self.time(update.status == .resolved ? update.at : nil), "shortlink": link, "page_id": "muster",
                "incident_updates": [
                    [
                        "id": update.id.uuidString.lowercased(), "status": update.status.rawValue, "body": update.body,
                        "incident_id": incident.id, "created_at": RFC3339.format(update.at), "updated_at": RFC3339.format(update.at),
                        "display_at": RFC3339.format(update.at), "affected_components": affected,
                    ] as [String: Any]
                ],
            ] as [String: Any],
        ]
        return StatusNotice(
            kind: .incident, subject: "[\(pageName)] \(phase): \(incident.name)", text: text, link: link, payload: Self.json(payload),
            components: incident.components)
    }

    /// A message of a maintenance: its announcement, its start, its end.
    public func maintenance(_ maintenance: Maintenance, _ update: MaintenanceUpdate) -> StatusNotice {
        let id = maintenance.id.uuidString.lowercased()
        let link = "\(publicURL)/status/maintenance/\(id)"
        let state = Self.words(update.state.rawValue)
        let window = "\(RFC3339.format(maintenance.startsAt)) – \(RFC3339.format(maintenance.endsAt))"
        let text = """
            \(maintenance.title)
            \(state): \(update.body)

            Planned for \(window) (UTC). Concerns: \(maintenance.components.map(name).joined(separator: ", ")).

            Details: \(link)

            """
        let payload: [String: Any] = [
            "page": page,
            "incident": [
                "id": id, "name": maintenance.title, "status": update.state.rawValue, "impact": "maintenance",
                "created_at": RFC3339.format(maintenance.createdAt), "updated_at": RFC3339.format(update.at),
                "scheduled_for": RFC3339.format(maintenance.startsAt), "scheduled_until": RFC3339.format(maintenance.endsAt),
                "shortlink": link, "page_id": "muster", "monitoring_at": NSNull(),
                "resolved_at": Self.time(update.state == .completed ? update.at : nil),
                "incident_updates": [
                    [
                        "id": "\(id)-\(maintenance.updates.count - 1)", "status": update.state.rawValue, "body": update.body,
                        "incident_id": id, "created_at": RFC3339.format(update.at), "updated_at": RFC3339.format(update.at),
                        "display_at": RFC3339.format(update.at), "affected_components": [] as [Any],
                    ] as [String: Any]
                ],
            ] as [String: Any],
        ]
        return StatusNotice(
            kind: .maintenance, subject: "[\(pageName)] Maintenance \(state.lowercased()): \(maintenance.title)", text: text, link: link,
            payload: Self.json(payload), components: maintenance.components)
    }

    /// A component's status change, for webhook subscribers.
    public func componentChange(_ component: StatusComponent, from old: ComponentStatus, to new: ComponentStatus, at now: Date)
        -> StatusNotice
    {
        let payload: [String: Any] = [
            "page": page,
            "component_update": [
                "id": "\(component.id)-\(Int(now.timeIntervalSince1970 * 1000))", "component_id": component.id,
                "created_at": RFC3339.format(now), "old_status": old.rawValue, "new_status": new.rawValue,
            ],
            "component": [
                "id": component.id, "name": component.name, "status": new.rawValue, "created_at": RFC3339.format(component.createdAt),
            ],
        ]
        return StatusNotice(
            kind: .component, subject: "[\(pageName)] \(component.name): \(new.words)",
            text: "\(component.name) is now \(new.words) (was \(old.words)).\n", link: "\(publicURL)/status", payload: Self.json(payload),
            components: [component.id])
    }

    /// The request to confirm a mail subscription; the channel adds the signed link.
    public func confirmation() -> StatusNotice {
        StatusNotice(
            kind: .confirmation, subject: "[\(pageName)] Confirm your subscription",
            text: """
                Someone, probably you, asked to be told by mail when \(pageName) posts incidents and maintenance.
                Nothing is sent until you confirm. If it was not you, ignore this message.

                """, link: "\(publicURL)/status", payload: "", components: [])
    }

    private var page: [String: Any] {
        ["id": "muster", "status_indicator": indicator.rawValue, "status_description": indicator.description]
    }

    private func name(_ id: String) -> String { componentNames[id] ?? id }

    static func words(_ raw: String) -> String {
        let words = raw.replacingOccurrences(of: "_", with: " ")
        return words.prefix(1).uppercased() + words.dropFirst()
    }

    static func time(_ date: Date?) -> Any { date.map(RFC3339.format) as Any? ?? NSNull() }

    static func json(_ object: [String: Any]) -> String {
        let data =
            (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }
}
