import Foundation
import MusterCore
import MusterStore
import MusterTestSupport
import Testing

/// What every `OnCallStore` and `ServiceStore` must do, on each real database.
@Suite("On-call and service stores")
struct OnCallStoreConformanceTests {
    let t0 = Date(timeIntervalSince1970: 1_795_000_000)

    /// Ann and Bob with a webhook each; Ann and Bob take turns on `primary`; policy `web` pages
    /// Ann then the schedule; team `ops` is both; service `web` pages through `web`.
    func roster(_ store: any Store) async throws {
        for id in ["ann", "bob"] {
            let hook = try ContactMethod(id: UUID(), kind: .webhook, address: "http://127.0.0.1:9/\(id)")
            _ = try await store.createUser(
                try User(id: id, name: id.capitalized, email: "\(id)@example.com", timeZone: "UTC", contactMethods: [hook], createdAt: t0))
        }
        _ = try await store.createSchedule(
            try ScheduleRecord(
                id: "primary", name: "Primary", timeZone: "UTC",
                schedule: Schedule(layers: [
                    try Rotation(name: "weekly", users: ["ann", "bob"], shiftLength: 1, unit: .weeks, start: t0, timeZone: "UTC")
                ]), createdAt: t0))
        _ = try await store.createEscalationPolicy(
            try EscalationPolicy(
                id: "web", name: "Web",
                levels: [
                    try EscalationLevel(targets: [.user("ann")], delayMinutes: 5),
                    try EscalationLevel(targets: [.schedule("primary")], delayMinutes: 5),
                ], repeats: 0), at: t0)
        _ = try await store.createTeam(try Team(id: "ops", name: "Ops", members: ["ann", "bob"], createdAt: t0))
        _ = try await store.createService(ServiceRecord(id: "web", name: "Web", createdAt: t0))
        _ = try await store.setEscalationPolicy("web", for: "web")
    }

    @Test("deactivation takes a person out of every schedule, policy and team in one go, and paging skips them", arguments: TestBackend.all)
    func deactivation(backend: TestBackend) async throws {
        try await backend.withStore { store in
            // given
            try await roster(store)
            // when
            let (user, changes) = try await store.deactivateUser("ann", at: t0)
            // then
            #expect(user.deactivatedAt == t0)
            #expect(changes.count == 3)
            #expect(try await store.schedule("primary")?.schedule.layers.first?.users == ["bob"])
            #expect(try await store.escalationPolicy("web")?.levels.count == 1)
            #expect(try await store.team("ops")?.members == ["bob"])
            await #expect(throws: StoreError.self) {
                try await store.createTeam(try Team(id: "sre", name: "SRE", members: ["ann"], createdAt: t0))
            }
            // and an incident pages bob, the one left on call
            let incident = try await store.declareIncident(
                IncidentDeclaration(title: "Web down", services: ["web"], severity: "P1"), scheme: .standard, by: "ops", at: t0)
            #expect(try await store.notifications(of: incident.id).map(\.user) == ["bob"])
        }
    }

    @Test("the last active admin can be neither demoted nor deactivated; with a second admin both work", arguments: TestBackend.all)
    func lastAdminKept(backend: TestBackend) async throws {
        try await backend.withStore { store in
            // given
            try await roster(store)
            _ = try await store.updateUser("ann", UserEdit(role: .admin))
            // when / then
            let refusal = StoreError.conflict(
                "ann is the last active admin; make someone else an admin first, so that someone can still manage people.")
            await #expect(throws: refusal) { try await store.updateUser("ann", UserEdit(role: .responder)) }
            await #expect(throws: refusal) { try await store.deactivateUser("ann", at: t0) }
            #expect(try await store.user("ann")?.role == .admin)
            #expect(try await store.user("ann")?.isActive == true)
            // and once Bob is an admin too, Ann may step down
            _ = try await store.updateUser("bob", UserEdit(role: .admin))
            #expect(try await store.updateUser("ann", UserEdit(role: .viewer)).role == .viewer)
            await #expect(throws: StoreError.self) { try await store.deactivateUser("bob", at: t0) }
        }
    }

    @Test("a policy edit is the next version; removals refuse while something refers, and name it", arguments: TestBackend.all)
    func editsAndRemovals(backend: TestBackend) async throws {
        try await backend.withStore { store in
            // given
            try await roster(store)
            // when
            let edited = try await store.replaceEscalationPolicy(
                try EscalationPolicy(
                    id: "web", name: "Web v2", levels: [try EscalationLevel(targets: [.team("ops")], delayMinutes: 5)], repeats: 1))
            // then
            #expect(edited.version == 2)
            #expect(try await store.escalationPolicy("web")?.name == "Web v2")
            await #expect(
                throws: StoreError.conflict(
                    "The escalation policy 'web' is still referred to by 1 service (web); only one nothing refers to can be deleted.")
            ) {
                try await store.deleteEscalationPolicy("web")
            }
            await #expect(throws: StoreError.self) { try await store.deleteTeam("ops") }
            // and the schedule, no longer named by the policy, can go
            try await store.deleteSchedule("primary")
            #expect(try await store.schedule("primary") == nil)
            // and the service goes once nothing refers to it
            _ = try await store.createService(ServiceRecord(id: "spare", name: "Spare", createdAt: t0))
            let renamed = try await store.updateService(
                "spare", ServiceEdit(name: "Spare parts", runbookURL: "https://runbooks.example.com/spare"))
            #expect(renamed.name == "Spare parts")
            try await store.deleteService("spare")
            #expect(try await store.service("spare") == nil)
            _ = try await store.declareIncident(
                IncidentDeclaration(title: "Web down", services: ["web"], severity: "P2"), scheme: .standard, by: "ops", at: t0)
            await #expect(throws: StoreError.self) { try await store.deleteService("web") }
        }
    }

    @Test("overrides keep their ids through changes; contact methods change and never double", arguments: TestBackend.all)
    func overridesAndContacts(backend: TestBackend) async throws {
        try await backend.withStore { store in
            // given
            try await roster(store)
            let override = try ScheduleOverride(user: "bob", start: t0.addingTimeInterval(3_600), end: t0.addingTimeInterval(7_200))
            _ = try await store.updateSchedule("primary", at: t0) { $0.overrides.append(override) }
            // when
            let changed = try await store.changeOverride(override.id, of: "primary", user: "ann", start: nil, end: nil, at: t0)
            // then
            #expect(changed.schedule.overrides.map(\.id) == [override.id])
            #expect(changed.schedule.overrides.first?.user == "ann")
            #expect(try await store.removeOverride(override.id, of: "primary", at: t0).schedule.overrides.isEmpty)
            // and contact methods
            let ann = try #require(try await store.user("ann"))
            let hook = try #require(ann.contactMethods.first)
            await #expect(throws: StoreError.self) {
                try await store.addContactMethod(
                    try ContactMethod(id: UUID(), kind: .webhook, address: hook.address.uppercased()), to: "ann")
            }
            let moved = try await store.changeContactMethod(hook.id, of: "ann", address: "http://127.0.0.1:9/ann2")
            #expect(moved.contactMethods.first?.address == "http://127.0.0.1:9/ann2")
            #expect(try await store.removeContactMethod(hook.id, of: "ann").contactMethods.isEmpty)
        }
    }
}
