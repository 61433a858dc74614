import Foundation
import MusterCore

/// Which action items to list.
public struct ActionItemQuery: Sendable, Equatable {
    public var owner: String?
    /// Only those still to do (open or in progress).
    public var openOnly: Bool
    /// Only those open past their due date at this moment.
    public var overdueAt: Date?
    public var incidentID: UUID?

    public init(owner: String? = nil, openOnly: Bool = false, overdueAt: Date? = nil, incidentID: UUID? = nil) {
        self.owner = owner
        self.openOnly = openOnly
        self.overdueAt = overdueAt
        self.incidentID = incidentID
    }
}

/// What the team learns after an incident: its post-mortem and the action items that follow.
public protocol LearningStore: Sendable {
    /// Stores a new post-mortem; an incident has at most one.
    func createPostmortem(_ postmortem: Postmortem) async throws -> Postmortem
    func postmortem(ofIncident incidentID: UUID) async throws -> Postmortem?
    /// Locks the post-mortem, applies `change` and stores it, in one transaction.
    func updatePostmortem(_ id: UUID, _ change: @escaping @Sendable (inout Postmortem) throws -> Void) async throws -> Postmortem
    /// Post-mortems, newest first; `state` narrows them.
    func postmortems(state: PostmortemState?) async throws -> [Postmortem]

    func createActionItem(_ item: ActionItem) async throws -> ActionItem
    func actionItem(_ id: UUID) async throws -> ActionItem?
    func updateActionItem(_ id: UUID, _ change: @escaping @Sendable (inout ActionItem) throws -> Void) async throws -> ActionItem
    /// Action items, soonest due first (those without a due date last), then oldest.
    func actionItems(_ query: ActionItemQuery) async throws -> [ActionItem]
    /// The times of the incidents detected in `[from, to)`, narrowed to a service and a severity
    /// when given: read from their columns, not their documents.
    func incidentTimes(from: Date, to: Date, service: String?, severity: String?) async throws -> [IncidentTimes]
    /// Sends the post-mortem and action item reminders that fall due by `now`, through the outbox;
    /// each record is claimed by one server. Returns the reminders sent.
    func runFollowUps(_ rules: FollowUpRules, at now: Date) async throws -> [FollowUp]
}
