import Foundation
import Logging
import MusterCore
import NIOCore
import Synchronization

/// Open connections, per client address and in all, each with a limit. One sender that opens
/// connections without end (a retry loop gone wrong, a scan) cannot crowd out other senders, and
/// many senders together cannot take every file descriptor the server has, which its database
/// connections and outbound pages need too.
///
/// Each accepted connection gets a `handler()`; a connection past a limit is closed before a
/// byte of it is read. A client whose connection is closed retries later, as it does after any
/// connection failure.
public final class ConnectionLimits: Sendable {
    /// Connections one address may hold open at once; 0 means no limit.
    public let perClient: Int
    /// Connections all addresses together may hold open at once; 0 means no limit.
    public let total: Int
    /// Reverse proxies: each carries many clients' requests, so the per-client limit does not
    /// apply to them (the total one does).
    public let proxies: Set<String>
    private let open = Mutex<OpenConnections>(OpenConnections())
    private let refusals = LogSampler()
    private let logger: Logger

    private struct OpenConnections {
        var byClient: [String: Int] = [:]
        var total = 0
    }

    /// Which limit a refused connection met.
    enum Refusal {
        case client
        case server
    }

    public init(perClient: Int, total: Int, proxies: Set<String> = [], logger: Logger) {
        self.perClient = perClient
        self.total = total
        self.proxies = proxies
        self.logger = logger
    }

    /// A handler for one new connection's pipeline.
    public func handler() -> any RemovableChannelHandler {
        Handler(owner: self)
    }

    /// Counts a new connection of `client`, or says which limit it would pass (and counts nothing).
    func admit(_ client: String) -> Refusal? {
        open.withLock { open in
            guard total == 0 || open.total < total else { return .server }
            let now = open.byClient[client] ?? 0
            guard perClient == 0 || now < perClient || proxies.contains(client) else { return .client }
            open.byClient[client] = now + 1
            open.total += 1
            return nil
        }
    }

    func release(_ client: String) {
        open.withLock { open in
            guard let now = open.byClient[client] else { return }
            open.byClient[client] = now > 1 ? now - 1 : nil
            open.total -= 1
        }
    }

    func refused(_ client: String, _ refusal: Refusal) {
        // Refusals for the server's limit come from many addresses: one line a minute for all.
        guard let held = refusals.take(refusal == .server ? "" : client, at: Date()) else { return }
        let more = held > 0 ? " (\(held) more since the last such line)" : ""
        switch refusal {
        case .client:
            logger.warning(
                "Closed a connection from \(client): it already holds \(perClient) open connections (listen.max_connections_per_client)\(more)."
            )
        case .server:
            logger.warning(
                "Closed a connection from \(client): the server already holds \(total) open connections from all clients (listen.max_connections)\(more)."
            )
        }
    }

    /// Counts its connection while it is in the pipeline.
    private final class Handler: ChannelInboundHandler, RemovableChannelHandler {
        typealias InboundIn = NIOAny
        let owner: ConnectionLimits
        private var client: String?

        init(owner: ConnectionLimits) {
            self.owner = owner
        }

        func handlerAdded(context: ChannelHandlerContext) {
            // A connection that closed before its pipeline was set up has no address left.
            let address = context.channel.remoteAddress?.ipAddress ?? "unknown"
            if let refusal = owner.admit(address) {
                owner.refused(address, refusal)
                context.close(promise: nil)
            } else {
                client = address
            }
        }

        func handlerRemoved(context: ChannelHandlerContext) {
            if let client { owner.release(client) }
            client = nil
        }
    }
}
