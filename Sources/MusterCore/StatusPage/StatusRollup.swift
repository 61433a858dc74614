import Foundation

/// An open incident as the status page knows it: published, under its public name.
public struct PublishedIncident: Sendable, Equatable {
    public var publicName: String
    public var severity: String
    public var services: [String]
    /// When it was first published on the page.
    public var since: Date

    public init(publicName: String, severity: String, services: [String], since: Date) {
        self.publicName = publicName
        self.severity = severity
        self.services = services
        self.since = since
    }
}

/// A maintenance in progress, as far as components are concerned.
public struct ActiveMaintenance: Sendable, Equatable {
    public var title: String
    public var components: [String]
    public var since: Date

    public init(title: String, components: [String], since: Date) {
        self.title = title
        self.components = components
        self.since = since
    }
}

/// A component's status at a moment, and why: "major outage: Checkout is down, since 14:25".
public struct ComponentState: Sendable, Equatable {
    public var status: ComponentStatus
    /// What set it: the incident's public name, the maintenance's title, or the override's reason;
    /// nil when operational.
    public var reason: String?
    public var since: Date?
}

/// The rules that turn incidents, maintenance and overrides into each component's status and the
/// page's overall indicator. Documented in README ("The status page").
public struct StatusRollup: Sendable {
    /// The component status an open incident of each severity gives the components it affects.
    public var statusBySeverity: [String: ComponentStatus]

    public init(statusBySeverity: [String: ComponentStatus]) {
        self.statusBySeverity = statusBySeverity
    }

    /// The default map: the most severe level is a major outage, the second a partial outage,
    /// every other degraded performance.
    public static func standard(for scheme: SeverityScheme) -> StatusRollup {
        var map: [String: ComponentStatus] = [:]
        for (rank, level) in scheme.levels.enumerated() {
            map[level.name] = rank == 0 ? .majorOutage : rank == 1 ? .partialOutage : .degradedPerformance
        }
        return StatusRollup(statusBySeverity: map)
    }

    /// A component's status: an override that still holds wins; then maintenance in progress on it;
    /// then the worst status the published open incidents on its services give it; else operational.
    public func state(
        of component: StatusComponent, incidents: [PublishedIncident], maintenances: [ActiveMaintenance], at now: Date
    ) -> ComponentState {
        if let override = component.override, override.holds(at: now) {
            return ComponentState(status: override.status, reason: override.reason, since: override.setAt)
        }
        let affecting = incidents.compactMap { incident -> (ComponentStatus, PublishedIncident)? in
            guard incident.services.contains(where: component.services.contains) else { return nil }
            return (status(ofSeverity: incident.severity), incident)
        }
        // Of equally bad incidents, the one that began first says why.
        let worst = affecting.max { ($0.0.badness, $1.1.since) < ($1.0.badness, $0.1.since) }
        if let maintenance = maintenances.first(where: { $0.components.contains(component.id) }),
            (worst?.0.badness ?? 0) <= ComponentStatus.underMaintenance.badness
        {
            return ComponentState(status: .underMaintenance, reason: maintenance.title, since: maintenance.since)
        }
        guard let (status, incident) = worst else { return ComponentState(status: .operational, reason: nil, since: nil) }
        return ComponentState(status: status, reason: incident.publicName, since: incident.since)
    }

    /// The status an open incident of `severity` gives the components it affects.
    public func status(ofSeverity severity: String) -> ComponentStatus {
        statusBySeverity[severity] ?? .degradedPerformance
    }

    /// An incident's impact, as Statuspage names it: the indicator its severity would give the page alone.
    public func impact(ofSeverity severity: String) -> StatusIndicator {
        indicator(components: [ComponentState(status: status(ofSeverity: severity), reason: nil, since: nil)], openIncidents: 1)
    }

    /// The page's indicator: the worst component decides (major outage: critical, partial outage:
    /// major, degraded performance: minor); an open published incident is at least minor even when
    /// it names no component; maintenance alone is none. Nothing else is remembered, so the page
    /// reads "All Systems Operational" the moment the last incident closes and no override holds.
    public func indicator(components: [ComponentState], openIncidents: Int) -> StatusIndicator {
        let worst = components.map(\.status.badness).max() ?? 0
        switch worst {
        case ComponentStatus.majorOutage.badness: return .critical
        case ComponentStatus.partialOutage.badness: return .major
        case ComponentStatus.degradedPerformance.badness: return .minor
        default: return openIncidents > 0 ? .minor : .none
        }
    }
}
