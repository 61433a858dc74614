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
/// The groups are looked up with the policies last read, and forgotten where a service's policy
/// has changed since (`IngestReads.forgetGroups`).
struct IngestReadsAhead {
    private let db: any ReadingAhead
    private let services: (read: AheadRead, ids: Set<String>)
    /// The policies the groups were looked up with.
    private let expected: [String: AlertPolicy]
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
            db: db, services: (reads[0], ids), expected: expected,
            parts: statements.mapValues { Part(read: $0.query.map { reads[$0] }, groups: $0.groups) })
    }

    /// The services, the silences in force and the first part's lookups.
    func first(policies: AlertPolicyMemo) async throws -> IngestReads {
        var reads = IngestReads()
        try reads.takeServicesAndSilences(try await db.rows(of: services.read), services.ids)
        policies.remember(reads.services)
        try await take(part: 0, into: &reads, services: reads.services)
        return reads
    }

    /// The lookups of the part that begins at request `index`, or nil when none begins there;
    /// `services` as `first` read them.
    func reads(for index: Int, services: [String: ServiceRecord]) async throws -> IngestReads? {
        guard parts[index] != nil else { return nil }
        var reads = IngestReads()
        try await take(part: index, into: &reads, services: services)
        return reads
    }

    private func take(part index: Int, into reads: inout IngestReads, services: [String: ServiceRecord]) async throws {
        guard let part = parts[index] else { return }
        var rows: [any SQLRow] = []
        if let read = part.read { rows = try await db.rows(of: read) }
        try reads.takeLookups(rows, part.groups[...])
        reads.forgetGroups(part.groups, lookedUpWith: expected, readNow: services)
    }
}
