import Foundation

extension Incident {
    /// Changes the severity. A reason is always required: it is the record of why the call changed,
    /// and when the new level differs from what the impact matrix proposes it explains the override.
    public mutating func changeSeverity(
        to name: String, reason: String?, scheme: SeverityScheme, by author: String, at now: Date
    ) throws(IncidentError) -> [TimelineDraft] {
        guard status != .closed else { throw .closed }
        let level = try scheme.level(named: name)
        if level.name == severity { throw .sameSeverity(level.name) }
        let why = reason?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        try TextRules.require(why, field: "reason", max: IncidentDeclaration.maxTextLength)
        let previous = severity
        severity = level.name
        updatedAt = now
        var details = ["from": previous, "to": level.name, "reason": why]
        if let users = impact.userImpact, let business = impact.businessImpact {
            let proposed = scheme.propose(users: users, business: business).name
            if proposed != level.name { details["override"] = "matrix proposes \(proposed)" }
        }
        let direction = (scheme.rank(of: level.name) ?? 0) < (scheme.rank(of: previous) ?? 0) ? "raised" : "lowered"
        return [
            TimelineDraft(
                kind: .severityChange, at: now, author: author,
                text: "Severity \(direction) from \(previous) to \(level.name): \(why)", details: details)
        ]
    }

    /// Replaces the impact assessment and records what changed.
    public mutating func updateImpact(_ newImpact: Impact, by author: String, at now: Date) throws(IncidentError) -> [TimelineDraft] {
        guard status != .closed else { throw .closed }
        try newImpact.validate()
        impact = newImpact
        updatedAt = now
        var parts: [String] = []
        if let users = newImpact.userImpact { parts.append("users: \(users.rawValue)") }
        if let business = newImpact.businessImpact { parts.append("business: \(business.rawValue)") }
        if let count = newImpact.usersAffectedCount { parts.append("\(count) users affected") }
        if let percent = newImpact.usersAffectedPercent { parts.append("\(percent)% of users affected") }
        if newImpact.customerFacing { parts.append("customer facing") }
        if newImpact.dataLoss { parts.append("data loss") }
        if newImpact.security { parts.append("security") }
        let text = "Impact assessed: " + (parts.isEmpty ? "none recorded" : parts.joined(separator: ", "))
        return [TimelineDraft(kind: .impactChange, at: now, author: author, text: text)]
    }
}
