import Foundation
import MusterCore
import SQLKit

/// The reads of a batch of several requests, sent ahead at once (`ReadingAhead`): the services and
/// silences, then the lookups of the alerts and groups no earlier request named, in parts of
/// consecutive requests of at least `partKeys` alerts (one request of an Alertmanager batch, or
/// dozens of single alerts, whose statements would otherwise cost more than their lookups). The
/// writer waits only for the first part and applies its events while the database looks up the
/// next part's; in one statement for all, it waited for every lookup before applying any event.
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
    /// The parts, by their first request.
    private let parts: [Int: Part]

    private struct Part {
        /// Its lookup statement, nil when its requests named nothing new.
        var read: AheadRead?
        var groups: [IngestReads.GroupLookup]
    }

    /// Alerts a part looks up, at least, but for the batch's last.
    static let partKeys = 64

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
        var statements: [Int: (query: Int?, groups: [IngestReads.GroupLookup])] = [:]
        var first = 0
        var keys: [IngestReads.AlertKey] = []
        var groups: [IngestReads.GroupLookup] = []
        for (index, request) in requests.enumerated() {
            let (named, grouped) = IngestReads.lookups(for: [request], policies: expected, at: now)
            keys += named.filter { seenKeys.insert($0).inserted }
            groups += grouped.filter { seenGroups.insert($0.key).inserted }
            guard keys.count <= IngestReads.chunk(for: dialect), groups.count <= IngestReads.chunk(for: dialect) else { return nil }
            guard keys.count >= partKeys || index == requests.count - 1 else { continue }
            let query = IngestReads.lookUpQuery(keys.sorted()[...], groups[...], dialect: dialect)
            statements[first] = (query.map { _ in queries.count }, groups)
            if let query { queries.append(query) }
            (first, keys, groups) = (index + 1, [], [])
        }
        let reads = try db.readAhead(queries)
        return IngestReadsAhead(
            db: db, requests: requests, dialect: dialect, now: now, expected: expected, services: reads[0],
            parts: statements.mapValues { Part(read: $0.query.map { reads[$0] }, groups: $0.groups) })
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

    /// The lookups of the part that begins at request `index`, or nil when none begins there.
    func reads(for index: Int) async throws -> IngestReads? {
        guard parts[index] != nil else { return nil }
        var reads = IngestReads()
        try await reads.take(lookupsOf: index, from: self)
        return reads
    }

    fileprivate func rows(of part: Int) async throws -> [any SQLRow] {
        guard let read = parts[part]?.read else { return [] }
        return try await db.rows(of: read)
    }

    fileprivate func groups(of part: Int) -> ArraySlice<IngestReads.GroupLookup> { (parts[part]?.groups ?? [])[...] }
}

extension IngestReads {
    fileprivate mutating func take(lookupsOf part: Int, from ahead: IngestReadsAhead) async throws {
        try takeLookups(try await ahead.rows(of: part), ahead.groups(of: part))
    }
}
