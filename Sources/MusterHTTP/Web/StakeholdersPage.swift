import Foundation
import MusterCore
import MusterStore

/// `/stakeholders`: who outside the response hears of incidents, and the announcement channels.
struct StakeholdersPage: PageModel {
    struct Member: PageModel {
        var kind: String
        var address: String
    }
    struct Group: PageModel {
        var id: String
        var name: String
        var mode: String
        var hears: String
        var services: String
        var severity: String
        var members: [Member]
        /// The members one a line, as the edit form takes them.
        var membersText: String
        var servicesText: String
        var modes: [PageViews.Option]
        var levels: [PageViews.Option]
    }

    var person: [String: String]
    var canWrite: Bool
    var groups: [Group]
    var modes: [PageViews.Option]
    var levels: [PageViews.Option]
    var alertsAnnounced: String
    var notice: String?
    var banner: String?
    var errors: [String: [String: String]]
    var values: [String: [String: String]]

    static let hears: [StakeholderMode: String] = [
        .updates: "the declaration, every internal update, severity changes and the resolution",
        .summary: "an executive summary: the declaration, severity changes and the resolution with its duration",
        .announcements: "the declaration only",
    ]

    static func build(
        for signedIn: WebAuth.SignedIn, env: APIEnvironment, notice: String? = nil, failure: FormFailure? = nil
    ) async throws -> StakeholdersPage {
        // Viewers see webhook and Slack URLs masked, as in the API: each is a credential.
        let masking = signedIn.user.role == .viewer
        let groups = try await env.stores.communication.stakeholderGroups().map { masking ? $0.masked : $0 }
        func modes(_ chosen: StakeholderMode) -> [PageViews.Option] {
            StakeholderMode.allCases.map { PageViews.Option(value: $0.rawValue, label: $0.rawValue, selected: $0 == chosen) }
        }
        func levels(_ chosen: String?) -> [PageViews.Option] {
            [PageViews.Option(value: "", label: "Every severity", selected: chosen == nil)]
                + env.scheme.levels.map { PageViews.Option(value: $0.name, label: "\($0.name) or worse", selected: $0.name == chosen) }
        }
        let typed = failure?.form == "group" ? failure?.values : nil
        return StakeholdersPage(
            person: signedIn.view, canWrite: signedIn.user.role.canWrite,
            groups: groups.map { group in
                Group(
                    id: group.id, name: group.name, mode: group.mode.rawValue, hears: hears[group.mode] ?? "",
                    services: group.services.isEmpty ? "every service" : group.services.joined(separator: ", "),
                    severity: group.minimumSeverity.map { "\($0) or worse" } ?? "every severity",
                    members: group.members.map { Member(kind: $0.kind.rawValue, address: $0.address) },
                    membersText: group.members.map { "\($0.kind.rawValue):\($0.address)" }.joined(separator: "\n"),
                    servicesText: group.services.joined(separator: ", "), modes: modes(group.mode), levels: levels(group.minimumSeverity))
            },
            modes: modes(typed?["mode"].flatMap(StakeholderMode.init(rawValue:)) ?? .updates),
            levels: levels(typed?["minimumSeverity"]),
            alertsAnnounced: env.announceAlertsAt.map { "at \($0) or worse" } ?? "never",
            notice: notice, banner: failure?.banner, errors: failure?.errors ?? [:], values: failure.map { [$0.form: $0.values] } ?? [:])
    }
}
