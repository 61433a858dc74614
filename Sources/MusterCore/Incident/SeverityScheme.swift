/// The ordered list of severity levels an installation uses, most severe first.
public struct SeverityScheme: Codable, Sendable, Equatable {
    public var levels: [Severity]

    /// Builds a scheme; names must be unique and at least one level must exist.
    public init(levels: [Severity]) throws(IncidentError) {
        guard !levels.isEmpty else {
            throw .invalidField(field: "severities", reason: "must list at least one level.")
        }
        var seen = Set<String>()
        for level in levels {
            let key = level.name.uppercased()
            guard !level.name.isEmpty else {
                throw .invalidField(field: "severities.name", reason: "must not be empty.")
            }
            guard seen.insert(key).inserted else {
                throw .invalidField(field: "severities", reason: "names the level \(level.name) twice.")
            }
            guard level.acknowledgeTargetSeconds > 0, level.resolveTargetSeconds > 0 else {
                throw .invalidField(field: "severities.\(level.name)", reason: "needs positive acknowledge and resolve targets.")
            }
        }
        self.levels = levels
    }

    /// Level names in order, most severe first.
    public var names: [String] { levels.map(\.name) }

    /// The level called `name` (case-insensitive).
    public func level(named name: String) throws(IncidentError) -> Severity {
        guard let found = levels.first(where: { $0.name.caseInsensitiveCompare(name) == .orderedSame }) else {
            throw .unknownSeverity(name, known: names)
        }
        return found
    }

    /// 0 for the most severe level; larger is milder.
    public func rank(of name: String) -> Int? {
        levels.firstIndex { $0.name.caseInsensitiveCompare(name) == .orderedSame }
    }

    /// The level the impact matrix proposes: the heavier of the two impacts decides, spread over the
    /// scheme's levels so a 3- or 5-level scheme still maps all four rows.
    public func propose(users: UserImpact, business: BusinessImpact) -> Severity {
        let row = min(users.index, business.index)
        let scale = Double(levels.count - 1) / Double(UserImpact.allCases.count - 1)
        let index = Int((Double(row) * scale).rounded())
        return levels[min(max(index, 0), levels.count - 1)]
    }
}
