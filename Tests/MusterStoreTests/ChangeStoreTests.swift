import Foundation
import MusterCore
import MusterStore
import MusterTestSupport
import Testing

@Suite("Change events in the store")
struct ChangeStoreTests {
    @Test("changes are kept for known services, listed newest first by service and span, and hold their service", arguments: TestBackend.all)
    func changes(backend: TestBackend) async throws {
        try await backend.withStore { store in
            // given two services and three changes
            let now = Date()
            for id in ["api", "db"] { _ = try await store.createService(ServiceRecord(id: id, name: id, createdAt: now)) }
            func change(_ service: String, _ summary: String, minutesAgo: Double) async throws -> ChangeEvent {
                try await store.recordChange(
                    try ChangeEvent(
                        id: UUID(), service: service, summary: summary, source: "ci", at: now - minutesAgo * 60, receivedAt: now,
                        links: [AlertLink(href: "https://ci.example.com/1", text: "run")], details: ["build": "8812"], via: "api"))
            }
            let old = try await change("api", "Deploy v2.33", minutesAgo: 300)
            let deploy = try await change("api", "Deploy v2.34", minutesAgo: 8)
            let database = try await change("db", "Raise max_connections", minutesAgo: 5)
            // when they are listed
            let all = try await store.changes(ChangeQuery())
            let api = try await store.changes(ChangeQuery(services: ["api"]))
            let recent = try await store.changes(ChangeQuery(from: now - 3_600, to: now))
            let paged = try await store.changes(ChangeQuery(limit: 1, offset: 1))
            // then newest first, filtered, counted, and read back whole
            #expect(all.items.map(\.id) == [database.id, deploy.id, old.id] && all.total == 3)
            #expect(api.items.map(\.id) == [deploy.id, old.id])
            #expect(recent.items.map(\.id) == [database.id, deploy.id])
            #expect(paged.items.map(\.id) == [deploy.id] && paged.total == 3)
            #expect(try await store.change(deploy.id) == deploy)
            #expect(try await store.changes(ChangeQuery(services: [])).items.isEmpty)
            // and a change to a service that does not exist is refused
            await #expect(throws: StoreError.self) { _ = try await change("nowhere", "Deploy", minutesAgo: 1) }
            // and a service with changes cannot be deleted
            await #expect(throws: StoreError.self) { try await store.deleteService("db") }
        }
    }

    @Test("a service's dependencies are kept, must be services, and keep a depended-on service from deletion", arguments: TestBackend.all)
    func dependencies(backend: TestBackend) async throws {
        try await backend.withStore { store in
            // given
            let now = Date()
            for id in ["db", "cache"] { _ = try await store.createService(ServiceRecord(id: id, name: id, createdAt: now)) }
            // when api is made depending on db, then edited to depend on cache too
            let api = try await store.createService(ServiceRecord(id: "api", name: "API", createdAt: now, dependsOn: ["db"]))
            let edited = try await store.updateService("api", ServiceEdit(dependsOn: ["db", "cache"]))
            // then
            #expect(api.dependsOn == ["db"] && edited.dependsOn == ["db", "cache"])
            #expect(try await store.service("api")?.dependsOn == ["db", "cache"])
            await #expect(throws: StoreError.self) { _ = try await store.updateService("api", ServiceEdit(dependsOn: ["nowhere"])) }
            await #expect(throws: IncidentError.self) { _ = try await store.updateService("api", ServiceEdit(dependsOn: ["api"])) }
            await #expect(throws: StoreError.self) { try await store.deleteService("cache") }
            // and an empty list removes them, after which cache may go
            #expect(try await store.updateService("api", ServiceEdit(dependsOn: [])).dependsOn.isEmpty)
            try await store.deleteService("cache")
        }
    }
}
