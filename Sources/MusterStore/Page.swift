import Foundation
import MusterCore

/// One page to one person through one contact method, kept until it is delivered or given up.
public struct Page: Codable, Sendable, Equatable {
    public enum Status: String, StrictStringEnum {
        case pending, sending, sent, dead
    }

    public var id: UUID
    public var incidentID: UUID
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
}

/// How a delivery attempt went.
public enum DeliveryResult: Sendable, Equatable {
    case delivered
    /// Worth trying again later.
    case failed(String)
}
