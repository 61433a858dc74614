import Foundation

/// The audit log of configuration changes.
public protocol AuditStore: Sendable {
    /// Keeps one change.
    func recordAudit(_ event: AuditEvent) async throws
    /// Changes matching the query, newest first, and how many match in all.
    func auditEvents(_ query: AuditQuery) async throws -> (items: [AuditEvent], total: Int)
}
