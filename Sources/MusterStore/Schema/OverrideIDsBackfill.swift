import Foundation
import MusterCore
import SQLKit

/// Stores an id for every schedule override written before overrides had one: decoding gives
/// each a new id, and writing the schedule back keeps it, so later requests can name it.
enum OverrideIDsBackfill {
    @Sendable static func run(on db: any SQLDatabase) async throws {
        let rows = try await db.raw("SELECT id, document FROM schedules").all()
        for row in rows {
            let record = try DocumentCoding.decode(ScheduleRecord.self, from: row.decode(column: "document", as: String.self))
            guard !record.schedule.overrides.isEmpty else { continue }
            try await db.raw(
                """
                UPDATE schedules SET document = \(bind: try DocumentCoding.encode(record))
                WHERE id = \(bind: try row.decode(column: "id", as: String.self))
                """
            ).run()
        }
    }
}
