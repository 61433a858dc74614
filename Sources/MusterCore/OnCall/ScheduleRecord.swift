import Foundation

/// A named schedule as stored: its layers and overrides, and the zone it is shown in.
public struct ScheduleRecord: Codable, Sendable, Equatable {
    public var id: String
    public var name: String
    public var timeZone: String
    public var schedule: Schedule
    public var createdAt: Date
    public var updatedAt: Date

    public init(id: String, name: String, timeZone: String, schedule: Schedule, createdAt: Date) throws(IncidentError) {
        try ServiceSlug.validate(id, field: "id")
        try TextRules.require(name, field: "name", max: 120)
        try TextRules.timeZone(timeZone, field: "timeZone")
        guard schedule.layers.count <= 20 else { throw .invalidField(field: "layers", reason: "may hold at most 20 layers.") }
        self.id = id
        self.name = name
        self.timeZone = timeZone
        self.schedule = schedule
        self.createdAt = createdAt
        updatedAt = createdAt
    }
}
