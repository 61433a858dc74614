import Foundation
import MusterCore
import SQLKit

/// Tables that keep one JSON document per row, keyed by a slug.
enum DocumentTable: String {
    case users, teams, schedules
    case policies = "escalation_policies"

    var noun: String {
        switch self {
        case .policies: "escalation policy"
        case .users: "user"
        case .teams: "team"
        case .schedules: "schedule"
        }
    }
}

extension SQLStore {
    func insertDocument<T: Codable & Sendable>(_ value: T, id: String, createdAt: Date, in table: DocumentTable) async throws -> T {
        try await transaction { db in
            if try await db.raw("SELECT id FROM \(ident: table.rawValue) WHERE id = \(bind: id)").first() != nil {
                throw StoreError.conflict("A \(table.noun) with id '\(id)' already exists.")
            }
            try await db.raw("""
                INSERT INTO \(ident: table.rawValue) (id, created_at, document)
                VALUES (\(bind: id), \(bind: createdAt.millis), \(bind: try DocumentCoding.encode(value)))
                """).run()
            return value
        }
    }

    func documents<T: Codable & Sendable>(_ type: T.Type, in table: DocumentTable) async throws -> [T] {
        try await read { db in
            try await db.raw("SELECT document FROM \(ident: table.rawValue) ORDER BY id").all()
                .map { try DocumentCoding.decode(T.self, from: $0.decode(column: "document", as: String.self)) }
        }
    }

    func document<T: Codable & Sendable>(_ type: T.Type, id: String, in table: DocumentTable) async throws -> T? {
        try await read { db in
            try await db.raw("SELECT document FROM \(ident: table.rawValue) WHERE id = \(bind: id)").first()
                .map { try DocumentCoding.decode(T.self, from: $0.decode(column: "document", as: String.self)) }
        }
    }

    /// Locks the row, applies `change` and stores the result.
    func updateDocument<T: Codable & Sendable>(
        _ type: T.Type, id: String, in table: DocumentTable, _ change: @escaping @Sendable (inout T) throws -> Void
    ) async throws -> T {
        let lock = dialect.lockRowSuffix
        return try await transaction { db in
            guard var value = try await db.raw("SELECT document FROM \(ident: table.rawValue) WHERE id = \(bind: id)\(unsafeRaw: lock)").first()
                .map({ try DocumentCoding.decode(T.self, from: $0.decode(column: "document", as: String.self)) }) else {
                throw StoreError.notFound(what: table.noun, key: id)
            }
            try change(&value)
            try await db.raw("UPDATE \(ident: table.rawValue) SET document = \(bind: try DocumentCoding.encode(value)) WHERE id = \(bind: id)").run()
            return value
        }
    }
}

extension SQLStore {
    public func createUser(_ user: User) async throws -> User {
        try await insertDocument(user, id: user.id, createdAt: user.createdAt, in: .users)
    }

    public func users() async throws -> [User] { try await documents(User.self, in: .users) }

    public func user(_ id: String) async throws -> User? { try await document(User.self, id: id, in: .users) }

    public func addContactMethod(_ method: ContactMethod, to user: String) async throws -> User {
        try await updateDocument(User.self, id: user, in: .users) { user in
            guard user.contactMethods.count < 20 else { throw StoreError.invalid(field: "contactMethods", reason: "may hold at most 20 entries.") }
            user.contactMethods.append(method)
        }
    }

    public func verifyContactMethod(_ id: UUID, of user: String, at now: Date) async throws -> User {
        try await updateDocument(User.self, id: user, in: .users) { user in
            guard let index = user.contactMethods.firstIndex(where: { $0.id == id }) else {
                throw StoreError.notFound(what: "contact method", key: id.uuidString.lowercased())
            }
            user.contactMethods[index].verifiedAt = now
        }
    }

    public func createTeam(_ team: Team) async throws -> Team {
        try await requireUsers(team.members, field: "members")
        return try await insertDocument(team, id: team.id, createdAt: team.createdAt, in: .teams)
    }

    public func teams() async throws -> [Team] { try await documents(Team.self, in: .teams) }

    public func team(_ id: String) async throws -> Team? { try await document(Team.self, id: id, in: .teams) }

    public func createSchedule(_ schedule: ScheduleRecord) async throws -> ScheduleRecord {
        try await requireUsers(schedule.schedule.people, field: "layers.users")
        return try await insertDocument(schedule, id: schedule.id, createdAt: schedule.createdAt, in: .schedules)
    }

    public func schedules() async throws -> [ScheduleRecord] { try await documents(ScheduleRecord.self, in: .schedules) }

    public func schedule(_ id: String) async throws -> ScheduleRecord? { try await document(ScheduleRecord.self, id: id, in: .schedules) }

    public func updateSchedule(_ id: String, at now: Date, _ change: @escaping @Sendable (inout Schedule) throws -> Void) async throws -> ScheduleRecord {
        let current = try await schedule(id)
        var probe = current?.schedule ?? Schedule(layers: [])
        try change(&probe)
        try await requireUsers(probe.people, field: "layers.users")
        return try await updateDocument(ScheduleRecord.self, id: id, in: .schedules) { record in
            try change(&record.schedule)
            record.updatedAt = now
        }
    }

    /// Every name must be a known user.
    private func requireUsers(_ names: [String], field: String) async throws {
        let known = Set(try await users().map(\.id))
        if let missing = names.first(where: { !known.contains($0) }) {
            throw StoreError.invalid(field: field, reason: "names '\(missing)', who is not a user; create them first.")
        }
    }
}
