import Foundation

/// Changes to a person's name, email or time zone; nil leaves a field as it is.
public struct UserEdit: Codable, Sendable, Equatable {
    public var name: String?
    public var email: String?
    public var timeZone: String?
    public var role: Role?

    public init(name: String? = nil, email: String? = nil, timeZone: String? = nil, role: Role? = nil) {
        self.name = name
        self.email = email
        self.timeZone = timeZone
        self.role = role
    }

    /// Applies the edit to `user`, checking each field given.
    public func apply(to user: inout User) throws(IncidentError) {
        guard name != nil || email != nil || timeZone != nil || role != nil else {
            throw .invalidField(field: "name", reason: "or email, timeZone or role must be given.")
        }
        if let role { user.role = role }
        if let name {
            let trimmed = name.trimmingCharacters(in: .whitespacesAndNewlines)
            try TextRules.require(trimmed, field: "name", max: 120)
            user.name = trimmed
        }
        if let email {
            _ = try ContactMethod(id: UUID(), kind: .email, address: email)
            user.email = email
        }
        if let timeZone {
            try TextRules.timeZone(timeZone, field: "timeZone")
            user.timeZone = timeZone
        }
    }
}
