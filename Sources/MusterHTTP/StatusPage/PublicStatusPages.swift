import Foundation
import MusterCore

/// The page models of the public status page, built from a snapshot.
enum PublicStatusPages {
    struct Link: PageModel {
        var label: String
        var url: String
    }

    /// What every public page has: the name, the branding and the header links.
    struct Frame: PageModel {
        var name: String
        var logoURL: String?
        var links: [Link]
        var updated: PageViews.Time

        init(_ snapshot: StatusPageSnapshot) {
            name = snapshot.settings.name
            logoURL = snapshot.settings.logoURL
            links = snapshot.settings.links.map { Link(label: $0.label, url: $0.url) }
            updated = PageViews.Time(snapshot.updatedAt, text: StatusPageText.time(snapshot.updatedAt, snapshot))
        }
    }

    /// One day of an uptime bar: a one-letter class, and what it was when it was not a plain day.
    struct Day: PageModel {
        var code: String
        /// Nil for a day with data and no trouble: most days, kept small on the page.
        var hover: String?
    }

    struct Component: PageModel {
        var id: String
        var name: String
        /// What it is; named apart from every enclosing field, since a missing value is looked up in those.
        var details: String?
        var status: String
        var statusWords: String
        /// Why it has its status, when not operational: "Checkout is down, since Dec 7, 14:25 UTC".
        var reason: String?
        var showUptime: Bool
        var uptime: String
        var days: [Day]
        /// The days with trouble in words, for screen readers (the bar itself is one image).
        var troubled: String
    }

    struct Group: PageModel {
        var name: String?
        var status: String
        var statusWords: String
        var components: [Component]
    }

    struct Update: PageModel {
        var status: String
        var body: String
        var at: PageViews.Time
        /// The components it named; apart from the incident's `affects`, which a missing value would show.
        var affected: String?
    }

    struct Incident: PageModel {
        var id: String
        var name: String
        var url: String
        var impact: String
        var status: String
        var open: Bool
        var updates: [Update]
        var latest: Update
        var started: PageViews.Time
        var nextDue: PageViews.Time?
        var late: Bool
        var affects: String?
    }

    struct MaintenanceItem: PageModel {
        var name: String
        var url: String
        var state: String
        var stateWords: String
        var window: String
        var components: String
        var message: String
        var updates: [Update]
    }

    struct Month: PageModel {
        var name: String
        var incidents: [Incident]
        var maintenances: [MaintenanceItem]
        var empty: Bool
    }

    /// `/status`.
    struct Index: PageModel {
        var frame: Frame
        var indicator: String
        var banner: String
        var openIncidents: [Incident]
        var hasOpen: Bool
        var active: [MaintenanceItem]
        var hasActive: Bool
        var upcoming: [MaintenanceItem]
        var hasUpcoming: Bool
        var groups: [Group]
        var hasGroups: Bool
        var recent: [Month]
    }

    /// `/status/incidents/{id}`.
    struct IncidentPage: PageModel {
        var frame: Frame
        var incident: Incident
    }

    /// `/status/maintenance/{id}`.
    struct MaintenancePage: PageModel {
        var frame: Frame
        var maintenance: MaintenanceItem
    }

    /// `/status/history`.
    struct History: PageModel {
        var frame: Frame
        var months: [Month]
    }

    static func index(_ snapshot: StatusPageSnapshot) -> Index {
        let components = snapshot.board.components
        var groups: [Group] = []
        var placed: Set<String> = []
        for (component, _) in components {
            let key = component.groupID ?? ""
            guard placed.insert(key).inserted || key.isEmpty else { continue }
            let members = components.filter {
                ($0.component.groupID ?? "") == key && (key.isEmpty ? $0.component.id == component.id : true)
            }
            let status = StatusComponentGroup.status(of: members.map(\.state))
            groups.append(
                Group(
                    name: snapshot.groups.first { $0.id == key }?.name, status: status.rawValue, statusWords: words(status),
                    components: members.map { self.component($0.component, $0.state, snapshot) }))
        }
        return Index(
            frame: Frame(snapshot), indicator: snapshot.board.indicator.rawValue, banner: snapshot.board.indicator.description,
            openIncidents: snapshot.openIncidents.map { incident($0, snapshot) }, hasOpen: !snapshot.openIncidents.isEmpty,
            active: snapshot.active.map { maintenance($0, snapshot) }, hasActive: !snapshot.active.isEmpty,
            upcoming: snapshot.upcoming.map { maintenance($0, snapshot) }, hasUpcoming: !snapshot.upcoming.isEmpty,
            groups: groups, hasGroups: !groups.isEmpty, recent: months(snapshot, count: 2, closedOnly: true))
    }

    static func history(_ snapshot: StatusPageSnapshot) -> History {
        History(frame: Frame(snapshot), months: months(snapshot, count: 12, closedOnly: false))
    }

    /// The last `count` calendar months, newest first, each with what began in it.
    static func months(_ snapshot: StatusPageSnapshot, count: Int, closedOnly: Bool) -> [Month] {
        let calendar = snapshot.calendar
        guard let thisMonth = calendar.dateInterval(of: .month, for: snapshot.now)?.start else { return [] }
        return (0..<count).compactMap { back in
            guard let start = calendar.date(byAdding: .month, value: -back, to: thisMonth),
                let end = calendar.date(byAdding: .month, value: 1, to: start)
            else { return nil }
            let incidents = snapshot.incidents.filter { (start..<end).contains($0.startedAt) && (!closedOnly || !$0.isOpen) }
            let maintenances = snapshot.maintenances.filter { (start..<end).contains($0.startsAt) && $0.state == .completed }
            return Month(
                name: StatusPageText.month(start, snapshot), incidents: incidents.map { incident($0, snapshot) },
                maintenances: maintenances.map { maintenance($0, snapshot) }, empty: incidents.isEmpty && maintenances.isEmpty)
        }
    }

    static func component(_ component: StatusComponent, _ state: ComponentState, _ snapshot: StatusPageSnapshot) -> Component {
        let days = snapshot.uptime(of: component)
        let ratio = Uptime.ratio(days, now: snapshot.now, calendar: snapshot.calendar, since: component.createdAt)
        var reason: String?
        if state.status != .operational, let why = state.reason {
            reason = "\(why)" + (state.since.map { ", since \(StatusPageText.time($0, snapshot))" } ?? "")
        }
        return Component(
            id: component.id, name: component.name, details: component.description.isEmpty ? nil : component.description,
            status: state.status.rawValue,
            statusWords: words(state.status), reason: reason, showUptime: component.showUptime,
            uptime: ratio.map { String(format: "%.2f %% uptime", $0 * 100) } ?? "No data yet",
            days: days.map { day($0, snapshot) },
            troubled: days.compactMap { day in trouble(day).map { "\(StatusPageText.day(day.start, snapshot)): \($0)" } }
                .joined(separator: "; "))
    }

    static func day(_ day: UptimeDay, _ snapshot: StatusPageSnapshot) -> Day {
        guard day.hasData else { return Day(code: "n", hover: "\(StatusPageText.day(day.start, snapshot)): no data") }
        guard let words = trouble(day) else { return Day(code: "o", hover: nil) }
        return Day(code: codes[day.worst] ?? "o", hover: "\(StatusPageText.day(day.start, snapshot)): \(words)")
    }

    /// "major outage 30 min, degraded performance 2 h", or nil for a day without trouble.
    static func trouble(_ day: UptimeDay) -> String? {
        let spans = day.seconds.filter { $0.value >= 1 }.sorted { $0.key.badness > $1.key.badness }
            .map { "\($0.key.words) \(WebTime.span($0.value))" }
        return spans.isEmpty ? nil : spans.joined(separator: ", ")
    }

    /// The classes of the bar's days, short: a page has hundreds of them.
    static let codes: [ComponentStatus: String] = [
        .operational: "o", .degradedPerformance: "d", .partialOutage: "p", .majorOutage: "m", .underMaintenance: "u",
    ]

    static func incident(_ incident: PublicIncident, _ snapshot: StatusPageSnapshot) -> Incident {
        let updates = incident.updates.reversed().map { update in
            Update(
                status: StatusPageText.phase(update.status.rawValue), body: update.body,
                at: PageViews.Time(update.at, text: StatusPageText.time(update.at, snapshot)),
                affected: update.affected.isEmpty
                    ? nil
                    : "This affected: "
                        + update.affected.map { "\(snapshot.componentName($0.id)) (\(words($0.newStatus)))" }
                        .joined(separator: ", "))
        }
        return Incident(
            id: incident.id, name: incident.name, url: "/status/incidents/\(incident.id)", impact: incident.impact.rawValue,
            status: StatusPageText.phase(incident.status.rawValue), open: incident.isOpen, updates: updates, latest: updates[0],
            started: PageViews.Time(incident.startedAt, text: StatusPageText.time(incident.startedAt, snapshot)),
            nextDue: incident.nextUpdateDue.map { PageViews.Time($0, text: StatusPageText.time($0, snapshot)) },
            late: incident.isLate(at: snapshot.now),
            affects: incident.components.isEmpty ? nil : incident.components.map(snapshot.componentName).joined(separator: ", "))
    }

    static func maintenance(_ maintenance: Maintenance, _ snapshot: StatusPageSnapshot) -> MaintenanceItem {
        MaintenanceItem(
            name: maintenance.title, url: "/status/maintenance/\(maintenance.id.uuidString.lowercased())",
            state: maintenance.state.rawValue, stateWords: StatusPageText.phase(maintenance.state.rawValue),
            window: "\(StatusPageText.time(maintenance.startsAt, snapshot)) – \(StatusPageText.time(maintenance.endsAt, snapshot))",
            components: maintenance.components.map(snapshot.componentName).joined(separator: ", "),
            message: maintenance.updates.last?.body ?? "",
            updates: maintenance.updates.reversed().map { update in
                Update(
                    status: StatusPageText.phase(update.state.rawValue), body: update.body,
                    at: PageViews.Time(update.at, text: StatusPageText.time(update.at, snapshot)), affected: nil)
            })
    }

    /// "Major outage", as a label.
    static func words(_ status: ComponentStatus) -> String {
        status.words.prefix(1).uppercased() + status.words.dropFirst()
    }
}
