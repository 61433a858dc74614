import Logging
import NIOCore
import NIOHTTPTypes

/// Deadlines that keep slow clients from holding connections: a request's head must arrive
/// within `headTimeout` of its first byte, and its body at `minimumBodyRate` bytes a second or
/// faster, judged over windows as long as `headTimeout`. Without them, sockets that drip a byte now and then
/// hold their connection (and with the connection limits, everyone else's) for as long as they
/// like. Only time in which the server waits to read counts against a body: a handler that has not
/// yet asked for the body does not make its client slow.
public struct SlowClientLimits: Sendable {
    public var headTimeout: TimeAmount
    /// Bytes a second; 0 checks no body rate.
    public var minimumBodyRate: Int
    var window: TimeAmount { headTimeout }

    public init(headTimeout: TimeAmount = .seconds(10), minimumBodyRate: Int = 500) {
        self.headTimeout = headTimeout
        self.minimumBodyRate = minimumBodyRate
    }

    /// The handlers for one new connection's pipeline.
    public func handler(logger: Logger) -> any RemovableChannelHandler {
        RequestProgress(limits: self, logger: logger)
    }
}

/// Watches a connection's requests (after HTTP decoding) and, through `ByteWatcher` at the front
/// of the pipeline, its raw bytes and the server's reads.
final class RequestProgress: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    private enum Phase {
        /// Waiting for the next request's first byte; the idle timeout applies.
        case between
        /// Its first byte came; the head is due by the deadline.
        case head
        /// The head came; the body arrives while the server reads it.
        case body
        /// The request is in; the server answers.
        case answering
    }

    let limits: SlowClientLimits
    let logger: Logger
    private var phase = Phase.between
    private var deadline: Scheduled<Void>?
    private var check: RepeatedTask?
    private var watcher: ByteWatcher?
    private var bodyBytes = 0
    private var waited = TimeAmount.zero
    private var waitingSince: NIODeadline?

    init(limits: SlowClientLimits, logger: Logger) {
        self.limits = limits
        self.logger = logger
    }

    func handlerAdded(context: ChannelHandlerContext) {
        let watcher = ByteWatcher(owner: self)
        self.watcher = watcher
        try? context.pipeline.syncOperations.addHandler(watcher, position: .first)
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        stopTimers()
        if let watcher { _ = context.pipeline.syncOperations.removeHandler(watcher) }
        watcher = nil
    }

    /// Bytes came off the socket.
    func arrived(_ count: Int, context: ChannelHandlerContext) {
        if let since = waitingSince {
            waited = waited + (.now() - since)
            waitingSince = nil
        }
        switch phase {
        case .between:
            phase = .head
            deadline = context.eventLoop.scheduleTask(in: limits.headTimeout) { [weak self] in
                guard let self, self.phase == .head else { return }
                self.cut(context, "its request head did not arrive within \(Self.seconds(self.limits.headTimeout))")
            }
        case .body: bodyBytes += count
        case .head, .answering: break
        }
    }

    /// The server asked for more bytes.
    func reading() {
        if waitingSince == nil { waitingSince = .now() }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head:
            deadline?.cancel()
            deadline = nil
            phase = .body
            startBodyChecks(context)
        case .body: break
        case .end:
            check?.cancel()
            check = nil
            phase = .answering
        }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = unwrapOutboundIn(data) {
            // Answered before the body was all in (an early refusal): its rest is not waited for.
            stopTimers()
            phase = .between
        }
        context.write(data, promise: promise)
    }

    private func startBodyChecks(_ context: ChannelHandlerContext) {
        guard limits.minimumBodyRate > 0 else { return }
        bodyBytes = 0
        waited = .zero
        let window = limits.window
        let minimum = Int(Int64(limits.minimumBodyRate) * window.nanoseconds / 1_000_000_000)
        check = context.eventLoop.scheduleRepeatedTask(initialDelay: window, delay: window) { [weak self] _ in
            guard let self, self.phase == .body else { return }
            var waited = self.waited
            if let since = self.waitingSince {
                waited = waited + (.now() - since)
                self.waitingSince = .now()
            }
            // Slow only when the server waited for most of the window and little came.
            if self.bodyBytes < minimum, waited.nanoseconds * 2 >= window.nanoseconds {
                self.cut(context, "its request body came slower than \(self.limits.minimumBodyRate) bytes a second")
            }
            self.bodyBytes = 0
            self.waited = .zero
        }
    }

    private func cut(_ context: ChannelHandlerContext, _ reason: String) {
        stopTimers()
        let client = context.channel.remoteAddress?.ipAddress ?? "unknown"
        logger.debug("closed a connection from \(client): \(reason)")
        context.close(promise: nil)
    }

    private func stopTimers() {
        deadline?.cancel()
        deadline = nil
        check?.cancel()
        check = nil
    }

    private static func seconds(_ amount: TimeAmount) -> String {
        "\(Double(amount.nanoseconds) / 1e9) s"
    }
}

/// At the front of the pipeline: tells `RequestProgress` when bytes arrive and when the server
/// asks for more.
final class ByteWatcher: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundIn = Any
    typealias OutboundOut = Any

    private unowned let owner: RequestProgress

    init(owner: RequestProgress) {
        self.owner = owner
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        owner.arrived(unwrapInboundIn(data).readableBytes, context: context)
        context.fireChannelRead(data)
    }

    func read(context: ChannelHandlerContext) {
        owner.reading()
        context.read()
    }
}
