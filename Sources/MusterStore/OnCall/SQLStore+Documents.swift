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
    /// Inserts a document; `validate` runs first, in the same transaction.
    func insertDocument<T: Codable & Sendable>(
        _ value: T, id: String, createdAt: Date, in table: DocumentTable,
        validate: @escaping @Sendable (T, any SQLDatabase) async throws -> Void = { _, _ in }
    ) async throws -> T {
        try await transaction { db in
            try await validate(value, db)
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

    /// Locks the row, applies `change`, runs `validate` on the result and stores it, in one transaction.
    func updateDocument<T: Codable & Sendable>(
        _ type: T.Type, id: String, in table: DocumentTable,
        validate: @escaping @Sendable (T, any SQLDatabase) async throws -> Void = { _, _ in },
        _ change: @escaping @Sendable (inout T) throws -> Void
    ) async throws -> T {
        let lock = dialect.lockRowSuffix
        return try await transaction { db in
            guard var value = try await db.raw("SELECT document FROM \(ident: table.rawValue) WHERE id = \(bind: id)\(unsafeRaw: lock)").first()
                .map({ try DocumentCoding.decode(T.self, from: $0.decode(column: "document", as: String.self)) }) else {
                throw StoreError.notFound(what: table.noun, key: id)
            }
            try change(&value)
            try await validate(value, db)
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
        try await insertDocument(team, id: team.id, createdAt: team.createdAt, in: .teams) { team, db in
            try await Self.requireUsers(team.members, field: "members", on: db)
        }
    }

    public func teams() async throws -> [Team] { try await documents(Team.self, in: .teams) }

    public func team(_ id: String) async throws -> Team? { try await document(Team.self, id: id, in: .teams) }

    public func createSchedule(_ schedule: ScheduleRecord) async throws -> ScheduleRecord {
        try await insertDocument(schedule, id: schedule.id, createdAt: schedule.createdAt, in: .schedules) { record, db in
            try await Self.requireUsers(record.schedule.people, field: "layers.users", on: db)
        }
    }

    public func schedules() async throws -> [ScheduleRecord] { try await documents(ScheduleRecord.self, in: .schedules) }

    public func schedule(_ id: String) async throws -> ScheduleRecord? { try await document(ScheduleRecord.self, id: id, in: .schedules) }

    public func updateSchedule(_ id: String, at now: Date, _ change: @escaping @Sendable (inout Schedule) throws -> Void) async throws -> ScheduleRecord {
        try await updateDocument(ScheduleRecord.self, id: id, in: .schedules, validate: { record, db in
            try await Self.requireUsers(record.schedule.people, field: "layers.users", on: db)
        }) { record in
            try change(&record.schedule)
            record.updatedAt = now
        }
    }

    /// Every name must be a known user.
    static func requireUsers(_ names: [String], field: String, on db: any SQLDatabase) async throws {
        guard !names.isEmpty else { return }
        let known = Set(try await db.raw("SELECT id FROM users WHERE id IN (\(binds: names))").all()
            .map { try $0.decode(column: "id", as: String.self) })
        if let missing = names.first(where: { !known.contains($0) }) {
            throw StoreError.invalid(field: field, reason: "names '\(missing)', who is not a user; create them first.")
        }
    }
}
