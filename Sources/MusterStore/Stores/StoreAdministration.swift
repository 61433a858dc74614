import Foundation
import MusterCore

/// The database itself: its schema and its connections.
public protocol StoreAdministration: Sendable {
    /// Applies the migrations not yet applied; returns the versions it applied.
    @discardableResult func migrate() async throws -> [Int]
    /// Versions of the migrations the database has applied.
    func appliedMigrations() async throws -> [Int]
    /// Fails when the database cannot be reached.
    func ping() async throws
    /// Writes a consistent copy of the whole database to a new file at `path`, while it is in
    /// use; SQLite only (PostgreSQL has pg_dump).
    func backup(to path: String) async throws
    /// Releases connections; the store is unusable afterwards.
    func shutdown() async throws
}
