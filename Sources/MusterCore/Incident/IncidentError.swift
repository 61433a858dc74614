import Foundation

/// A rule of the incident process was broken; `message` says which, in words a responder understands.
public enum IncidentError: Error, Equatable, Sendable, CustomStringConvertible {
    case invalidTransition(from: IncidentStatus, to: IncidentStatus)
    case alreadyAcknowledged
    case alreadyInStatus(IncidentStatus)
    case notResolved(IncidentStatus)
    case reopenWindowPassed(resolvedAt: Date, windowSeconds: Int)
    case unknownSeverity(String, known: [String])
    case sameSeverity(String)
    case reasonRequired(String)
    case roleAlreadyHeld(role: IncidentRole, assignee: String)
    case roleNotAssigned(role: IncidentRole, assignee: String?)
    case invalidField(field: String, reason: String)
    case hypothesisNotFound
    case closed
    /// Something speaks against the change (see `Incident.resolveHolds`); it needs a reason to go ahead.
    case confirmationRequired([String])

    /// The request field the error is about, when there is one.
    public var field: String? {
        switch self {
        case .unknownSeverity, .sameSeverity: "severity"
        case .reasonRequired(let field): field
        case .roleAlreadyHeld, .roleNotAssigned: "assignee"
        case .invalidField(let field, _): field
        case .invalidTransition, .alreadyInStatus: "status"
        case .confirmationRequired: "force"
        default: nil
        }
    }

    public var message: String {
        switch self {
        case .invalidTransition(let from, let to):
            let next = StatusTransitions.allowed(from: from).map(\.rawValue)
            let options = next.isEmpty ? "nothing: it is final" : next.joined(separator: ", ")
            let hint = from == .resolved && to.isOpen ? " If the problem is back, reopen the incident instead." : ""
            return
                "An incident that is \(from.rawValue) cannot move to \(to.rawValue); from \(from.rawValue) it can move to \(options).\(hint)"
        case .alreadyAcknowledged:
            return "The incident has already been acknowledged."
        case .alreadyInStatus(let status):
            return "The incident is already \(status.rawValue)."
        case .notResolved(let status):
            return "Only a resolved incident can be reopened; this one is \(status.rawValue)."
        case .reopenWindowPassed(let resolvedAt, let window):
            return
                "The incident was resolved at \(resolvedAt.iso8601) and the reopen window of \(DurationText.format(window)) has passed; declare a new incident instead."
        case .unknownSeverity(let name, let known):
            return "Unknown severity '\(name)'; this installation uses \(known.joined(separator: ", "))."
        case .sameSeverity(let name):
            return "The incident is already \(name)."
        case .reasonRequired(let field):
            return "A reason is required in '\(field)'."
        case .roleAlreadyHeld(let role, let assignee):
            return "\(assignee) already holds the \(role.title) role."
        case .roleNotAssigned(let role, let assignee):
            if let assignee { return "\(assignee) does not hold the \(role.title) role." }
            return "Nobody holds the \(role.title) role."
        case .invalidField(let field, let reason):
            return "'\(field)' \(reason)"
        case .hypothesisNotFound:
            return "No hypothesis with that id on this incident."
        case .closed:
            return "The incident is closed; its record can no longer change."
        case .confirmationRequired(let holds):
            return "Not resolved yet: \(holds.joined(separator: "; and ")). To resolve anyway, confirm with the reason in 'force'."
        }
    }

    public var description: String { message }
}
