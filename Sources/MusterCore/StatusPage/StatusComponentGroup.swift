import Foundation

/// A heading on the status page that gathers components ("Payments": Checkout, Refunds). Groups
/// hold components only, so a page has at most two levels.
public struct StatusComponentGroup: Codable, Sendable, Equatable {
    public var id: String
    public var name: String
    public var description: String
    public var position: Int
    public var createdAt: Date
    public var updatedAt: Date

    public init(
        id: String, name: String, description: String = "", position: Int = 0, createdAt: Date, updatedAt: Date? = nil
    ) throws(IncidentError) {
        try ServiceSlug.validate(id, field: "id")
        let trimmed = name.trimmingCharacters(in: .whitespacesAndNewlines)
        try TextRules.require(trimmed, field: "name", max: 120)
        try TextRules.limit(description, field: "description", max: 1_000)
        self.id = id
        self.name = trimmed
        self.description = description
        self.position = position
        self.createdAt = createdAt
        self.updatedAt = updatedAt ?? createdAt
    }

    /// A group's status is its worst component's.
    public static func status(of members: [ComponentState]) -> ComponentStatus {
        members.map(\.status).max { $0.badness < $1.badness } ?? .operational
    }
}
