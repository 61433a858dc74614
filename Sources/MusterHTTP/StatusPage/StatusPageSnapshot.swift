import Foundation
import MusterCore
import MusterStore

/// Everything the public status page shows, read from the stores at one moment: the pages, the
/// JSON and the feeds are all rendered from one snapshot, so they never disagree.
struct StatusPageSnapshot: Sendable {
    var settings: StatusPageSettings
    var groups: [StatusComponentGroup]
    var board: StatusBoard
    /// Open incidents and those resolved within the history, newest first.
    var incidents: [PublicIncident]
    /// Completed maintenance within the history, and all that is not completed, soonest first.
    var maintenances: [Maintenance]
    var intervals: [String: [StatusInterval]]
    var publicURL: String
    var now: Date
    /// The newest change it shows.
    var updatedAt: Date
    var calendar: Calendar

    /// How far back the history (pages, JSON and feeds) reaches.
    static let historyDays = 366
    static let uptimeDays = 90

    static func load(_ env: APIEnvironment) async throws -> StatusPageSnapshot {
        let now = env.now()
        let store = env.stores.statusPage
        let settings = try await Self.settings(env)
        let rollup = settings.rollup(for: env.scheme)
        let since = now.addingTimeInterval(-Double(historyDays) * 86_400)
        async let components = store.statusComponents()
        async let groups = store.statusGroups()
        async let incidents = store.publicIncidents(resolvedSince: since, rollup: rollup)
        async let maintenances = store.maintenances(endedSince: since)
        async let intervals = store.statusIntervals(since: now.addingTimeInterval(-Double(uptimeDays + 1) * 86_400))
        let board = StatusBoard(
            components: try await components, incidents: try await incidents, maintenances: try await maintenances, rollup: rollup, at: now)
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: settings.timeZone) ?? .gmt
        let published = try await incidents
        let changes =
            published.map(\.updatedAt) + board.maintenances.map(\.updatedAt) + board.components.map(\.component.updatedAt)
            + board.components.compactMap(\.state.since) + [settings.updatedAt].compactMap { $0 }
        return StatusPageSnapshot(
            settings: settings, groups: try await groups, board: board, incidents: published, maintenances: board.maintenances,
            intervals: Dictionary(grouping: try await intervals, by: \.componentID), publicURL: env.publicURL, now: now,
            updatedAt: changes.filter { $0 <= now }.max() ?? now, calendar: calendar)
    }

    /// The saved settings, or those a page has before anyone saved any (named after the host).
    static func settings(_ env: APIEnvironment) async throws -> StatusPageSettings {
        try await env.stores.statusPage.statusPageSettings() ?? .standard(name: "\(URL(string: env.publicURL)?.host ?? "Muster") status")
    }

    /// The state of `components` now, read fresh from the store (for the admin API and pages).
    static func board(_ env: APIEnvironment, components: [StatusComponent]) async throws -> StatusBoard {
        let now = env.now()
        let store = env.stores.statusPage
        let rollup = try await Self.settings(env).rollup(for: env.scheme)
        return StatusBoard(
            components: components, incidents: try await store.publicIncidents(resolvedSince: now, rollup: rollup),
            maintenances: try await store.maintenances(endedSince: now), rollup: rollup, at: now)
    }

    var openIncidents: [PublicIncident] { incidents.filter(\.isOpen) }

    /// Maintenance still to start.
    var upcoming: [Maintenance] { maintenances.filter { $0.state == .scheduled } }

    /// Maintenance under way (in progress or verifying).
    var active: [Maintenance] { maintenances.filter(\.state.holdsComponents) }

    /// A component's name by id, for updates naming components since removed too.
    func componentName(_ id: String) -> String {
        board.components.first { $0.component.id == id }?.component.name ?? id
    }

    /// The uptime bar of a component.
    func uptime(of component: StatusComponent) -> [UptimeDay] {
        Uptime.days(
            intervals[component.id] ?? [], since: component.createdAt, count: Self.uptimeDays, now: now, calendar: calendar)
    }

    /// `https://status.example.com/status/incidents/INC-2026-0001`.
    func incidentURL(_ id: String) -> String { "\(publicURL)/status/incidents/\(id)" }

    func maintenanceURL(_ id: UUID) -> String { "\(publicURL)/status/maintenance/\(id.uuidString.lowercased())" }
}
