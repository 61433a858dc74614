import Foundation
import MusterCore
import SQLKit

extension SQLStore {
    public func createSilence(_ silence: Silence) async throws -> Silence {
        try await transaction { db in
            try await db.raw(
                """
                INSERT INTO silences (id, starts_at, ends_at, document)
                VALUES (\(bind: silence.id.uuidString), \(bind: silence.startsAt.millis), \(bind: silence.endsAt.millis),
                        \(bind: try DocumentCoding.encode(silence)))
                """
            ).run()
            return silence
        }
    }

    public func silences(includeExpired: Bool, at now: Date) async throws -> [Silence] {
        try await read { db in
            let filter: SQLQueryString = includeExpired ? "" : "WHERE ends_at > \(bind: now.millis)"
            return try await db.raw("SELECT document FROM silences \(filter) ORDER BY starts_at DESC").all()
                .map { try DocumentCoding.decode(Silence.self, from: $0.decode(column: "document", as: String.self)) }
        }
    }

    public func expireSilence(_ id: UUID, at now: Date) async throws -> Silence {
        try await transaction { db in
            guard var silence = try await Self.loadSilence(id, on: db) else {
                throw StoreError.notFound(what: "silence", key: id.uuidString)
            }
            guard silence.endsAt > now else { throw StoreError.conflict("The silence already ended at \(silence.endsAt.iso8601).") }
            // A planned window called off before it began never begins, as in Alertmanager.
            silence.startsAt = min(silence.startsAt, now)
            silence.endsAt = now
            try await Self.saveSilence(silence, on: db)
            return silence
        }
    }

    public func rescheduleSilence(_ id: UUID, endsAt: Date, at now: Date) async throws -> Silence {
        try await transaction { db in
            guard var silence = try await Self.loadSilence(id, on: db) else {
                throw StoreError.notFound(what: "silence", key: id.uuidString)
            }
            try silence.reschedule(endsAt: endsAt, at: now)
            try await Self.saveSilence(silence, on: db)
            return silence
        }
    }

    public func releaseHeldAlerts(
        scheme: SeverityScheme, mapping: SeverityMapping, at now: Date, limit: Int
    ) async throws -> [IngestOutcome] {
        let dialect = dialect
        let logger = logger
        return try await transaction(reusingStatements: true) { db, tally in
            // Firing alerts without an incident are the held ones (alerts_incident's index); few
            // of them outlive their silence. The writer reads each again under its service's lock.
            let held = try await db.raw(
                """
                SELECT service, dedup_key FROM alerts
                WHERE incident_id IS NULL AND status = 'firing' AND silence_id IS NOT NULL
                  AND silence_id NOT IN (SELECT id FROM silences WHERE starts_at <= \(bind: now.millis) AND ends_at > \(bind: now.millis))
                ORDER BY id LIMIT \(literal: min(max(limit, 1), 5_000))
                """
            ).all().map {
                IngestReads.AlertKey(
                    service: try $0.decode(column: "service", as: String.self),
                    dedupKey: try $0.decode(column: "dedup_key", as: String.self))
            }
            guard !held.isEmpty else { return [] }
            return try await IngestBatchWriter(
                db: db, dialect: dialect, scheme: scheme, mapping: mapping, now: now, logger: logger, tally: tally
            ).release(Set(held))
        }
    }

    static func loadSilence(_ id: UUID, on db: any SQLDatabase) async throws -> Silence? {
        try await db.raw("SELECT document FROM silences WHERE id = \(bind: id.uuidString)").first()
            .map { try DocumentCoding.decode(Silence.self, from: $0.decode(column: "document", as: String.self)) }
    }

    static func saveSilence(_ silence: Silence, on db: any SQLDatabase) async throws {
        try await db.raw(
            """
            UPDATE silences SET starts_at = \(bind: silence.startsAt.millis), ends_at = \(bind: silence.endsAt.millis),
                document = \(bind: try DocumentCoding.encode(silence)) WHERE id = \(bind: silence.id.uuidString)
            """
        ).run()
    }
}
