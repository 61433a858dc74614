import Foundation
import MusterCore
import SQLKit

/// Tables that keep one JSON document per row, keyed by a slug.
enum DocumentTable: String {
    case users, teams, schedules
    case policies = "escalation_policies"
    case stakeholderGroups = "stakeholder_groups"
    case statusComponents = "status_components"
    case statusGroups = "status_groups"
    case statusPageSettings = "status_page_settings"

    var noun: String {
        switch self {
        case .stakeholderGroups: "stakeholder group"
        case .statusComponents: "status page component"
        case .statusGroups: "status page group"
        case .statusPageSettings: "status page settings"
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
            try await db.raw(
                """
                INSERT INTO \(ident: table.rawValue) (id, created_at, document)
                VALUES (\(bind: id), \(bind: createdAt.millis), \(bind: try DocumentCoding.encode(value)))
                """
            ).run()
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

    /// Deletes a document when `references` finds nothing that refers to it; otherwise a conflict
    /// names what does. One transaction, the row locked.
    func deleteDocument(
        _ id: String, in table: DocumentTable,
        references: @escaping @Sendable (any SQLDatabase) async throws -> References = { _ in References() }
    ) async throws {
        try await transaction { db in
            guard
                try await db.raw("SELECT id FROM \(ident: table.rawValue) WHERE id = \(bind: id)\(unsafeRaw: self.dialect.lockRowSuffix)")
                    .first() != nil
            else {
                throw StoreError.notFound(what: table.noun, key: id)
            }
            let found = try await references(db)
            guard found.isEmpty else {
                throw StoreError.conflict(
                    "The \(table.noun) '\(id)' is still referred to by \(found.text); only one nothing refers to can be deleted.")
            }
            try await db.raw("DELETE FROM \(ident: table.rawValue) WHERE id = \(bind: id)").run()
        }
    }

    /// Locks the row, applies `change`, runs `validate` on the result and stores it, in one transaction.
    func updateDocument<T: Codable & Sendable>(
        _ type: T.Type, id: String, in table: DocumentTable,
        validate: @escaping @Sendable (T, any SQLDatabase) async throws -> Void = { _, _ in },
        _ change: @escaping @Sendable (inout T) throws -> Void
    ) async throws -> T {
        try await transaction { db in
            guard var value = try await self.lockedDocument(T.self, id: id, in: table, on: db) else {
                throw StoreError.notFound(what: table.noun, key: id)
            }
            try change(&value)
            try await validate(value, db)
            try await Self.saveDocument(value, id: id, in: table, on: db)
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
            guard user.contactMethods.count < 20 else {
                throw StoreError.invalid(field: "contactMethods", reason: "may hold at most 20 entries.")
            }
            try user.refuseDuplicate(of: method)
            user.contactMethods.append(method)
        }
    }

    public func changeContactMethod(_ id: UUID, of user: String, address: String) async throws -> User {
        try await updateDocument(User.self, id: user, in: .users) { user in
            let index = try user.contactMethodIndex(id)
            let changed = try ContactMethod(id: id, kind: user.contactMethods[index].kind, address: address)
            try user.refuseDuplicate(of: changed)
            // A new address has not been proven to work yet.
            user.contactMethods[index] = changed
        }
    }

    public func removeContactMethod(_ id: UUID, of user: String) async throws -> User {
        try await updateDocument(User.self, id: user, in: .users) { user in
            user.contactMethods.remove(at: try user.contactMethodIndex(id))
        }
    }

    public func verifyContactMethod(_ id: UUID, of user: String, at now: Date) async throws -> User {
        try await updateDocument(User.self, id: user, in: .users) { user in
            user.contactMethods[try user.contactMethodIndex(id)].verifiedAt = now
        }
    }

    public func updateUser(_ id: String, _ edit: UserEdit) async throws -> User {
        try await updateDocument(
            User.self, id: id, in: .users,
            validate: { user, db in
                if user.role != .admin { try await Self.keepAnAdmin(besides: id, on: db) }
            }
        ) { user in try edit.apply(to: &user) }
    }

    /// Refuses to demote or deactivate the only active admin, who alone can run the admin page.
    static func keepAnAdmin(besides id: String, on db: any SQLDatabase) async throws {
        let admins = try await allDocuments(User.self, in: .users, on: db).filter { $0.role == .admin && $0.isActive }
        guard admins.map(\.id) == [id] else { return }
        throw StoreError.conflict("\(id) is the last active admin; make someone else an admin first, so that someone can still manage people.")
    }

    public func deactivateUser(_ id: String, at now: Date) async throws -> (User, [String]) {
        try await transaction { db in
            guard var user = try await self.lockedDocument(User.self, id: id, in: .users, on: db) else {
                throw StoreError.notFound(what: "user", key: id)
            }
            guard user.isActive else { throw StoreError.conflict("\(id) was already deactivated at \(user.deactivatedAt!.iso8601).") }
            try await Self.keepAnAdmin(besides: id, on: db)
            let plan = try Deactivation.plan(
                removing: id, schedules: try await Self.allDocuments(ScheduleRecord.self, in: .schedules, on: db),
                policies: try await Self.allDocuments(EscalationPolicy.self, in: .policies, on: db),
                teams: try await Self.allDocuments(Team.self, in: .teams, on: db), at: now)
            for record in plan.schedules { try await Self.saveDocument(record, id: record.id, in: .schedules, on: db) }
            for policy in plan.policies { try await Self.saveDocument(policy, id: policy.id, in: .policies, on: db) }
            for team in plan.teams { try await Self.saveDocument(team, id: team.id, in: .teams, on: db) }
            user.deactivatedAt = now
            try await Self.saveDocument(user, id: id, in: .users, on: db)
            // Someone who left is signed out of the pages at once.
            try await db.raw("DELETE FROM web_sessions WHERE user_id = \(bind: id)").run()
            return (user, plan.changes)
        }
    }

    public func reactivateUser(_ id: String) async throws -> User {
        try await updateDocument(User.self, id: id, in: .users) { user in
            guard !user.isActive else { throw StoreError.conflict("\(user.id) is active.") }
            user.deactivatedAt = nil
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

    public func updateSchedule(_ id: String, at now: Date, _ change: @escaping @Sendable (inout Schedule) throws -> Void) async throws
        -> ScheduleRecord
    {
        try await updateDocument(
            ScheduleRecord.self, id: id, in: .schedules,
            validate: { record, db in
                try await Self.requireUsers(record.schedule.people, field: "layers.users", on: db)
            }
        ) { record in
            try change(&record.schedule)
            record.updatedAt = now
        }
    }

    /// Every name must be a known user who has not been deactivated.
    static func requireUsers(_ names: [String], field: String, on db: any SQLDatabase) async throws {
        guard !names.isEmpty else { return }
        let users = try await db.raw("SELECT document FROM users WHERE id IN (\(binds: names))").all()
            .map { try DocumentCoding.decode(User.self, from: $0.decode(column: "document", as: String.self)) }
        let known = Dictionary(users.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        if let missing = names.first(where: { known[$0] == nil }) {
            throw StoreError.invalid(field: field, reason: "names '\(missing)', who is not a user; create them first.")
        }
        if let inactive = names.first(where: { known[$0]?.isActive == false }) {
            throw StoreError.invalid(field: field, reason: "names '\(inactive)', who has been deactivated and is paged no more.")
        }
    }

    /// Every document of a table, in id order, inside the caller's transaction.
    static func allDocuments<T: Codable & Sendable>(_ type: T.Type, in table: DocumentTable, on db: any SQLDatabase) async throws -> [T] {
        try await db.raw("SELECT document FROM \(ident: table.rawValue) ORDER BY id").all()
            .map { try DocumentCoding.decode(T.self, from: $0.decode(column: "document", as: String.self)) }
    }

    /// Replaces a document inside the caller's transaction.
    static func saveDocument<T: Codable & Sendable>(_ value: T, id: String, in table: DocumentTable, on db: any SQLDatabase) async throws {
        try await db.raw("UPDATE \(ident: table.rawValue) SET document = \(bind: try DocumentCoding.encode(value)) WHERE id = \(bind: id)")
            .run()
    }

    /// A document, its row locked until the caller's transaction ends.
    func lockedDocument<T: Codable & Sendable>(_ type: T.Type, id: String, in table: DocumentTable, on db: any SQLDatabase) async throws
        -> T?
    {
        try await db.raw("SELECT document FROM \(ident: table.rawValue) WHERE id = \(bind: id)\(unsafeRaw: dialect.lockRowSuffix)").first()
            .map { try DocumentCoding.decode(T.self, from: $0.decode(column: "document", as: String.self)) }
    }
}

extension User {
    /// Where contact method `id` is in the list; not found otherwise.
    func contactMethodIndex(_ id: UUID) throws -> Int {
        guard let index = contactMethods.firstIndex(where: { $0.id == id }) else {
            throw StoreError.notFound(what: "contact method", key: id.uuidString)
        }
        return index
    }

    /// Refuses a second contact method of the same kind and address: it would page twice.
    func refuseDuplicate(of method: ContactMethod) throws {
        let key = method.address.lowercased()
        if let twin = contactMethods.first(where: { $0.id != method.id && $0.kind == method.kind && $0.address.lowercased() == key }) {
            throw StoreError.conflict(
                "\(id) already has this \(method.kind.rawValue) contact (\(twin.id.uuidString)); a second would page twice.")
        }
    }
}
