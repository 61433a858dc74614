import Logging
import NIOCore
import NIOPosix
import PostgresNIO

/// A PostgreSQL connection of the ingestion writer's own, on which a transaction's statements
/// travel in as few round trips as the protocol allows: `BEGIN` goes with the first statement,
/// each statement is parsed once per connection and run from its name after, and the last write
/// goes with `COMMIT`. A transaction of reads and one write takes two round trips instead of
/// five, which is most of what single alerts cost Muster and PostgreSQL alike.
///
/// PostgresNIO opens the connection (start-up and authentication); after that `WireTap` reads
/// and writes every byte, since PostgresNIO sends each statement on its own and waits for its
/// answer before the next.
///
/// One transaction at a time uses it, on its event loop.
final class PipelinedConnection: @unchecked Sendable {
    private let channel: any Channel
    private let tap: WireTap
    private let postgres: PostgresConnection
    /// Names of the statements prepared on this connection, by text and bind signature.
    private var names: [String: String] = [:]
    private var issued = 0
    /// Statements kept prepared at most; past them, a statement is parsed at each run.
    static let maxNames = 256
    /// When the last answer came.
    private var lastAnswer = NIODeadline.now()
    /// A connection idle longer than this is replaced before use: a firewall or NAT between Muster
    /// and PostgreSQL may have dropped it without a word, and the first statement on it would then
    /// wait for the transaction's time limit. The pools ping theirs instead.
    static let idleLimit = TimeAmount.seconds(60)

    private init(channel: any Channel, tap: WireTap, postgres: PostgresConnection) {
        self.channel = channel
        self.tap = tap
        self.postgres = postgres
    }

    var eventLoop: any EventLoop { channel.eventLoop }

    /// Whether the connection can still carry a transaction.
    var isOpen: Bool { channel.isActive }

    /// Whether the connection has been idle longer than `idleLimit`.
    var isStale: Bool { lastAnswer + Self.idleLimit < .now() }

    /// Connects to `url`'s server on `loop`, within `timeout`.
    static func open(_ url: PostgresURL, on loop: any EventLoop, timeout: Duration, logger: Logger) async throws -> PipelinedConnection {
        let amount = TimeAmount.nanoseconds(Int64(timeout.inSeconds * 1e9))
        let bootstrap = ClientBootstrap(group: loop)
            .connectTimeout(amount)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
        let channel = switch url.endpoint {
        case .tcp(let host, let port): try await bootstrap.connect(host: host, port: port).get()
        case .socket(let path): try await bootstrap.connect(unixDomainSocketPath: path).get()
        }
        let tap = WireTap()
        do {
            try await channel.eventLoop.submit { try channel.pipeline.syncOperations.addHandler(tap) }.get()
            var configuration = PostgresConnection.Configuration(
                establishedChannel: channel, username: url.username, password: url.password, database: url.database)
            configuration.options.additionalStartupParameters = [("plan_cache_mode", "force_generic_plan")]
            // A server that accepts the connection and then says nothing must not hold the writer.
            let giveUp = loop.scheduleTask(in: amount) { channel.close(promise: nil) }
            defer { giveUp.cancel() }
            let postgres = try await PostgresConnection.connect(on: loop, configuration: configuration, id: 0, logger: logger)
            try await loop.submit { tap.take() }.get()
            return PipelinedConnection(channel: channel, tap: tap, postgres: postgres)
        } catch {
            try? await channel.close()
            throw error
        }
    }

    /// Sends `messages` and waits for the server's answer to reach `end`. A statement's error is
    /// in the answer; a lost connection, or an answer that cannot be read, throws.
    func exchange(_ messages: FrontendMessages, until end: WireTap.End) async throws -> WireTap.Answer {
        let promise = channel.eventLoop.makePromise(of: WireTap.Answer.self)
        let tap = tap
        let bytes = messages.buffer
        if channel.eventLoop.inEventLoop {
            tap.send(bytes, until: end, promise: promise)
        } else {
            channel.eventLoop.execute { tap.send(bytes, until: end, promise: promise) }
        }
        let answer = try await promise.futureResult.get()
        lastAnswer = .now()
        return answer
    }

    /// Appends the messages that run `sql` with `values`: Parse the first time (or every time past
    /// `maxNames`), then Bind, Describe and Execute. Returns the name it parsed ("" for the
    /// unnamed statement), if it sent a Parse.
    func append(_ sql: String, _ values: [BindValue], to messages: inout FrontendMessages) -> String? {
        let key = sql + "\u{0}" + String(decoding: values.map(\.letter), as: UTF8.self)
        var parsed: String?
        let name: String
        if let known = names[key] {
            name = known
        } else {
            if names.count < Self.maxNames {
                issued += 1
                name = "w\(issued)"
                names[key] = name
            } else {
                name = ""
            }
            parsed = name
            messages.parse(name: name, sql: sql, parameterTypes: values.map(\.typeOID))
        }
        messages.bind(statement: name, values: values)
        messages.describePortal()
        messages.execute()
        return parsed
    }

    /// Forgets the names whose Parse the server did not complete (the first `completed` of
    /// `parsed` it did): they do not exist there, and must be parsed again at their next run.
    func settle(_ parsed: [String], completed: Int) {
        guard completed < parsed.count else { return }
        let missing = Set(parsed[completed...])
        names = names.filter { !missing.contains($0.value) }
    }

    /// Closes the connection; a transaction waiting on it fails.
    func close() {
        channel.close(promise: nil)
    }
}
