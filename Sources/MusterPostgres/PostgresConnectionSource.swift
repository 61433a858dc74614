import Foundation
import Logging
import MusterStore
import NIOPosix
import PostgresKit
import Synchronization

/// A pool of PostgreSQL connections; several Muster processes may share the database.
///
/// The connections live on an event loop of their own, where the ingestion writer runs too
/// (`writerExecutor`): on the loops that serve HTTP, each of the writer's round trips also waited
/// behind requests being read and parsed.
public final class PostgresConnectionSource: SQLConnectionSource {
    private let client: PostgresClient
    /// Connections for `reusingStatements` transactions, which always run their prepared statements
    /// on a generic plan: left to choose, PostgreSQL planned the ingest writes anew on every run,
    /// which cost more than running them (0.21 against 0.04 ms of a 0.4 ms statement). Kept apart
    /// so that no other statement loses plans made for its values. None with
    /// `prepared_statements=off` in the URL, for poolers that cannot keep named statements
    /// (PgBouncer before 1.21 in transaction mode).
    private let hotClient: PostgresClient?
    private let runner: Task<Void, Never>
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
            throw StoreError.unavailable("Cannot use PostgreSQL at \(target): \(error).")
        }
    }

    /// Connects lazily; prefer `open(url:logger:)`, which checks the server first.
    public init(url text: String, logger: Logger = Logger(label: "muster.postgres")) throws {
        let url = try PostgresURL(parsing: text)
        self.url = url
        let configuration = url.clientConfiguration
        let loops = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        self.loops = loops
        writerExecutor = EventLoopTaskExecutor(loops.next())
        let client = PostgresClient(configuration: configuration, eventLoopGroup: loops, backgroundLogger: logger)
        var hotConfiguration = configuration
        hotConfiguration.options.additionalStartupParameters.append(("plan_cache_mode", "force_generic_plan"))
        hotConfiguration.options.maximumConnections = 4
        let hotClient = url.reusesStatements ? PostgresClient(configuration: hotConfiguration, eventLoopGroup: loops, backgroundLogger: logger) : nil
        self.client = client
        self.hotClient = hotClient
        runner = Task {
            await withDiscardingTaskGroup { group in
                for pool in [client, hotClient].compactMap({ $0 }) { group.addTask { await pool.run() } }
            }
        }
    }

    /// How long a statement waits for a connection before the database counts as away. The pool
    /// itself keeps a lease waiting while it retries, for a minute before it gives up; senders
    /// time out long before (Alertmanager, PagerDuty clients), and every ingest request waits
    /// behind the writer's transaction. Answering 503 soon lets them retry instead.
    public static let leaseTimeout: Duration = .seconds(5)

    public func withConnection<T: Sendable>(
        reusingStatements: Bool, _ body: @Sendable (any SQLDatabase) async throws -> T
    ) async throws -> T {
        do {
            guard reusingStatements, let hotClient else {
                return try await leased(from: client) { connection in try await body(connection.sql(queryLogLevel: .trace)) }
            }
            return try await leased(from: hotClient) { connection in
                try await body(ReusingPostgresDatabase(connection: connection, plain: connection.sql(queryLogLevel: .trace)))
            }
        } catch let error as PSQLError {
            throw Self.translate(error, target: target)
        } catch let error as StoreError {
            throw error
        } catch where String(describing: type(of: error)).hasPrefix("ConnectionPoolError") {
            throw StoreError.unavailable("Cannot use PostgreSQL at \(target): no connection could be made (\(error)).")
        }
    }

    /// Runs `body` on a connection of `pool`, or fails with `StoreError.unavailable` when none
    /// comes within `leaseTimeout`. Only the wait is timed: once leased, `body` runs to its end.
    private func leased<T: Sendable>(
        from pool: PostgresClient, _ body: @Sendable (PostgresConnection) async throws -> T
    ) async throws -> T {
        let lease = LeaseDeadline()
        return try await withoutActuallyEscaping(body) { body in
            try await withThrowingTaskGroup(of: T?.self) { group in
                group.addTask {
                    try await pool.withConnection { connection in
                        guard lease.begin() else { throw CancellationError() }
                        return try await body(connection)
                    }
                }
                group.addTask {
                    try? await Task.sleep(for: Self.leaseTimeout)
                    if lease.expire() {
                        throw StoreError.unavailable("Cannot use PostgreSQL at \(self.target): no connection within \(Self.leaseTimeout).")
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

    /// PostgresNIO keeps its error text private by default; say what went wrong without the query.
    static func translate(_ error: PSQLError, target: String) -> StoreError {
        if let info = error.serverInfo {
            let state = info[.sqlState] ?? "?"
            if state == "23505" { return .conflict("That record already exists.") }
            // Class 22, data exceptions: a value no column can hold, such as text with NUL in it.
            if state.hasPrefix("22") { return .rejected("\(info[.message] ?? "a value is out of range") (SQLSTATE \(state)).") }
            return .unavailable("PostgreSQL refused the request: \(info[.message] ?? "unknown error") (SQLSTATE \(state)).")
        }
        let cause = error.underlying.map { " (\($0))" } ?? ""
        return .unavailable("Cannot use PostgreSQL at \(target): \(error.code)\(cause).")
    }

    public func shutdown() async throws {
        runner.cancel()
        await runner.value
        try await loops.shutdownGracefully()
    }
}

/// Whether a lease began before its deadline passed; whichever comes first wins.
private final class LeaseDeadline: Sendable {
    private let state = Mutex(State.waiting)
    private enum State { case waiting, leased, expired }

    /// The connection came: true when the deadline has not passed yet.
    func begin() -> Bool {
        state.withLock { state in
            guard state == .waiting else { return false }
            state = .leased
            return true
        }
    }

    /// The deadline passed: true when no connection came before it.
    func expire() -> Bool {
        state.withLock { state in
            guard state == .waiting else { return false }
            state = .expired
            return true
        }
    }
}
