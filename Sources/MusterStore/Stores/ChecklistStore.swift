import Foundation
import MusterCore

/// How responders left an incident's checklist items, kept per incident and item.
public protocol ChecklistStore: Sendable {
    func checklistMarks(of incidentID: UUID) async throws -> [ChecklistMark]
    /// Locks incident `key`, asks `change` for a mark and the timeline entry that records it, and
    /// keeps both in one transaction.
    func markChecklist(
        _ key: String, _ change: @escaping @Sendable (Incident, [ChecklistMark]) throws -> (ChecklistMark, TimelineDraft)
    ) async throws -> (Incident, ChecklistMark)
}
