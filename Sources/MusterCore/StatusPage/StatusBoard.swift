import Foundation

/// Everything the status page says about its components at one moment: each component's state,
/// the groups' and the page's, built by the rules of `StatusRollup`.
public struct StatusBoard: Sendable {
    public var components: [(component: StatusComponent, state: ComponentState)]
    public var indicator: StatusIndicator
    /// Maintenance as it stands at the moment, moved on to where its times put it.
    public var maintenances: [Maintenance]
    /// The next moment the page changes by itself (a maintenance moving on, an override ending, an
    /// update falling late), after which it must be worked out again.
    public var nextChangeAt: Date?

    public init(
        components: [StatusComponent], incidents: [PublicIncident], maintenances: [Maintenance], rollup: StatusRollup, at now: Date
    ) {
        let current = maintenances.map { maintenance -> Maintenance in
            var moved = maintenance
            _ = moved.advance(at: now)
            return moved
        }
        let active = current.filter(\.state.holdsComponents).map { maintenance in
            ActiveMaintenance(
                title: maintenance.title, components: maintenance.components,
                since: maintenance.updates.last { $0.state == .inProgress }?.at ?? maintenance.startsAt)
        }
        let open = incidents.filter(\.isOpen)
        let published = open.map(\.published)
        self.components = components.map { ($0, rollup.state(of: $0, incidents: published, maintenances: active, at: now)) }
        self.indicator = rollup.indicator(components: self.components.map(\.state), openIncidents: open.count)
        self.maintenances = current
        let moments =
            current.compactMap(\.nextMoveAt) + components.compactMap { $0.override?.until } + open.compactMap(\.nextUpdateDue)
        self.nextChangeAt = moments.filter { $0 > now }.min()
    }

    /// Each component's state by id, as the status history records them.
    public var states: [String: ComponentState] {
        Dictionary(components.map { ($0.component.id, $0.state) }, uniquingKeysWith: { first, _ in first })
    }
}
