import Foundation
import MusterCore
import SQLKit

/// The reads of a batch of several requests, sent ahead at once (`ReadingAhead`): the services and
/// silences, then one lookup statement per request, for the alerts and groups no earlier request
/// named. The writer waits only for the first request's lookups and applies its events while the
/// database looks up the next request's; in one statement for all, the writer waited for every
/// lookup before it could apply any event.
///
/// Each request's rows are read after the earlier requests' events were applied, but reflect the
/// database before the batch: what the batch changed since is kept (`IngestBatchWriter.merge`).
struct IngestReadsAhead {
    private let db: any ReadingAhead
    private let requests: [IngestRequest]
    private let dialect: StoreDialect
    private let now: Date
    private let expected: [String: AlertPolicy]
    private let services: AheadRead
    /// Per request, its lookup statement, nil when it named nothing new.
    private let lookups: [AheadRead?]
    private let groups: [[IngestReads.GroupLookup]]

    /// Sends the reads of `requests` ahead, or answers nil where they are better read together:
    /// a single request, a database that cannot read ahead, a service whose policy is not known
    /// yet, or a request past one statement's keys.
    static func send(
        for requests: [IngestRequest], dialect: StoreDialect, at now: Date, on db: any SQLDatabase, policies: AlertPolicyMemo
    ) throws -> IngestReadsAhead? {
        let ids = Set(requests.map(\.integration.service))
        guard requests.count > 1, let db = db as? any ReadingAhead, let expected = policies.policies(of: ids) else { return nil }
        var seenKeys: Set<IngestReads.AlertKey> = []
        var seenGroups: Set<String> = []
        var queries: [any SQLExpression] = [IngestReads.servicesAndSilencesQuery(ids, dialect: dialect, at: now)]
        var statements: [Int?] = []
        var groups: [[IngestReads.GroupLookup]] = []
        for request in requests {
            let (allKeys, allGroups) = IngestReads.lookups(for: [request], policies: expected, at: now)
            let keys = allKeys.filter { seenKeys.insert($0).inserted }
            let new = allGroups.filter { seenGroups.insert($0.key).inserted }
            guard keys.count <= IngestReads.chunk(for: dialect), new.count <= IngestReads.chunk(for: dialect) else { return nil }
            groups.append(new)
            if let query = IngestReads.lookUpQuery(keys[...], new[...], dialect: dialect) {
                statements.append(queries.count)
                queries.append(query)
            } else {
                statements.append(nil)
            }
        }
        let reads = try db.readAhead(queries)
        return IngestReadsAhead(
            db: db, requests: requests, dialect: dialect, now: now, expected: expected, services: reads[0],
            lookups: statements.map { $0.map { reads[$0] } }, groups: groups)
    }

    /// The services, the silences in force and the first request's lookups. When a service's
    /// policy is not the one the lookups were made with, every request's lookups are made again
    /// and the answer says the reads are `complete`.
    func first(policies: AlertPolicyMemo) async throws -> (reads: IngestReads, complete: Bool) {
        var reads = IngestReads()
        let ids = Set(requests.map(\.integration.service))
        try reads.takeServicesAndSilences(try await db.rows(of: services), ids)
        policies.remember(reads.services)
        guard reads.services.allSatisfy({ expected[$0.key] == $0.value.alertPolicy }) else {
            try await reads.readAlertsAndIncidents(for: requests, dialect: dialect, at: now, on: db)
            return (reads, true)
        }
        try await reads.take(lookupsOf: 0, from: self)
        return (reads, false)
    }

    /// The lookups of request `index`.
    func reads(for index: Int) async throws -> IngestReads {
        var reads = IngestReads()
        try await reads.take(lookupsOf: index, from: self)
        return reads
    }

    fileprivate func rows(for index: Int) async throws -> [any SQLRow] {
        guard let read = lookups[index] else { return [] }
        return try await db.rows(of: read)
    }

    fileprivate func groups(of index: Int) -> ArraySlice<IngestReads.GroupLookup> { groups[index][...] }
}

extension IngestReads {
    fileprivate mutating func take(lookupsOf index: Int, from ahead: IngestReadsAhead) async throws {
        try takeLookups(try await ahead.rows(for: index), ahead.groups(of: index))
    }
}
