/// The table of status moves responders may make with `Incident.transition(to:by:at:)`.
///
/// Reopening a resolved incident is not in the table: it has its own operation with a time window.
public enum StatusTransitions {
    /// The statuses reachable in one step from `status`.
    public static func allowed(from status: IncidentStatus) -> [IncidentStatus] {
        switch status {
        case .triggered: [.acknowledged, .investigating, .identified, .monitoring, .resolved]
        case .acknowledged: [.investigating, .identified, .monitoring, .resolved]
        case .investigating: [.identified, .monitoring, .resolved]
        case .identified: [.investigating, .monitoring, .resolved]
        case .monitoring: [.investigating, .identified, .resolved]
        case .resolved: [.closed]
        case .closed: []
        }
    }

    /// Whether moving from `from` to `to` is a legal single step.
    public static func isAllowed(from: IncidentStatus, to: IncidentStatus) -> Bool {
        allowed(from: from).contains(to)
    }
}
