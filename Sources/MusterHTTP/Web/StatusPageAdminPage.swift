import Foundation
import MusterCore
import MusterStore

/// `/statuspage`: the public page's components, groups, maintenance, subscribers and settings,
/// as responders and admins run them.
struct StatusPageAdminPage: PageModel {
    struct Component: PageModel {
        var id: String
        var name: String
        var group: String
        var services: String
        var status: String
        var statusWords: String
        var why: String?
        var overridden: Bool
        var statuses: [PageViews.Option]
    }

    struct Group: PageModel {
        var id: String
        var name: String
        var members: String
    }

    struct MaintenanceRow: PageModel {
        var id: String
        var title: String
        var state: String
        var window: String
        var components: String
        var silenced: Bool
        var open: Bool
        var moves: [PageViews.Option]
        var lastMessage: String
    }

    struct SubscriberRow: PageModel {
        var id: String
        var kind: String
        var address: String
        var components: String
        var confirmed: String
    }

    struct Level: PageModel {
        var name: String
        var statuses: [PageViews.Option]
    }

    var person: [String: String]
    var canWrite: Bool
    var admin: Bool
    var publicURL: String
    var indicator: String
    var banner: String
    var components: [Component]
    var groups: [Group]
    var groupChoices: [PageViews.Option]
    var componentChoices: [PageViews.Option]
    var maintenances: [MaintenanceRow]
    var subscribers: [SubscriberRow]
    var subscriberCount: Int
    var settings: [String: String]
    var levels: [Level]
    var notice: String?
    var failure: String?
    var errors: [String: [String: String]]
    var values: [String: [String: String]]

    static func build(
        for signedIn: WebAuth.SignedIn, env: APIEnvironment, notice: String? = nil, failure: FormFailure? = nil
    ) async throws -> StatusPageAdminPage {
        let store = env.stores.statusPage
        let now = env.now()
        let settings = try await StatusPageSnapshot.settings(env)
        let rollup = settings.rollup(for: env.scheme)
        let components = try await store.statusComponents()
        let groups = try await store.statusGroups()
        let board = try await StatusPageSnapshot.board(env, components: components)
        let maintenances = try await store.maintenances(endedSince: now.addingTimeInterval(-30 * 86_400))
        let admin = signedIn.user.role == .admin
        let subscribers = admin ? try await store.subscribers() : []
        func statuses(_ chosen: ComponentStatus?) -> [PageViews.Option] {
            ComponentStatus.allCases.map {
                PageViews.Option(value: $0.rawValue, label: PublicStatusPages.words($0), selected: $0 == chosen)
            }
        }
        let names = Dictionary(components.map { ($0.id, $0.name) }, uniquingKeysWith: { first, _ in first })
        return StatusPageAdminPage(
            person: signedIn.view, canWrite: signedIn.user.role.canWrite, admin: admin, publicURL: env.publicURL + "/status",
            indicator: board.indicator.rawValue, banner: board.indicator.description,
            components: board.components.map { component, state in
                Component(
                    id: component.id, name: component.name, group: groups.first { $0.id == component.groupID }?.name ?? "—",
                    services: component.services.joined(separator: ", "), status: state.status.rawValue,
                    statusWords: PublicStatusPages.words(state.status), why: state.reason,
                    overridden: component.override?.holds(at: now) == true, statuses: statuses(nil))
            },
            groups: groups.map { group in
                Group(
                    id: group.id, name: group.name,
                    members: components.filter { $0.groupID == group.id }.map(\.name).joined(separator: ", "))
            },
            groupChoices: [PageViews.Option(value: "", label: "No group")]
                + groups.map { PageViews.Option(value: $0.id, label: $0.name, selected: failure?.values["groupID"] == $0.id) },
            componentChoices: components.map { PageViews.Option(value: $0.id, label: $0.name) },
            maintenances: maintenances.sorted { $0.startsAt > $1.startsAt }.map { maintenance in
                let later = MaintenanceState.allCases.filter { Self.order($0) > Self.order(maintenance.state) }
                return MaintenanceRow(
                    id: maintenance.id.uuidString.lowercased(), title: maintenance.title, state: maintenance.state.rawValue,
                    window: "\(WebTime.text(maintenance.startsAt)) – \(WebTime.text(maintenance.endsAt))",
                    components: maintenance.components.map { names[$0] ?? $0 }.joined(separator: ", "),
                    silenced: maintenance.silenceID != nil,
                    open: maintenance.state != .completed,
                    moves: [PageViews.Option(value: "", label: "Stay \(maintenance.state.rawValue)")]
                        + later.map { PageViews.Option(value: $0.rawValue, label: "Move to \($0.rawValue)") },
                    lastMessage: maintenance.updates.last?.body ?? "")
            },
            subscribers: subscribers.prefix(200).map { subscriber in
                SubscriberRow(
                    id: subscriber.id.uuidString.lowercased(), kind: subscriber.kind.rawValue, address: subscriber.address,
                    components: subscriber.components.isEmpty
                        ? "all" : subscriber.components.map { names[$0] ?? $0 }.joined(separator: ", "),
                    confirmed: subscriber.confirmedAt.map(WebTime.text) ?? "pending")
            },
            subscriberCount: subscribers.count,
            settings: [
                "name": settings.name, "logoURL": settings.logoURL ?? "", "accentColor": settings.accentColor,
                "timeZone": settings.timeZone,
                "links": settings.links.map { "\($0.label)=\($0.url)" }.joined(separator: "\n"),
            ],
            levels: env.scheme.levels.map { level in
                let chosen = rollup.status(ofSeverity: level.name)
                return Level(
                    name: level.name,
                    statuses: [ComponentStatus.degradedPerformance, .partialOutage, .majorOutage].map {
                        PageViews.Option(value: $0.rawValue, label: PublicStatusPages.words($0), selected: $0 == chosen)
                    })
            },
            notice: notice, failure: failure?.banner, errors: failure?.errors ?? [:], values: failure.map { [$0.form: $0.values] } ?? [:])
    }

    static func order(_ state: MaintenanceState) -> Int {
        MaintenanceState.allCases.firstIndex(of: state) ?? 0
    }
}
