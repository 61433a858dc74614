import Foundation
import MusterCore
import MusterStore

/// `/policies/{id}` and `/policies/new`: an escalation policy's levels edited row by row, each
/// with whom it pages and how long it waits before the next.
struct PolicyPage: PageModel {
    struct LevelRow: PageModel {
        var number: Int
        var targets: String
        var delay: String
        var targetsError: String?
        var delayError: String?
    }

    var person: [String: String]
    var canWrite: Bool
    var isNew: Bool
    var id: String
    var name: String
    var repeats: String
    /// Counts the edits; running escalations keep the version they started with.
    var version: Int
    var rows: [LevelRow]
    /// The services whose incidents it pages.
    var usedBy: String?
    /// The people, schedules and teams a level may name.
    var people: String
    var schedules: String
    var teams: String
    var banner: String?
    var notice: String?
    /// Messages by field (`id`, `name`, `repeats`), for the policy's own fields.
    var errors: [String: String]

    /// Rows for the levels, and two empty ones to add more (twenty at most).
    static let spareRows = 2

    static func build(
        _ policy: EscalationPolicy?, for signedIn: WebAuth.SignedIn, env: APIEnvironment, failure: FormFailure? = nil,
        notice: String? = nil
    ) async throws -> PolicyPage {
        async let services = env.stores.services.services()
        let names = try await targetNames(env)
        let typed = failure?.values
        let levels = policy?.levels ?? []
        let count = min(PolicyForm.maxLevels, max(levels.count + spareRows, Self.typedRows(typed)))
        let rows = (1...count).map { number in
            let level = number <= levels.count ? levels[number - 1] : nil
            return LevelRow(
                number: number,
                targets: typed?[PolicyForm.targetsField(number)] ?? level.map { names.text($0.targets) } ?? "",
                delay: typed?[PolicyForm.delayField(number)] ?? level.map { String($0.delayMinutes) }
                    ?? (number <= levels.count + 1 ? "5" : ""),
                targetsError: failure?.field == PolicyForm.targetsField(number) ? failure?.detail : nil,
                delayError: failure?.field == PolicyForm.delayField(number) ? failure?.detail : nil)
        }
        let using = try await services.filter { policy != nil && $0.escalationPolicy == policy?.id }.map(\.id)
        let ownField = failure?.field.flatMap { ["id", "name", "repeats"].contains($0) ? $0 : nil }
        return PolicyPage(
            person: signedIn.view, canWrite: signedIn.user.role.canWrite, isNew: policy == nil, id: typed?["id"] ?? policy?.id ?? "",
            name: typed?["name"] ?? policy?.name ?? "", repeats: typed?["repeats"] ?? String(policy?.repeats ?? 0),
            version: policy?.version ?? 0, rows: rows, usedBy: using.isEmpty ? nil : using.joined(separator: ", "),
            people: names.users.sorted().joined(separator: ", "), schedules: names.schedules.sorted().joined(separator: ", "),
            teams: names.teams.sorted().joined(separator: ", "),
            banner: failure.flatMap { $0.field == nil ? $0.banner : nil }, notice: notice,
            errors: ownField.map { [$0: failure?.detail ?? ""] } ?? [:])
    }

    /// Who a level may page, as the form names them: active people, schedules and teams.
    static func targetNames(_ env: APIEnvironment) async throws -> EscalationTargetText {
        async let users = env.stores.onCall.users()
        async let schedules = env.stores.onCall.schedules()
        async let teams = env.stores.onCall.teams()
        return EscalationTargetText(
            users: Set(try await users.filter(\.isActive).map(\.id)), schedules: Set(try await schedules.map(\.id)),
            teams: Set(try await teams.map(\.id)))
    }

    /// How many rows a refused form had, so that none of what was typed is lost.
    private static func typedRows(_ typed: [String: String]?) -> Int {
        (typed ?? [:]).keys.compactMap { key in key.split(separator: "-").last.flatMap { Int($0) } }.max() ?? 0
    }
}
