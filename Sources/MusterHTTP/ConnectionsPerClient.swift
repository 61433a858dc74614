import Foundation
import Logging
import MusterCore
import NIOCore
import Synchronization

/// Open connections per client address, with a limit: one sender that opens connections without
/// end (a retry loop gone wrong, a scan) cannot take every file descriptor the server has, which
/// its database connections and outbound pages need too, nor crowd out other senders.
///
/// Each accepted connection gets a `handler()`; a connection past the limit is closed before a
/// byte of it is read. A client whose connection is closed retries later, as it does after any
/// connection failure.
public final class ConnectionsPerClient: Sendable {
    /// Connections one address may hold open at once; 0 means no limit.
    public let limit: Int
    private let open = Mutex<[String: Int]>([:])
    private let refusals = LogSampler()
    private let logger: Logger

    public init(limit: Int, logger: Logger) {
        self.limit = limit
        self.logger = logger
    }

    /// A handler for one new connection's pipeline.
    public func handler() -> any RemovableChannelHandler {
        Handler(owner: self)
    }

    /// Counts a new connection of `client`: false, and not counted, when it would pass the limit.
    func admit(_ client: String) -> Bool {
        open.withLock { open in
            let now = open[client] ?? 0
            guard limit == 0 || now < limit else { return false }
            open[client] = now + 1
            return true
        }
    }

    func release(_ client: String) {
        open.withLock { open in
            guard let now = open[client] else { return }
            open[client] = now > 1 ? now - 1 : nil
        }
    }

    func refused(_ client: String) {
        guard let held = refusals.take(client, at: Date()) else { return }
        let more = held > 0 ? " (\(held) more since the last such line)" : ""
        logger.warning("Closed a connection from \(client): it already holds \(limit) open connections (listen.max_connections_per_client)\(more).")
    }

    /// Counts its connection while it is in the pipeline.
    private final class Handler: ChannelInboundHandler, RemovableChannelHandler {
        typealias InboundIn = NIOAny
        let owner: ConnectionsPerClient
        private var client: String?

        init(owner: ConnectionsPerClient) {
            self.owner = owner
        }

        func handlerAdded(context: ChannelHandlerContext) {
            // A connection that closed before its pipeline was set up has no address left.
            let address = context.channel.remoteAddress?.ipAddress ?? "unknown"
            if owner.admit(address) {
                client = address
            } else {
                owner.refused(address)
                context.close(promise: nil)
            }
        }

        func handlerRemoved(context: ChannelHandlerContext) {
            if let client { owner.release(client) }
            client = nil
        }
    }
}
