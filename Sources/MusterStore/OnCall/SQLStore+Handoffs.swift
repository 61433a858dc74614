import Foundation
import MusterCore
import SQLKit

/// A handoff whose summary was queued for the incoming person.
public struct HandoffRecord: Codable, Sendable, Equatable {
    public var schedule: String
    public var at: Date
    public var outgoing: String?
    public var incoming: String
    public var queuedAt: Date

    public init(schedule: String, at: Date, outgoing: String?, incoming: String, queuedAt: Date) {
        self.schedule = schedule
        self.at = at
        self.outgoing = outgoing
        self.incoming = incoming
        self.queuedAt = queuedAt
    }
}

extension SQLStore {
    /// Incidents listed in one summary section, at most.
    static let summaryLimit = 100

    public func handoffSummary(schedule id: String, at date: Date) async throws -> HandoffSummary? {
        try await read { db in
            guard
                let record = try await db.raw("SELECT document FROM schedules WHERE id = \(bind: id)").first()
                    .map({ try DocumentCoding.decode(ScheduleRecord.self, from: $0.decode(column: "document", as: String.self)) })
            else { return nil }
            return try await Self.summary(of: record, at: date, on: db)
        }
    }

    /// Finds the changes of hands in `(now - lookback, now]` on every schedule and, for each one
    /// not seen before, queues a summary to every contact method of the incoming person. The
    /// `handoffs` table's key makes each handoff's summary go out once, however many processes look.
    public func queueHandoffSummaries(at now: Date, lookback: TimeInterval) async throws -> [HandoffSummary] {
        try await transaction { db in
            let records = try await db.raw("SELECT document FROM schedules ORDER BY id").all()
                .map { try DocumentCoding.decode(ScheduleRecord.self, from: $0.decode(column: "document", as: String.self)) }
            return try await self.writing(on: db) { writes in
                var queued: [HandoffSummary] = []
                for record in records {
                    let since = max(now.addingTimeInterval(-lookback), record.createdAt)
                    for handoff in record.schedule.handoffs(after: since, through: now) {
                        guard let incoming = handoff.incoming else { continue }
                        let claimed = try await db.raw(
                            """
                            INSERT INTO handoffs (schedule_id, at, outgoing, incoming, queued_at)
                            VALUES (\(bind: record.id), \(bind: handoff.at.millis), \(bind: handoff.outgoing), \(bind: incoming), \(bind: now.millis))
                            ON CONFLICT (schedule_id, at) DO NOTHING RETURNING schedule_id
                            """
                        ).first()
                        guard claimed != nil else { continue }
                        let summary = try await Self.summary(of: record, at: handoff.at, on: db)
                        queued.append(summary)
                        guard
                            let user = try await db.raw("SELECT document FROM users WHERE id = \(bind: incoming)").first()
                                .map({ try DocumentCoding.decode(User.self, from: $0.decode(column: "document", as: String.self)) })
                        else { continue }
                        try Self.insertNotifications(
                            user.contactMethods.map { Page(id: UUID(), handoff: summary, user: user.id, contact: $0, at: now) },
                            into: writes)
                    }
                }
                return queued
            }
        }
    }

    public func handoffs(schedule id: String, limit: Int) async throws -> [HandoffRecord] {
        try await read { db in
            try await db.raw(
                """
                SELECT schedule_id, at, outgoing, incoming, queued_at FROM handoffs WHERE schedule_id = \(bind: id)
                ORDER BY at DESC LIMIT \(literal: max(1, min(limit, 500)))
                """
            ).all().map { row in
                HandoffRecord(
                    schedule: try row.decode(column: "schedule_id", as: String.self),
                    at: Date(millis: try row.decode(column: "at", as: Int64.self)),
                    outgoing: try row.decode(column: "outgoing", as: String?.self),
                    incoming: try row.decode(column: "incoming", as: String.self),
                    queuedAt: Date(millis: try row.decode(column: "queued_at", as: Int64.self)))
            }
        }
    }

    /// The summary for whoever is on call at `date`: the shift before, and the incidents of the
    /// services that page this schedule (of all services when none does).
    static func summary(of record: ScheduleRecord, at date: Date, on db: any SQLDatabase) async throws -> HandoffSummary {
        let services = try await servicesPaging(schedule: record.id, on: db)
        let previous = record.schedule.previousShift(before: date)
        let scope: SQLQueryString =
            services.isEmpty
            ? ""
            : " AND id IN (SELECT incident_id FROM incident_services WHERE service IN (\(binds: services)))"
        let openStatuses = IncidentStatus.allCases.filter(\.isOpen).map(\.rawValue)
        let open = try await db.raw(
            """
            SELECT document FROM incidents WHERE status IN (\(binds: openStatuses))\(scope)
            ORDER BY detected_at DESC LIMIT \(literal: summaryLimit)
            """
        ).all()
        var during: [SQLRow] = []
        if let previous {
            during = try await db.raw(
                """
                SELECT document FROM incidents
                WHERE detected_at >= \(bind: previous.start.millis) AND detected_at < \(bind: previous.end.millis)\(scope)
                ORDER BY detected_at DESC LIMIT \(literal: summaryLimit)
                """
            ).all()
        }
        func briefs(_ rows: [SQLRow]) throws -> [IncidentBrief] {
            try rows.map { IncidentBrief(try DocumentCoding.decode(Incident.self, from: $0.decode(column: "document", as: String.self))) }
        }
        let incoming = record.schedule.onCall(at: date)
        var summary = HandoffSummary(
            schedule: record.id, scheduleName: record.name, at: date, previousShift: previous,
            incoming: incoming, nextHandoff: record.schedule.nextHandoff(after: date)?.start,
            openIncidents: try briefs(open), duringShift: try briefs(during), services: services)
        if let incoming {
            summary.actionItems = try await db.raw(
                """
                SELECT document FROM action_items WHERE owner = \(bind: incoming) AND status IN ('open', 'in_progress')
                ORDER BY CASE WHEN due_at IS NULL THEN 1 ELSE 0 END, due_at LIMIT \(literal: summaryLimit)
                """
            ).all().map(decodeActionItem)
        }
        return summary
    }

    /// Services whose escalation policy names the schedule at any level.
    static func servicesPaging(schedule id: String, on db: any SQLDatabase) async throws -> [String] {
        let policies = try await db.raw("SELECT document FROM escalation_policies").all()
            .map { try DocumentCoding.decode(EscalationPolicy.self, from: $0.decode(column: "document", as: String.self)) }
            .filter { $0.levels.contains { $0.targets.contains(.schedule(id)) } }
            .map(\.id)
        guard !policies.isEmpty else { return [] }
        return try await db.raw("SELECT id FROM services WHERE escalation_policy IN (\(binds: policies)) ORDER BY id").all()
            .map { try $0.decode(column: "id", as: String.self) }
    }
}
