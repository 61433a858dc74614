import Foundation
import MusterCore
import SQLKit

extension SQLStore {
    public func createStatusComponent(_ component: StatusComponent, at now: Date) async throws -> StatusComponent {
        try await insertDocument(component, id: component.id, createdAt: now, in: .statusComponents, validate: Self.checkComponent)
    }

    public func statusComponents() async throws -> [StatusComponent] {
        try await documents(StatusComponent.self, in: .statusComponents).sorted { ($0.position, $0.id) < ($1.position, $1.id) }
    }

    public func statusComponent(_ id: String) async throws -> StatusComponent? {
        try await document(StatusComponent.self, id: id, in: .statusComponents)
    }

    public func replaceStatusComponent(_ component: StatusComponent) async throws -> StatusComponent {
        try await updateDocument(StatusComponent.self, id: component.id, in: .statusComponents, validate: Self.checkComponent) { current in
            var replaced = component
            replaced.createdAt = current.createdAt
            current = replaced
        }
    }

    public func deleteStatusComponent(_ id: String) async throws {
        try await deleteDocument(id, in: .statusComponents) { db in
            var found = References()
            let naming = try await Self.openMaintenances(on: db).filter { $0.components.contains(id) }
            found.add("maintenance not completed", count: naming.count, names: naming.prefix(3).map(\.title))
            if found.isEmpty {
                try await db.raw("DELETE FROM status_intervals WHERE component_id = \(bind: id)").run()
                try await Self.statusPageChanged(on: db)
            }
            return found
        }
    }

    /// A component's services and group must exist; the page changes with it.
    @Sendable static func checkComponent(_ component: StatusComponent, on db: any SQLDatabase) async throws {
        try await statusPageChanged(on: db)
        try await requireServices(component.services, on: db)
        if let group = component.groupID, try await db.raw("SELECT id FROM status_groups WHERE id = \(bind: group)").first() == nil {
            throw StoreError.invalid(field: "groupID", reason: "names '\(group)', which is not a status page group; create it first.")
        }
    }

    public func createStatusGroup(_ group: StatusComponentGroup) async throws -> StatusComponentGroup {
        try await insertDocument(group, id: group.id, createdAt: group.createdAt, in: .statusGroups) { _, db in
            try await Self.statusPageChanged(on: db)
        }
    }

    public func statusGroups() async throws -> [StatusComponentGroup] {
        try await documents(StatusComponentGroup.self, in: .statusGroups).sorted { ($0.position, $0.id) < ($1.position, $1.id) }
    }

    public func replaceStatusGroup(_ group: StatusComponentGroup) async throws -> StatusComponentGroup {
        try await updateDocument(
            StatusComponentGroup.self, id: group.id, in: .statusGroups, validate: { _, db in try await Self.statusPageChanged(on: db) }
        ) { current in
            var replaced = group
            replaced.createdAt = current.createdAt
            current = replaced
        }
    }

    public func deleteStatusGroup(_ id: String) async throws {
        try await deleteDocument(id, in: .statusGroups) { db in
            var found = References()
            let members = try await Self.allDocuments(StatusComponent.self, in: .statusComponents, on: db).filter { $0.groupID == id }
            found.add("component", count: members.count, names: members.prefix(3).map(\.id))
            if found.isEmpty { try await Self.statusPageChanged(on: db) }
            return found
        }
    }

    /// The counter whose value changes with anything the public page shows.
    static let statusPageCounter = "status-page"

    /// Notes, inside the caller's transaction, that the public page changed.
    static func statusPageChanged(on db: any SQLDatabase) async throws {
        _ = try await nextValue(of: statusPageCounter, on: db)
    }

    /// The settings live in one row.
    static let settingsRow = "page"

    public func statusPageSettings() async throws -> StatusPageSettings? {
        try await document(StatusPageSettings.self, id: Self.settingsRow, in: .statusPageSettings)
    }

    public func saveStatusPageSettings(_ settings: StatusPageSettings) async throws -> StatusPageSettings {
        let now = settings.updatedAt ?? Date()
        return try await transaction { db in
            let text = try DocumentCoding.encode(settings)
            try await db.raw(
                """
                INSERT INTO status_page_settings (id, created_at, document) VALUES (\(bind: Self.settingsRow), \(bind: now.millis), \(bind: text))
                ON CONFLICT (id) DO UPDATE SET document = excluded.document
                """
            ).run()
            try await Self.statusPageChanged(on: db)
            return settings
        }
    }
}
