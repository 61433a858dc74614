import Foundation

/// A level's targets as people type them in a form: ids separated by commas, each a person, a
/// schedule or a team. A bare id is whichever of those exists; `user:`, `schedule:` or `team:`
/// says which when an id names more than one.
public struct EscalationTargetText: Sendable {
    public var users: Set<String>
    public var schedules: Set<String>
    public var teams: Set<String>

    public init(users: Set<String>, schedules: Set<String>, teams: Set<String>) {
        self.users = users
        self.schedules = schedules
        self.teams = teams
    }

    /// The targets `text` names, in its order, each once; `field` is named in errors.
    public func parse(_ text: String, field: String) throws(IncidentError) -> [EscalationTarget] {
        var targets: [EscalationTarget] = []
        for token in text.split(whereSeparator: { $0 == "," || $0.isNewline }) {
            let word = token.trimmingCharacters(in: .whitespaces)
            guard !word.isEmpty else { continue }
            let target = try target(word, field: field)
            if !targets.contains(target) { targets.append(target) }
        }
        return targets
    }

    private func target(_ word: String, field: String) throws(IncidentError) -> EscalationTarget {
        let shown = "'\(word.prefix(60))'"
        if let colon = word.firstIndex(of: ":") {
            let kind = word[..<colon].lowercased()
            let id = String(word[word.index(after: colon)...]).trimmingCharacters(in: .whitespaces)
            let (known, target): (Set<String>, EscalationTarget) =
                switch kind {
                case "user": (users, .user(id))
                case "schedule": (schedules, .schedule(id))
                case "team": (teams, .team(id))
                default:
                    throw .invalidField(field: field, reason: "names \(shown); begin it with user:, schedule: or team:, or give a bare id.")
                }
            guard known.contains(id) else {
                throw .invalidField(field: field, reason: "names \(shown), but there is no \(kind) '\(id.prefix(60))'.")
            }
            return target
        }
        let matches: [EscalationTarget] =
            (users.contains(word) ? [.user(word)] : []) + (schedules.contains(word) ? [.schedule(word)] : [])
            + (teams.contains(word) ? [.team(word)] : [])
        guard matches.count == 1, let only = matches.first else {
            if matches.isEmpty { throw .invalidField(field: field, reason: "names \(shown), which is no person, schedule or team.") }
            let kinds = matches.map { $0.kind }.joined(separator: " and a ")
            throw .invalidField(
                field: field,
                reason: "names \(shown), which is a \(kinds); write \(matches.map { "\($0.kind):\(word)" }.joined(separator: " or ")).")
        }
        return only
    }

    /// Targets as the form shows them again: bare ids, with the kind only where an id is ambiguous.
    public func text(_ targets: [EscalationTarget]) -> String {
        targets.map { target in
            let id = target.id
            let kinds = [users.contains(id), schedules.contains(id), teams.contains(id)].filter { $0 }.count
            return kinds == 1 ? id : "\(target.kind):\(id)"
        }.joined(separator: ", ")
    }
}

extension EscalationTarget {
    /// `user`, `schedule` or `team`.
    public var kind: String {
        switch self {
        case .user: "user"
        case .schedule: "schedule"
        case .team: "team"
        }
    }

    /// The id of the person, schedule or team.
    public var id: String {
        switch self {
        case .user(let id), .schedule(let id), .team(let id): id
        }
    }
}
