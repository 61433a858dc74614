import Foundation
import MusterCore
import SQLKit

extension SQLStore {
    public func createStatusComponent(_ component: StatusComponent, at now: Date) async throws -> StatusComponent {
        try await insertDocument(component, id: component.id, createdAt: now, in: .statusComponents) { component, db in
            try await Self.requireServices(component.services, on: db)
        }
    }

    public func statusComponents() async throws -> [StatusComponent] {
        try await documents(StatusComponent.self, in: .statusComponents).sorted { ($0.position, $0.id) < ($1.position, $1.id) }
    }

    public func statusComponent(_ id: String) async throws -> StatusComponent? {
        try await document(StatusComponent.self, id: id, in: .statusComponents)
    }

    public func replaceStatusComponent(_ component: StatusComponent) async throws -> StatusComponent {
        try await updateDocument(
            StatusComponent.self, id: component.id, in: .statusComponents,
            validate: { component, db in try await Self.requireServices(component.services, on: db) }
        ) { current in
            var replaced = component
            replaced.createdAt = current.createdAt
            current = replaced
        }
    }

    public func deleteStatusComponent(_ id: String) async throws {
        try await deleteDocument(id, in: .statusComponents)
    }

    public func publishedIncidents() async throws -> [PublishedIncident] {
        try await read { db in
            try await db.raw("SELECT document FROM incidents WHERE status NOT IN ('resolved', 'closed') ORDER BY detected_at").all()
                .map { try DocumentCoding.decode(Incident.self, from: $0.decode(column: "document", as: String.self)) }
                .filter { $0.communication?.lastExternalAt != nil }
                .map { incident in
                    PublishedIncident(
                        publicName: incident.title, severity: incident.severity, services: incident.services,
                        since: incident.impactStartedAt ?? incident.detectedAt)
                }
        }
    }
}
