import Foundation
import MusterCore
import SQLKit

extension SQLStore {
    public func createStakeholderGroup(_ group: StakeholderGroup) async throws -> StakeholderGroup {
        try await insertDocument(group, id: group.id, createdAt: group.createdAt, in: .stakeholderGroups) { group, db in
            try await Self.requireServices(group.services, on: db)
        }
    }

    public func stakeholderGroups() async throws -> [StakeholderGroup] {
        try await documents(StakeholderGroup.self, in: .stakeholderGroups)
    }

    public func stakeholderGroup(_ id: String) async throws -> StakeholderGroup? {
        try await document(StakeholderGroup.self, id: id, in: .stakeholderGroups)
    }

    public func replaceStakeholderGroup(_ group: StakeholderGroup) async throws -> StakeholderGroup {
        try await updateDocument(
            StakeholderGroup.self, id: group.id, in: .stakeholderGroups,
            validate: { group, db in try await Self.requireServices(group.services, on: db) }
        ) { current in
            var replaced = group
            replaced.createdAt = current.createdAt
            current = replaced
        }
    }

    public func deleteStakeholderGroup(_ id: String) async throws {
        // Messages already queued for a group are still delivered: they were true when written.
        try await deleteDocument(id, in: .stakeholderGroups)
    }

    public func runBroadcasts(scheme: SeverityScheme, announceAlertsAt: String?, changedSince: Date, at now: Date) async throws -> Int {
        let groups = try await stakeholderGroups()
        guard !groups.isEmpty else { return 0 }
        // The incidents with something new to tell, read without locks; only those are claimed.
        // Entries of other kinds (alerts joining, above all, in a storm) are passed over without
        // a write: the cursor moves past them with the next entry that tells something.
        let kinds = Self.toldKinds
        let grown = try await read { db in
            try await db.raw(
                """
                SELECT i.id, COALESCE(c.through, 0) AS through,
                    (SELECT MAX(t.position) FROM timeline_entries t WHERE t.incident_id = i.id AND t.kind IN (\(binds: kinds))) AS last
                FROM incidents i LEFT JOIN broadcast_cursors c ON c.incident_id = i.id
                WHERE i.updated_at >= \(bind: changedSince.millis)
                ORDER BY i.id
                """
            ).all().compactMap { row -> String? in
                let last = try row.decodeNil(column: "last") ? 0 : row.decode(column: "last", as: Int64.self)
                return last > (try row.decode(column: "through", as: Int64.self)) ? try row.decode(column: "id", as: String.self) : nil
            }
        }
        // After a storm of new incidents, in transactions of a bounded size, one after another.
        var told = 0
        for start in stride(from: 0, to: grown.count, by: Self.broadcastBatch) {
            let batch = Array(grown[start..<min(start + Self.broadcastBatch, grown.count)])
            told += try await tell(batch, groups: groups, scheme: scheme, announceAlertsAt: announceAlertsAt, at: now)
        }
        return told
    }

    /// Claims the incidents of `batch` and queues what their new entries tell `groups`; one transaction.
    private func tell(
        _ batch: [String], groups: [StakeholderGroup], scheme: SeverityScheme, announceAlertsAt: String?, at now: Date
    ) async throws -> Int {
        let kinds = Self.toldKinds
        let claim = dialect.claimSuffix
        let members = Dictionary(groups.map { ($0.id, $0.members) }, uniquingKeysWith: { first, _ in first })
        return try await transaction { db, tally in
            var start = SQLValueRows(width: 3, for: self.dialect)
            for id in batch { start.append(id, Int64(0), Int64(0)) }
            try await db.raw(
                "INSERT INTO broadcast_cursors (incident_id, through, announced) \(start) ON CONFLICT (incident_id) DO NOTHING"
            )
            .run()
            // Claimed: another server skips these rows, and finds them moved on once this commits.
            let cursors = try await db.raw(
                "SELECT incident_id, through, announced FROM broadcast_cursors WHERE incident_id IN (\(binds: batch)) ORDER BY incident_id\(unsafeRaw: claim)"
            ).all()
            var pages: [Page] = []
            var told = 0
            for cursor in cursors {
                let id = try cursor.decode(column: "incident_id", as: String.self)
                let through = try cursor.decode(column: "through", as: Int64.self)
                guard
                    let incident = try await db.raw("SELECT document FROM incidents WHERE id = \(bind: id)").first().map({
                        try DocumentCoding.decode(Incident.self, from: $0.decode(column: "document", as: String.self))
                    })
                else { continue }
                let rows = try await db.raw(
                    """
                    SELECT id, incident_id, kind, at, recorded_at, author, body, details, position FROM timeline_entries
                    WHERE incident_id = \(bind: id) AND position > \(bind: through) AND kind IN (\(binds: kinds)) ORDER BY position
                    """
                ).all()
                guard let last = try rows.last?.decode(column: "position", as: Int64.self) else { continue }
                let plan = incident.broadcasts(
                    after: try rows.map(Self.decodeEntry), to: groups, scheme: scheme, announceAlertsAt: announceAlertsAt,
                    announced: try cursor.decode(column: "announced", as: Int64.self) != 0)
                for broadcast in plan.broadcasts {
                    told += 1
                    pages += (members[broadcast.group] ?? []).map { contact in
                        Page(id: UUID(), broadcast: broadcast, incident: incident, contact: contact, at: now)
                    }
                }
                try await db.raw(
                    """
                    UPDATE broadcast_cursors SET through = \(bind: last), announced = \(bind: plan.announced ? 1 : 0)
                    WHERE incident_id = \(bind: id)
                    """
                ).run()
            }
            try await self.writing(on: db) { writes in
                try Self.insertNotifications(pages, into: writes)
                tally.pagesQueued(pages)
            }
            return told
        }
    }

    /// The incidents one transaction of broadcasts claims at most.
    static let broadcastBatch = 500

    /// The kinds of timeline entries that may tell stakeholders something.
    static let toldKinds = [TimelineKind.declared, .severityChange, .updatePublished, .statusChange].map(\.rawValue)

    /// Refuses services that do not exist, naming the first.
    static func requireServices(_ ids: [String], on db: any SQLDatabase) async throws {
        guard !ids.isEmpty else { return }
        let known = Set(
            try await db.raw("SELECT id FROM services WHERE id IN (\(binds: ids))").all().map {
                try $0.decode(column: "id", as: String.self)
            })
        if let missing = ids.first(where: { !known.contains($0) }) {
            throw StoreError.invalid(field: "services", reason: "names '\(missing)', which is not a service; create it first.")
        }
    }
}
