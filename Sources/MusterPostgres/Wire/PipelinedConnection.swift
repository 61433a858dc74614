import Logging
import NIOCore
import NIOPosix
import NIOSSL
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
    /// Kept until the connection ends: PostgresNIO expects its connection closed before it goes.
    private let postgres: PostgresConnection
    /// Names of the statements prepared on this connection; past 256, a statement is parsed at
    /// each run.
    private let names = StatementNames(limit: 256)
    /// Names parsed by statements sent ahead, whose answer comes with the next exchange's.
    private var parsedAhead: [String] = []
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

    /// Whether the connection has been idle longer than `limit` (`idleLimit` but in tests).
    func isIdle(longerThan limit: TimeAmount) -> Bool { lastAnswer + limit < .now() }

    /// Connects to `url`'s server on `loop`, within `timeout`.
    static func open(_ url: PostgresURL, on loop: any EventLoop, timeout: Duration, logger: Logger) async throws -> PipelinedConnection {
        let amount = TimeAmount(timeout)
        let bootstrap = ClientBootstrap(group: loop)
            .connectTimeout(amount)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
        let channel =
            switch url.endpoint {
            case .tcp(let host, let port): try await bootstrap.connect(host: host, port: port).get()
            case .socket(let path): try await bootstrap.connect(unixDomainSocketPath: path).get()
            }
        let tap = WireTap()
        do {
            var configuration = PostgresConnection.Configuration(
                establishedChannel: channel, tls: url.tls, username: url.username, password: url.password, database: url.database)
            // A channel opened here carries no host name: give TLS the one connected to (an IP address
            // is not a name; NIOSSL then checks the certificate against the peer's address).
            if case .tcp(let host, _) = url.endpoint, (try? SocketAddress(ipAddress: host, port: 0)) == nil {
                configuration.options.tlsServerName = host
            }
            configuration.options.additionalStartupParameters = [("plan_cache_mode", "force_generic_plan")]
            // A server that accepts the connection and then says nothing must not hold the writer.
            let giveUp = loop.scheduleTask(in: amount) { channel.close(promise: nil) }
            defer { giveUp.cancel() }
            let postgres = try await PostgresConnection.connect(on: loop, configuration: configuration, id: 0, logger: logger)
            // The tap goes in once PostgresNIO has opened the connection: next to the network, or
            // behind TLS when there is TLS, so that it reads and writes the protocol's own bytes.
            try await loop.submit {
                let pipeline = channel.pipeline.syncOperations
                if let tls = try? pipeline.handler(type: NIOSSLClientHandler.self) {
                    try pipeline.addHandler(tap, position: .after(tls))
                } else {
                    try pipeline.addHandler(tap, position: .first)
                }
                tap.take()
            }.get()
            return PipelinedConnection(channel: channel, tap: tap, postgres: postgres)
        } catch {
            try? await channel.close()
            throw error
        }
    }

    /// The messages of one round trip, and the names of the statements they parse.
    struct Batch {
        var messages = FrontendMessages()
        /// Statements run, each answered by one result.
        fileprivate(set) var statements = 0
        fileprivate(set) var parsed: [String] = []
    }

    /// Sends `batch` and waits for the server's answer to reach `end`. A statement's error is in
    /// the answer; a lost connection, or an answer that cannot be read, throws. The names whose
    /// Parse the server did not complete (it skips all after an error) are retired: they do not
    /// exist there, and their texts get new names at their next run.
    func exchange(_ batch: Batch, until end: WireTap.End) async throws -> WireTap.Answer {
        let promise = channel.eventLoop.makePromise(of: WireTap.Answer.self)
        let bytes = batch.messages.buffer
        onLoop { tap in tap.send(bytes, until: end, promise: promise) }
        let parsed = parsedAhead + batch.parsed
        parsedAhead = []
        let answer = try await promise.futureResult.get()
        for name in parsed.dropFirst(answer.parsed) where !name.isEmpty { names.retire(name) }
        lastAnswer = .now()
        return answer
    }

    /// Sends `batch`, which ends in Flush, without waiting: its answer is read with the next
    /// `exchange`'s, whose `end` counts its statements too.
    func sendAhead(_ batch: Batch) {
        let bytes = batch.messages.buffer
        parsedAhead += batch.parsed
        onLoop { tap in tap.sendAhead(bytes) }
    }

    /// Waits until the first `count` results of the statements sent ahead have come (or one of
    /// them failed), and answers with all that came so far; the statements' answer goes on being
    /// read into the next `exchange`'s.
    func results(ahead count: Int) async throws -> WireTap.Answer {
        let promise = channel.eventLoop.makePromise(of: WireTap.Answer.self)
        onLoop { tap in tap.watch(results: count, promise: promise) }
        return try await promise.futureResult.get()
    }

    /// Runs `body` with the tap on the channel's event loop: at once when already there (the
    /// ingestion writer runs there), so that what it sends keeps the order of the calls.
    private func onLoop(_ body: @escaping @Sendable (WireTap) -> Void) {
        let tap = tap
        if channel.eventLoop.inEventLoop {
            body(tap)
        } else {
            channel.eventLoop.execute { body(tap) }
        }
    }

    /// Appends the messages that run `sql` with `values` to `batch`: Parse the first time (or
    /// every time once all names are given), then Bind, Describe and Execute.
    func append(_ sql: String, _ values: [BindValue], to batch: inout Batch) {
        let types = values.map(\.typeOID)
        let name: String
        if let claimed = names.claim(sql: sql, signature: String(decoding: values.map(\.letter), as: UTF8.self)) {
            name = claimed.name
            if claimed.isNew { batch.parse(name, sql, types) }
        } else {
            name = ""
            batch.parse("", sql, types)
        }
        batch.messages.bind(statement: name, values: values)
        batch.messages.describePortal()
        batch.messages.execute()
        batch.statements += 1
    }

    /// Closes the connection; a transaction waiting on it fails.
    func close() {
        channel.close(promise: nil)
    }
}

extension PipelinedConnection.Batch {
    fileprivate mutating func parse(_ name: String, _ sql: String, _ types: [UInt32]) {
        messages.parse(name: name, sql: sql, parameterTypes: types)
        parsed.append(name)
    }
}
