import Foundation
import Logging
import PostgresKit
import Synchronization

/// The connection pools of one source, renewed once PostgreSQL answers again after an outage.
///
/// PostgresNIO's pool waits longer and longer between connection attempts while the database is
/// away (up to a minute), so after a restart or failover of a minute Muster would go on refusing
/// alerts for up to a minute more. Instead, once a lease gets no connection, a direct connection
/// is tried every `probeInterval`; when one succeeds and the pools have still given no lease and
/// hold none, fresh pools take the place of the old ones, and leases waiting on them move over.
/// Work already on an old pool runs to its end there; the old pools stop after `retireAfter`.
final class PostgresPools: Sendable {
    /// One set of pools and the task that runs them.
    struct Generation: Sendable {
        let client: PostgresClient
        /// For `reusingStatements` transactions; see `PostgresConnectionSource`.
        let hotClient: PostgresClient?
        let runner: Task<Void, Never>
        /// Leases these pools have given, so that a renewal can tell an outage (none while it
        /// looks) from a database that is only slow to hand out connections.
        let leases = LeaseCount()
    }

    private struct State {
        var current: Generation
        var retired: [Generation] = []
        var renewal: Task<Void, Never>?
        var stopped = false
    }

    private let state: Mutex<State>
    private let make: @Sendable () -> (PostgresClient, PostgresClient?)
    private let probe: @Sendable () async throws -> Void
    private let probeInterval: Duration
    private let retireAfter: Duration
    private let logger: Logger

    /// - Parameters:
    ///   - make: new pools, not yet running.
    ///   - probe: connects to PostgreSQL once and disconnects, or throws.
    ///   - retireAfter: how long an old pool keeps running for the work already on it.
    init(
        make: @escaping @Sendable () -> (PostgresClient, PostgresClient?),
        probe: @escaping @Sendable () async throws -> Void,
        probeInterval: Duration = .milliseconds(500), retireAfter: Duration, logger: Logger
    ) {
        self.make = make
        self.probe = probe
        self.probeInterval = probeInterval
        self.retireAfter = retireAfter
        self.logger = logger
        state = Mutex(State(current: Self.start(make())))
    }

    /// The pools to lease from now.
    var current: Generation { state.withLock { $0.current } }

    /// A lease got no connection: look for PostgreSQL's return, unless already looking. The
    /// pools are renewed only if meanwhile they give no lease and none is held: never merely
    /// because every connection is busy, when fresh pools would only add load.
    func noteUnreachable() {
        state.withLock { state in
            guard !state.stopped, state.renewal == nil else { return }
            let generation = state.current
            let leases = generation.leases.value
            state.renewal = Task { await self.renewWhenReachable(generation, leases: leases) }
        }
    }

    /// Stops every pool, current and retired, and the search for PostgreSQL.
    func shutdown() async {
        let (generations, renewal) = state.withLock { state in
            state.stopped = true
            defer { (state.retired, state.renewal) = ([], nil) }
            return ([state.current] + state.retired, state.renewal)
        }
        renewal?.cancel()
        for generation in generations { generation.runner.cancel() }
        for generation in generations { await generation.runner.value }
    }

    private func renewWhenReachable(_ stale: Generation, leases: Int) async {
        var reachable = false
        while !reachable, !Task.isCancelled, stale.leases.idle(since: leases) {
            try? await Task.sleep(for: probeInterval)
            reachable = await Self.succeeds(within: .seconds(5), probe)
        }
        guard !Task.isCancelled, stale.leases.idle(since: leases) else {
            state.withLock { $0.renewal = nil }
            return
        }
        let fresh = Self.start(make())
        let old: Generation? = state.withLock { state in
            state.renewal = nil
            guard !state.stopped, state.current.client === stale.client else { return nil }
            defer { state.current = fresh }
            state.retired.append(state.current)
            return state.current
        }
        guard let old else {
            fresh.runner.cancel()
            return
        }
        logger.info("PostgreSQL answers again; new connections replace the pool that was waiting to retry.")
        try? await Task.sleep(for: retireAfter)
        let retiring = state.withLock { state in
            let found = state.retired.contains { $0.client === old.client }
            state.retired.removeAll { $0.client === old.client }
            return found
        }
        if retiring { old.runner.cancel() }
    }

    private static func start(_ pools: (PostgresClient, PostgresClient?)) -> Generation {
        let (client, hotClient) = pools
        let runner = Task {
            await withDiscardingTaskGroup { group in
                for pool in [client, hotClient].compactMap({ $0 }) { group.addTask { await pool.run() } }
            }
        }
        return Generation(client: client, hotClient: hotClient, runner: runner)
    }

    /// Whether `attempt` succeeds within `limit`. An attempt still running then is left to end by
    /// itself: a connection to a host that hangs may not heed cancellation.
    private static func succeeds(within limit: Duration, _ attempt: @escaping @Sendable () async throws -> Void) async -> Bool {
        let answer = AnswerOnce()
        var timer: Task<Void, Never>?
        let succeeded = await withCheckedContinuation { continuation in
            answer.set(continuation)
            let work = Task {
                do {
                    try await attempt()
                    answer.resume(true)
                } catch {
                    answer.resume(false)
                }
            }
            timer = Task {
                try? await Task.sleep(for: limit)
                guard !Task.isCancelled else { return }
                work.cancel()
                answer.resume(false)
            }
        }
        timer?.cancel()
        return succeeded
    }
}

/// The first of several answers, given to one waiting continuation.
private final class AnswerOnce: Sendable {
    private let continuation = Mutex<CheckedContinuation<Bool, Never>?>(nil)

    func set(_ waiting: CheckedContinuation<Bool, Never>) {
        continuation.withLock { $0 = waiting }
    }

    func resume(_ answer: Bool) {
        continuation.withLock { waiting in
            waiting?.resume(returning: answer)
            waiting = nil
        }
    }
}

/// The leases a generation of pools has given: how many so far, and how many are still held.
final class LeaseCount: Sendable {
    private let begun = Atomic<Int>(0)
    private let held = Atomic<Int>(0)

    /// Leases given so far.
    var value: Int { begun.load(ordering: .relaxed) }

    /// A lease began.
    func add() {
        begun.add(1, ordering: .relaxed)
        held.add(1, ordering: .relaxed)
    }

    /// A lease ended.
    func end() { held.subtract(1, ordering: .relaxed) }

    /// Whether no lease has begun since `value` read `count`, and none is held: the pools have
    /// handed out nothing since, not even slowly.
    func idle(since count: Int) -> Bool {
        held.load(ordering: .relaxed) == 0 && begun.load(ordering: .relaxed) == count
    }
}
