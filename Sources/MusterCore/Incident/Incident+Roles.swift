import Foundation

extension Incident {
    /// Gives `role` to `assignee`; for a single-holder role this hands it over from the current
    /// holder. `outside` says the assignee is a person outside Muster, named in free text.
    public mutating func assign(
        _ role: IncidentRole, to assignee: String, outside: Bool = false, by author: String, at now: Date
    ) throws(IncidentError) -> [TimelineDraft] {
        guard status != .closed else { throw .closed }
        let name = assignee.trimmingCharacters(in: .whitespacesAndNewlines)
        try TextRules.require(name, field: "assignee", max: 120)
        if holders(of: role).contains(name) { throw .roleAlreadyHeld(role: role, assignee: name) }
        var details = ["role": role.rawValue, "assignee": name]
        var text = "\(name) is now \(role.title)"
        if !role.allowsMany, let previous = holders(of: role).first {
            roles.removeAll { $0.role == role }
            details["previous"] = previous
            text = "\(role.title.prefix(1).uppercased() + role.title.dropFirst()) handed over from \(previous) to \(name)"
        }
        if outside {
            details["outside"] = "true"
            text += " (outside Muster)"
        }
        roles.append(RoleAssignment(role: role, assignee: name, assignedBy: author, assignedAt: now))
        updatedAt = now
        return [TimelineDraft(kind: .roleChange, at: now, author: author, text: text, details: details)]
    }

    /// Takes `role` away from `assignee`, or from whoever holds it when `assignee` is nil and only one does.
    public mutating func unassign(
        _ role: IncidentRole, assignee: String?, by author: String, at now: Date
    ) throws(IncidentError) -> [TimelineDraft] {
        guard status != .closed else { throw .closed }
        let holders = holders(of: role)
        let target: String
        if let assignee {
            guard holders.contains(assignee) else { throw .roleNotAssigned(role: role, assignee: assignee) }
            target = assignee
        } else {
            guard let only = holders.first else { throw .roleNotAssigned(role: role, assignee: nil) }
            guard holders.count == 1 else {
                throw .invalidField(field: "assignee", reason: "is required: \(holders.count) people hold the \(role.title) role.")
            }
            target = only
        }
        roles.removeAll { $0.role == role && $0.assignee == target }
        updatedAt = now
        return [
            TimelineDraft(
                kind: .roleChange, at: now, author: author, text: "\(target) is no longer \(role.title)",
                details: ["role": role.rawValue, "removed": target])
        ]
    }
}
