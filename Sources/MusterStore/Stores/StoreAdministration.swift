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
    /// Releases connections; the store is unusable afterwards.
    func shutdown() async throws
}
