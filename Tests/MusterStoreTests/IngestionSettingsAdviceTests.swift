import Foundation
import MusterSQLite
import MusterStore
import MusterTestSupport
import SQLKit
import Testing

@testable import MusterPostgres

/// At start a server names the PostgreSQL settings below those README.md recommends for alert
/// storms; the comparison itself is pure.
@Suite("PostgreSQL settings advice")
struct IngestionSettingsAdviceTests {
    @Test("pg_settings values are read in their units")
    func units() {
        #expect(IngestionSettingsAdvice.bytes("16384", unit: "8kB") == 128 << 20)
        #expect(IngestionSettingsAdvice.bytes("80", unit: "MB") == 80 << 20)
        #expect(IngestionSettingsAdvice.bytes("4", unit: "GB") == 4 << 30)
        #expect(IngestionSettingsAdvice.bytes("512", unit: nil) == 512)
        #expect(IngestionSettingsAdvice.bytes("lots", unit: "MB") == nil)
        #expect(IngestionSettingsAdvice.bytes("5", unit: "pages") == nil)
        #expect(IngestionSettingsAdvice.bytes(String(Int64.max), unit: "GB") == nil)
    }

    @Test("the factory settings are named with their values and the recommended ones")
    func factory() throws {
        // given
        let settings: [String: (setting: String, unit: String?)] = [
            "shared_buffers": ("16384", "8kB"), "min_wal_size": ("80", "MB"), "max_wal_size": ("1024", "MB"),
        ]
        // when
        let advice = try #require(IngestionSettingsAdvice.advice(for: settings))
        // then
        #expect(advice.contains("min_wal_size is 80MB, max_wal_size is 1GB, shared_buffers is 128MB"))
        #expect(advice.contains("min_wal_size = 2GB, max_wal_size = 4GB, shared_buffers = 1GB"))
    }

    @Test("settings at or above the recommendation, or unreadable, are not named")
    func enough() {
        // given
        let tuned: [String: (setting: String, unit: String?)] = [
            "shared_buffers": ("131072", "8kB"), "min_wal_size": ("2048", "MB"), "max_wal_size": ("16", "GB"),
        ]
        var partly = tuned
        partly["min_wal_size"] = ("1024", "MB")
        partly["shared_buffers"] = ("??", "8kB")
        // when / then
        #expect(IngestionSettingsAdvice.advice(for: tuned) == nil)
        #expect(IngestionSettingsAdvice.advice(for: [:]) == nil)
        let advice = IngestionSettingsAdvice.advice(for: partly)
        #expect(advice?.contains("PostgreSQL's min_wal_size is 1GB:") == true)
        #expect(advice?.contains("shared_buffers is") == false)
    }

    @Test(
        "a PostgreSQL server's own settings are read and compared",
        .enabled(if: TestBackend.all.contains { $0.kind == .postgres }))
    func postgres() async throws {
        try await ReusedStatementTests().withSource { source, _ in
            // given: the server's own word on its setting, and whether it is below 2 GB
            let (shown, below) = try await source.withConnection { db in
                let row = try await db.raw(
                    """
                    SELECT current_setting('min_wal_size') AS shown,
                        pg_size_bytes(current_setting('min_wal_size')) < pg_size_bytes('2GB') AS below
                    """
                ).all()[0]
                return (try row.decode(column: "shown", as: String.self), try row.decode(column: "below", as: Bool.self))
            }
            // when
            let advice = await source.settingsAdvice()
            // then
            if below {
                #expect(advice.count == 1)
                #expect(advice.first?.contains("min_wal_size is \(shown)") == true)
            } else {
                #expect(advice.allSatisfy { !$0.contains("min_wal_size is") })
            }
        }
    }

    @Test("SQLite has no such advice")
    func sqlite() async throws {
        // given
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("advice-\(UUID().uuidString).db").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let source = try await SQLiteConnectionSource.open(path: path)
        // when
        let advice = await source.settingsAdvice()
        // then
        #expect(advice.isEmpty)
        try await source.shutdown()
    }
}
