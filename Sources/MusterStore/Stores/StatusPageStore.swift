import Foundation
import MusterCore

/// The public status page: its components, and the incidents published on it.
public protocol StatusPageStore: Sendable {
    func createStatusComponent(_ component: StatusComponent, at now: Date) async throws -> StatusComponent
    /// Every component, in page order (position, then id).
    func statusComponents() async throws -> [StatusComponent]
    func statusComponent(_ id: String) async throws -> StatusComponent?
    func replaceStatusComponent(_ component: StatusComponent) async throws -> StatusComponent
    func deleteStatusComponent(_ id: String) async throws
    /// The open incidents published on the page: those with an external update.
    func publishedIncidents() async throws -> [PublishedIncident]
}
