import Foundation
import Logging
import MusterCore
import MusterStore
import NIOConcurrencyHelpers
import NIOPosix
import PostgresKit
import Synchronization

/// A pool of PostgreSQL connections; several Muster processes may share the database.
///
/// The connections live on an event loop of their own, where the ingestion writer runs too
/// (`writerExecutor`): on the loops that serve HTTP, each of the writer's round trips also waited
/// behind requests being read and parsed.
public final class PostgresConnectionSource: SQLConnectionSource {
    /// The pools: one for most work, and one for `reusingStatements` transactions, which always
    /// run their prepared statements on a generic plan: left to choose, PostgreSQL planned the
    /// ingest writes anew on every run, which cost more than running them (0.21 against 0.04 ms of
    /// a 0.4 ms statement). Kept apart so that no other statement loses plans made for its values.
    /// No second pool with `prepared_statements=off` in the URL, for poolers that cannot keep named
    /// statements (PgBouncer before 1.21 in transaction mode).
    private let pools: PostgresPools
    /// The ingestion writer's own connection (`PipelinedConnection`), when statements may be reused.
    private let pipeline = PipelineSlot()
    /// How long the pipelined connection may stay idle before it is replaced; shorter in tests.
    var pipelineIdleLimit: TimeAmount {
        get { pipeline.idleLimit }
        set { pipeline.idleLimit = newValue }
    }
    private let logger: Logger
    private let loops: MultiThreadedEventLoopGroup
    public let writerExecutor: any TaskExecutor
    private let url: PostgresURL
    /// host:port/database (or the socket's path/database), for messages; never the password.
    private var target: String { url.target }
    public let dialect = StoreDialect.postgres

    /// Opens a pool for the database a `postgres://user:password@host:port/database` URL names,
    /// after one direct connection proves the server is there (the pool alone would retry for a minute).
    public static func open(url: String, logger: Logger = Logger(label: "muster.postgres")) async throws -> PostgresConnectionSource {
        let source = try PostgresConnectionSource(url: url, logger: logger)
        do {
            try await source.checkReachable(logger: logger)
        } catch {
            try? await source.shutdown()
            throw error
        }
        return source
    }

    private func checkReachable(logger: Logger) async throws {
        do {
            let connection = try await PostgresConnection.connect(configuration: url.connectionConfiguration, id: 0, logger: logger)
            try await connection.close()
        } catch let error as PSQLError {
            throw Self.translate(error, target: target)
        } catch {
            let advice = Self.tlsAdvice("\(error)").map { "\($0) (\(error))" } ?? "\(error)"
            throw StoreError.unavailable("Cannot use PostgreSQL at \(target): \(advice).")
        }
    }

    /// Connects lazily; prefer `open(url:logger:)`, which checks the server first.
    public init(url text: String, logger: Logger = Logger(label: "muster.postgres")) throws {
        let url = try PostgresURL(parsing: text)
        self.url = url
        self.logger = logger
        let configuration = url.clientConfiguration
        let loops = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        self.loops = loops
        writerExecutor = EventLoopTaskExecutor(loops.next())
        var hotConfiguration = configuration
        hotConfiguration.options.additionalStartupParameters.append(("plan_cache_mode", "force_generic_plan"))
        hotConfiguration.options.maximumConnections = 4
        let reusesStatements = url.reusesStatements
        let hot = hotConfiguration
        pools = PostgresPools(
            make: {
                (
                    PostgresClient(configuration: configuration, eventLoopGroup: loops, backgroundLogger: logger),
                    reusesStatements ? PostgresClient(configuration: hot, eventLoopGroup: loops, backgroundLogger: logger) : nil
                )
            },
            probe: {
                let connection = try await PostgresConnection.connect(configuration: url.connectionConfiguration, id: 0, logger: logger)
                try await connection.close()
            },
            retireAfter: Self.leaseTimeout + url.transactionTimeout, logger: logger)
    }

    /// How long a statement waits for a connection before the database counts as away. The pool
    /// itself keeps a lease waiting while it retries, for a minute before it gives up; senders
    /// time out long before (Alertmanager, PagerDuty clients), and every ingest request waits
    /// behind the writer's transaction. Answering 503 soon lets them retry instead.
    public static let leaseTimeout: Duration = .seconds(5)

    /// How often a lease waiting for a connection looks whether its pools were renewed.
    static let renewalCheck: Duration = .milliseconds(250)

    public func withConnection<T: Sendable>(
        reusingStatements: Bool, bounded: Bool, _ body: @Sendable (any SQLDatabase) async throws -> T
    ) async throws -> T {
        let limit = bounded ? url.transactionTimeout : nil
        let target = target
        do {
            while true {
                let generation = pools.current
                do {
                    guard reusingStatements, let hotClient = generation.hotClient else {
                        return try await leased(from: generation.client, of: generation, limit: limit) { connection in
                            try await body(
                                OpenConnectionDatabase(base: connection.sql(queryLogLevel: .trace), connection: connection, target: target))
                        }
                    }
                    return try await leased(from: hotClient, of: generation, limit: limit) { connection in
                        let reusing = ReusingPostgresDatabase(connection: connection, plain: connection.sql(queryLogLevel: .trace))
                        return try await body(OpenConnectionDatabase(base: reusing, connection: connection, target: target))
                    }
                } catch is Renewed {
                    continue
                }
            }
        } catch let error as PSQLError {
            throw Self.translate(error, target: target)
        } catch let error as StoreError {
            throw error
        } catch is NoConnection {
            pools.noteUnreachable()
            throw StoreError.unavailable("Cannot use PostgreSQL at \(target): no connection within \(Self.seconds(Self.leaseTimeout)).")
        } catch  where String(describing: type(of: error)).hasPrefix("ConnectionPoolError") {
            if String(describing: error).contains("CircuitBreakerTripped") { pools.noteUnreachable() }
            throw StoreError.unavailable("Cannot use PostgreSQL at \(target): no connection could be made (\(error)).")
        }
    }

    /// Runs a `reusingStatements` transaction on the pipelined connection, whose `BEGIN` and
    /// `COMMIT` cost no round trip of their own; others, and one that finds that connection in
    /// use, run as `plainTransaction` on the pools.
    public func transaction<T: Sendable>(
        reusingStatements: Bool, bounded: Bool, _ body: @Sendable @escaping (any SQLDatabase) async throws -> T
    ) async throws -> T {
        guard reusingStatements, bounded, url.reusesStatements, pipeline.claim() else {
            return try await plainTransaction(reusingStatements: reusingStatements, bounded: bounded, body)
        }
        defer { pipeline.release() }
        return try await withTaskExecutorPreference(writerExecutor) {
            let connection = try await pipelinedConnection()
            let overran = Atomic(false)
            let timer = connection.eventLoop.scheduleTask(in: TimeAmount(url.transactionTimeout)) {
                overran.store(true, ordering: .relaxed)
                connection.close()
            }
            defer { timer.cancel() }
            let transaction = PipelinedTransaction(connection: connection, target: target, logger: logger)
            do {
                let result = try await body(transaction)
                try await transaction.commit()
                return result
            } catch {
                await transaction.rollback()
                if overran.load(ordering: .relaxed) {
                    throw StoreError.unavailable(
                        "PostgreSQL at \(target) did not answer within \(Self.seconds(url.transactionTimeout)); Muster closed the connection."
                    )
                }
                if error is StoreError || error is IncidentError { throw error }
                if !connection.isOpen || error is ChannelError || error is WireError {
                    throw StoreError.unavailable(
                        "Lost the connection to PostgreSQL at \(target) during a transaction; nothing of it was kept (\(error)).")
                }
                throw error
            }
        }
    }

    /// The pipelined connection, opened anew when there is none, it has closed, or it was idle long.
    private func pipelinedConnection() async throws -> PipelinedConnection {
        if let current = pipeline.connection {
            if current.isOpen, !current.isIdle(longerThan: pipeline.idleLimit) { return current }
            current.close()
        }
        do {
            let fresh = try await PipelinedConnection.open(url, on: loops.next(), timeout: Self.leaseTimeout, logger: logger)
            pipeline.connection = fresh
            return fresh
        } catch let error as PSQLError {
            throw Self.translate(error, target: target)
        } catch {
            throw StoreError.unavailable(
                "Cannot use PostgreSQL at \(target): no connection within \(Self.seconds(Self.leaseTimeout)) (\(error)).")
        }
    }

    /// Runs `body` on a connection of `pool`, one of `generation`'s. Fails with `NoConnection` when
    /// none comes within `leaseTimeout`, and with `Renewed` when fresh pools took the place of
    /// `generation` meanwhile.
    /// Fails with `StoreError.unavailable` when `body` has not finished `limit` after it began:
    /// then the connection is closed, which fails the statement waiting on it. A database host
    /// that hangs, or a network that drops packets, would otherwise hold the writer, and every
    /// request behind it, until TCP gives up many minutes later.
    private func leased<T: Sendable>(
        from pool: PostgresClient, of generation: PostgresPools.Generation, limit: Duration?,
        _ body: @Sendable (PostgresConnection) async throws -> T
    ) async throws -> T {
        let lease = Lease()
        let target = target
        let executor = writerExecutor
        let pools = pools
        let leases = generation.leases
        return try await withoutActuallyEscaping(body) { body in
            try await withThrowingTaskGroup(of: T?.self) { group in
                group.addTask {
                    try await pool.withConnection { connection in
                        guard let began = lease.begin(with: connection) else { throw CancellationError() }
                        leases.add()
                        defer {
                            lease.finish()
                            leases.end()
                        }
                        do {
                            // On the connection's loop, so that `OpenConnectionDatabase`'s check
                            // and the statement's send happen in one tick.
                            return try await withTaskExecutorPreference(executor) { try await body(connection) }
                        } catch  where lease.overran {
                            let waited = began.duration(to: .now)
                            throw StoreError.unavailable(
                                "PostgreSQL at \(target) did not answer within \(Self.seconds(waited)); Muster closed the connection.")
                        }
                    }
                }
                group.addTask {
                    let deadline = ContinuousClock.now + Self.leaseTimeout
                    while lease.isWaiting, !Task.isCancelled, ContinuousClock.now < deadline {
                        try? await Task.sleep(until: min(deadline, .now + Self.renewalCheck))
                        if pools.current.client !== generation.client, lease.move() { throw Renewed() }
                    }
                    if lease.expire() { throw NoConnection() }
                    guard let limit, let began = lease.began else { return nil }
                    try? await Task.sleep(until: began + limit)
                    if !Task.isCancelled, let connection = lease.overrun() {
                        let _: EventLoopFuture<Void> = connection.close()
                    }
                    return nil
                }
                while let result = try await group.next() {
                    if let value = result {
                        group.cancelAll()
                        return value
                    }
                }
                throw CancellationError()
            }
        }
    }

    private static func seconds(_ duration: Duration) -> String {
        duration.inSeconds.formatted(.number.precision(.fractionLength(0...1))) + " s"
    }

    /// Names the settings below those README.md recommends for alert storms; nothing when
    /// `pg_settings` cannot be read.
    public func settingsAdvice() async -> [String] {
        do {
            let rows = try await withConnection { db in
                try await db.select().columns("name", "setting", "unit").from("pg_settings")
                    .where("name", .in, IngestionSettingsAdvice.names).all()
            }
            var settings: [String: (setting: String, unit: String?)] = [:]
            for row in rows {
                settings[try row.decode(column: "name", as: String.self)] =
                    (try row.decode(column: "setting", as: String.self), try row.decode(column: "unit", as: String?.self))
            }
            return IngestionSettingsAdvice.advice(for: settings).map { [$0] } ?? []
        } catch {
            logger.debug("Could not read pg_settings: \(error)")
            return []
        }
    }

    public func shutdown() async throws {
        pipeline.connection?.close()
        await pools.shutdown()
        try await loops.shutdownGracefully()
    }
}

/// The pipelined connection, whether a transaction holds it, and how long it may stay idle.
private final class PipelineSlot: Sendable {
    private let state = NIOLockedValueBox<(busy: Bool, connection: PipelinedConnection?, idleLimit: TimeAmount)>(
        (false, nil, PipelinedConnection.idleLimit))

    /// Takes the slot: false when another transaction has it.
    func claim() -> Bool {
        state.withLockedValue { state in
            if state.busy { return false }
            state.busy = true
            return true
        }
    }

    func release() {
        state.withLockedValue { $0.busy = false }
    }

    var connection: PipelinedConnection? {
        get { state.withLockedValue { $0.connection } }
        set { state.withLockedValue { $0.connection = newValue } }
    }

    var idleLimit: TimeAmount {
        get { state.withLockedValue { $0.idleLimit } }
        set { state.withLockedValue { $0.idleLimit = newValue } }
    }
}

/// No connection came within `leaseTimeout`.
private struct NoConnection: Error {}

/// Fresh pools took the place of the one a lease was waiting on.
private struct Renewed: Error {}

/// A lease's course, raced by its timer: the connection comes before the lease deadline, or the
/// lease expires, or moves to renewed pools; once begun, the work finishes before its limit or
/// overruns it.
private final class Lease: Sendable {
    private let state = Mutex(State.waiting)
    private enum State {
        case waiting
        case leased(PostgresConnection, began: ContinuousClock.Instant)
        case expired, moved, finished, overran
    }

    /// The connection came: when the lease had not expired yet, the instant the work begins.
    func begin(with connection: PostgresConnection) -> ContinuousClock.Instant? {
        state.withLock { state in
            guard case .waiting = state else { return nil }
            let now = ContinuousClock.now
            state = .leased(connection, began: now)
            return now
        }
    }

    /// The deadline for a connection passed: true when none came before it.
    func expire() -> Bool { stopWaiting(as: .expired) }

    /// Still waiting for a connection.
    var isWaiting: Bool {
        state.withLock { state in
            if case .waiting = state { return true }
            return false
        }
    }

    /// The pool was renewed: true when no connection came from the old one before.
    func move() -> Bool { stopWaiting(as: .moved) }

    /// Ends the wait for a connection as `end`: false when it had already ended.
    private func stopWaiting(as end: State) -> Bool {
        state.withLock { state in
            guard case .waiting = state else { return false }
            state = end
            return true
        }
    }

    /// When the work began, while it is still running.
    var began: ContinuousClock.Instant? {
        state.withLock { state in
            guard case .leased(_, let began) = state else { return nil }
            return began
        }
    }

    /// The work ended, in time or not.
    func finish() {
        state.withLock { state in
            if case .leased = state { state = .finished }
        }
    }

    /// The limit passed: the connection to close, when the work is still running.
    func overrun() -> PostgresConnection? {
        state.withLock { state in
            guard case .leased(let connection, _) = state else { return nil }
            state = .overran
            return connection
        }
    }

    var overran: Bool {
        state.withLock { state in
            if case .overran = state { return true }
            return false
        }
    }
}
