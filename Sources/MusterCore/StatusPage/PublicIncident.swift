import Foundation

/// Where an incident stands on the public page, with Statuspage's names.
public enum PublicIncidentStatus: String, StrictStringEnum {
    case investigating, identified, monitoring, resolved, postmortem
}

/// A component an update named, with its status before and after.
public struct AffectedComponent: Sendable, Equatable {
    public var id: String
    public var oldStatus: ComponentStatus
    public var newStatus: ComponentStatus

    public init(id: String, oldStatus: ComponentStatus, newStatus: ComponentStatus) {
        self.id = id
        self.oldStatus = oldStatus
        self.newStatus = newStatus
    }
}

/// One external update as customers read it.
public struct PublicUpdate: Sendable, Equatable {
    public var id: UUID
    public var status: PublicIncidentStatus
    public var body: String
    public var at: Date
    public var affected: [AffectedComponent]
}

/// An incident as the status page tells it: under its public name, with every external update.
/// Built from the incident and its timeline; nothing of the internal record leaks but the name,
/// the times and what was published.
public struct PublicIncident: Sendable, Equatable {
    public var id: String
    public var name: String
    public var status: PublicIncidentStatus
    public var impact: StatusIndicator
    /// When it first appeared on the page.
    public var createdAt: Date
    /// When customers were first affected, as far as is known.
    public var startedAt: Date
    public var updatedAt: Date
    public var monitoringAt: Date?
    public var resolvedAt: Date?
    /// Oldest first.
    public var updates: [PublicUpdate]
    /// The components any update named, in the order they were first named.
    public var components: [String]
    /// When the last update promised the next one, while it is open.
    public var nextUpdateDue: Date?
    /// The services behind it and its severity, for the components' status.
    public var services: [String]
    public var severity: String

    /// The page entry of `incident`, or nil while nothing about it is published. `timeline` holds
    /// at least its `update_published` entries, and its severity changes so that each update
    /// says what the components' status was just before it.
    public init?(_ incident: Incident, timeline: [TimelineEntry], rollup: StatusRollup) {
        let external = timeline.filter {
            $0.kind == .updatePublished && (UpdateAudience(rawValue: $0.details["audience"] ?? "")?.reachesExternal ?? false)
        }
        guard let first = external.first else { return nil }
        var previous: [String: ComponentStatus] = [:]
        var named: [String] = []
        var updates: [PublicUpdate] = []
        for entry in timeline {
            if entry.kind == .severityChange, let level = entry.details["to"] {
                // The components an update named move with the severity, in between updates too.
                for id in named where previous[id] != .operational { previous[id] = rollup.status(ofSeverity: level) }
                continue
            }
            guard external.contains(where: { $0.id == entry.id }) else { continue }
            let affected = Self.components(in: entry.details["components"]).map { id, status in
                AffectedComponent(id: id, oldStatus: previous[id] ?? .operational, newStatus: status)
            }
            for component in affected {
                previous[component.id] = component.newStatus
                if !named.contains(component.id) { named.append(component.id) }
            }
            let phase = PublicIncidentStatus(rawValue: entry.details["phase"] ?? "") ?? .investigating
            updates.append(PublicUpdate(id: entry.id, status: phase, body: entry.text, at: entry.at, affected: affected))
        }
        self.updates = updates
        id = incident.reference
        name = incident.publicName ?? incident.title
        let last = updates[updates.count - 1]
        status = incident.status.isOpen ? (last.status == .resolved ? .monitoring : last.status) : .resolved
        impact = rollup.impact(ofSeverity: incident.severity)
        createdAt = first.at
        startedAt = min(incident.impactStartedAt ?? incident.detectedAt, first.at)
        updatedAt = last.at
        monitoringAt = updates.first { $0.status == .monitoring }?.at
        resolvedAt = incident.status.isOpen ? nil : (incident.resolvedAt ?? last.at)
        components = named
        nextUpdateDue = incident.status.isOpen ? incident.communication?.promisedExternalAt : nil
        services = incident.services
        severity = incident.severity
    }

    /// Whether the update the last one promised is overdue at `now`.
    public func isLate(at now: Date) -> Bool { nextUpdateDue.map { $0 < now } ?? false }

    public var isOpen: Bool { resolvedAt == nil }

    /// What the component rules need of it while it is open.
    public var published: PublishedIncident {
        PublishedIncident(publicName: name, severity: severity, services: services, since: createdAt)
    }

    /// `api=major_outage,web=partial_outage`, as an update records them.
    public static func componentsDetail(_ statuses: [(String, ComponentStatus)]) -> String {
        statuses.map { "\($0.0)=\($0.1.rawValue)" }.joined(separator: ",")
    }

    static func components(in detail: String?) -> [(String, ComponentStatus)] {
        guard let detail, !detail.isEmpty else { return [] }
        return detail.split(separator: ",").compactMap { pair in
            let parts = pair.split(separator: "=", maxSplits: 1)
            guard parts.count == 2, let status = ComponentStatus(rawValue: String(parts[1])) else { return nil }
            return (String(parts[0]), status)
        }
    }
}
