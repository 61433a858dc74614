import Foundation
import MusterPostgres
import MusterSQLite
import MusterStore
import MusterTestSupport
import Testing

@Suite("Schema version")
struct SchemaVersionTests {
    @Test("a database a newer Muster migrated is refused at start, naming both versions", arguments: TestBackend.all)
    func newerSchemaRefused(backend: TestBackend) async throws {
        // given a database migrated by this build
        let database = try await backend.makeDatabase()
        defer { Task { await database.remove() } }
        let current = try await TestBackend.open(database.url)
        _ = try await current.migrate()
        let newest = try await current.appliedMigrations().max()!
        try await current.shutdown()
        // when an older build, which knows migrations up to 6 only, starts on it
        let older = try await TestBackend.open(database.url, upTo: 6)
        defer { Task { try? await older.shutdown() } }
        // then it refuses, and changes nothing
        await #expect(throws: StoreError.schemaTooNew(database: newest, binary: 6)) { try await older.migrate() }
        #expect(try await older.appliedMigrations().max() == newest)
        #expect(StoreError.schemaTooNew(database: newest, binary: 6).description.contains("version \(newest), newer than"))
    }
}
