import Foundation
import MusterCore

/// Runbooks kept in Muster.
public protocol RunbookStore: Sendable {
    /// Keeps a runbook, replacing the one with its id; the services it names must exist.
    func saveRunbook(_ runbook: Runbook) async throws -> Runbook
    func runbook(_ id: String) async throws -> Runbook?
    /// Every runbook, in id order.
    func runbooks() async throws -> [Runbook]
    func deleteRunbook(_ id: String) async throws
}
