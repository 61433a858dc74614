import Foundation
import MusterCore

/// One message to one person through one contact method, kept until it is delivered or given up:
/// a page about an incident, or (when `handoff` is set) an on-call handoff summary.
public struct Page: Codable, Sendable, Equatable {
    public enum Status: String, StrictStringEnum {
        case pending, sending, sent, dead
    }

    public var id: UUID
    /// The incident paged about; nil for a handoff summary.
    public var incidentID: UUID?
    public var incidentReference: String
    public var title: String
    public var severity: String
    public var user: String
    public var contact: ContactMethod
    /// The escalation level that paged, counted from 1.
    public var level: Int
    public var status: Status
    public var attempts: Int
    public var dueAt: Date
    public var createdAt: Date
    public var lastError: String?
    /// Set when this is a handoff summary for the person taking over, not a page.
    public var handoff: HandoffSummary?
    /// Set when this reminds of a status update due or overdue, not a page: what to say.
    public var reminder: String?
    /// Set when this tells a stakeholder group of an incident, not a page; `user` is then
    /// `group:<id>`.
    public var broadcast: Broadcast?
    /// Set when this tells a status page subscriber something; `user` is then `subscriber:<id>`.
    public var notice: StatusNotice?
    /// Set when this reminds a person of a post-mortem or an action item.
    public var followUp: FollowUp?

    public init(
        id: UUID, incident: Incident, user: String, contact: ContactMethod, level: Int, at now: Date
    ) {
        self.id = id
        incidentID = incident.id
        incidentReference = incident.reference
        title = incident.title
        severity = incident.severity
        self.user = user
        self.contact = contact
        self.level = level
        status = .pending
        attempts = 0
        dueAt = now
        createdAt = now
    }

    /// A message to one member of a stakeholder group.
    public init(id: UUID, broadcast: Broadcast, incident: Incident, contact: ContactMethod, at now: Date) {
        self.init(id: id, incident: incident, user: Self.groupPrefix + broadcast.group, contact: contact, level: 0, at: now)
        self.broadcast = broadcast
    }

    /// How the `user` of a message to a stakeholder group begins.
    public static let groupPrefix = "group:"

    /// A reminder of a post-mortem or an action item to one of the recipient's contact methods.
    public init(id: UUID, followUp: FollowUp, contact: ContactMethod, at now: Date) {
        self.init(id: id, title: followUp.subject, user: followUp.recipient, contact: contact, at: now)
        self.followUp = followUp
    }

    /// A message to a status page subscriber.
    public init(id: UUID, notice: StatusNotice, subscriber: Subscriber, at now: Date) {
        self.init(
            id: id, title: notice.subject, user: Self.subscriberPrefix + subscriber.id.uuidString.lowercased(), contact: subscriber.contact,
            at: now)
        self.notice = notice
    }

    /// How the `user` of a message to a status page subscriber begins.
    public static let subscriberPrefix = "subscriber:"

    /// The subscriber a message is for, if it is for one.
    public var subscriberID: UUID? {
        guard user.hasPrefix(Self.subscriberPrefix) else { return nil }
        return UUID(uuidString: String(user.dropFirst(Self.subscriberPrefix.count)))
    }

    /// A handoff summary for the person taking over on-call.
    public init(id: UUID, handoff: HandoffSummary, user: String, contact: ContactMethod, at now: Date) {
        self.init(id: id, title: "On-call handoff: \(handoff.scheduleName)", user: user, contact: contact, at: now)
        self.handoff = handoff
    }

    /// A message about no incident in particular, due now.
    private init(id: UUID, title: String, user: String, contact: ContactMethod, at now: Date) {
        self.id = id
        incidentID = nil
        incidentReference = ""
        self.title = title
        severity = ""
        self.user = user
        self.contact = contact
        level = 0
        status = .pending
        attempts = 0
        dueAt = now
        createdAt = now
    }
}

/// How a delivery attempt went.
public enum DeliveryResult: Sendable, Equatable {
    case delivered
    /// Worth trying again later.
    case failed(String)
    /// Cannot work, however often it is tried (e.g. no channel for this kind of contact).
    case impossible(String)
    /// Not tried: the contact is over its page rate; try again after this many seconds.
    case deferred(TimeInterval)
}

/// A delivery result for one page (as it was claimed), and when to retry if it failed.
public struct PageResult: Sendable, Equatable {
    public var page: Page
    public var result: DeliveryResult
    public var retryAfter: TimeInterval

    public var id: UUID { page.id }

    public init(page: Page, result: DeliveryResult, retryAfter: TimeInterval) {
        self.page = page
        self.result = result
        self.retryAfter = retryAfter
    }
}

/// The outbox at a glance: what is not yet delivered or given up.
public struct OutboxSummary: Sendable, Equatable {
    /// Pages and summaries pending or being sent.
    public var pending: Int
    /// When the earliest pending one fell due (it may lie ahead, for a retry); nil when none is pending.
    public var earliestDue: Date?

    public init(pending: Int, earliestDue: Date?) {
        self.pending = pending
        self.earliestDue = earliestDue
    }

    /// Seconds the oldest due page has waited at `now`; 0 when nothing is overdue.
    public func oldestDueAge(at now: Date) -> Double {
        guard let earliestDue else { return 0 }
        return max(0, now.timeIntervalSince(earliestDue))
    }
}
