import Foundation
import Logging
import MusterCore
import MusterMetrics
import MusterStore
import ServiceLifecycle

/// Keeps the status page's record moving on its own: maintenance moves through its states at its
/// times, each component's status is written down as intervals whenever it changes (what the
/// 90-day uptime bars are computed from), and subscribers are told of incident updates,
/// maintenance and (webhooks) component changes through the outbox. Any number of servers may
/// run it: the store claims each maintenance, change and update once.
public struct StatusPageEngine: Service {
    let store: any StatusPageStore
    let scheme: SeverityScheme
    let publicURL: String
    let interval: Duration
    let now: @Sendable () -> Date
    let logger: Logger
    let metrics: MusterMetrics

    public init(
        store: any StatusPageStore, scheme: SeverityScheme, publicURL: String, interval: Duration = .seconds(2),
        now: @escaping @Sendable () -> Date = { Date() }, logger: Logger, metrics: MusterMetrics = .none
    ) {
        self.store = store
        self.scheme = scheme
        self.publicURL = publicURL
        self.interval = interval
        self.now = now
        self.logger = logger
        self.metrics = metrics
    }

    /// How far back a round looks for incidents with updates to tell; a server that was down
    /// longer than this tells what is newer only.
    static let lookBack: TimeInterval = 3_600

    /// One round: moves maintenance that is due, records the components' status, and tells subscribers.
    public func runOnce() async throws {
        let now = now()
        for (maintenance, updates) in try await store.advanceMaintenances(at: now) {
            for update in updates {
                logger.info(
                    "maintenance moved on",
                    metadata: ["maintenance": "\(maintenance.id)", "title": "\(maintenance.title)", "state": "\(update.state.rawValue)"])
            }
        }
        let settings = try await store.statusPageSettings()
        let rollup = settings?.rollup(for: scheme) ?? .standard(for: scheme)
        let components = try await store.statusComponents()
        let board = StatusBoard(
            components: components, incidents: try await store.publicIncidents(resolvedSince: now, rollup: rollup),
            maintenances: try await store.maintenances(endedSince: now), rollup: rollup, at: now)
        let notices = StatusNotices(
            pageName: settings?.name ?? "\(URL(string: publicURL)?.host ?? "Muster") status", publicURL: publicURL,
            indicator: board.indicator,
            componentNames: Dictionary(components.map { ($0.id, $0.name) }, uniquingKeysWith: { first, _ in first }))
        let byID = Dictionary(components.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        let changes = try await store.recordComponentStates(board.states, at: now) { id, from, to in
            byID[id].map { notices.componentChange($0, from: from, to: to.status, at: now) }
        }
        for change in changes {
            logger.info(
                "status page component changed",
                metadata: [
                    "component": "\(change.component)", "from": "\(change.from.rawValue)", "to": "\(change.to.status.rawValue)",
                    "reason": "\(change.to.reason ?? "-")",
                ])
        }
        _ = try await store.runMaintenanceNotices(changedSince: now.addingTimeInterval(-86_400), at: now) { maintenance, update in
            // Subscribers hear of the announcement, the start, the end and what a person posted.
            update.state == .verifying && update.author == "muster" ? nil : notices.maintenance(maintenance, update)
        }
        _ = try await store.runSubscriberNotices(changedSince: now.addingTimeInterval(-Self.lookBack), at: now) { incident, entries, new in
            guard let entry = PublicIncident(incident, timeline: entries, rollup: rollup) else { return [] }
            return entry.updates.filter { new.contains($0.id) }.map { notices.incidentUpdate(entry, $0) }
        }
    }

    public func run() async throws {
        await repeatRounds(every: interval, logger: logger, name: "status page", service: "status_page", metrics: metrics) {
            try await runOnce()
        }
    }
}
