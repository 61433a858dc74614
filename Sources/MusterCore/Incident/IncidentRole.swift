import Foundation

/// The response roles; only subject matter experts may be held by several people at once.
public enum IncidentRole: String, StrictStringEnum {
    case commander = "incident_commander"
    case techLead = "tech_lead"
    case communications = "communications_lead"
    case scribe
    case operations = "operations_lead"
    case subjectMatterExpert = "sme"

    /// Whether several people may hold the role together.
    public var allowsMany: Bool { self == .subjectMatterExpert }

    public var title: String {
        switch self {
        case .commander: "incident commander"
        case .techLead: "tech lead"
        case .communications: "communications lead"
        case .scribe: "scribe"
        case .operations: "operations lead"
        case .subjectMatterExpert: "subject matter expert"
        }
    }
}

/// One person holding one role on an incident.
public struct RoleAssignment: Codable, Sendable, Equatable {
    public var role: IncidentRole
    public var assignee: String
    public var assignedBy: String
    public var assignedAt: Date

    public init(role: IncidentRole, assignee: String, assignedBy: String, assignedAt: Date) {
        self.role = role
        self.assignee = assignee
        self.assignedBy = assignedBy
        self.assignedAt = assignedAt
    }
}
