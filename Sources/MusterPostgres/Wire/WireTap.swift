import NIOCore

/// Sits in front of PostgresNIO's handler on the pipelined connection. PostgresNIO opens the
/// connection (start-up and authentication) through it; after `take()` every byte the server
/// sends comes here and none goes on, and the connection speaks only the batches `send` writes.
///
/// Bound to the channel's event loop: every method runs there.
final class WireTap: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    /// Where a batch's answer ends: after `results` statements have completed (a batch ending in
    /// Flush; an error ends it early, since the server then skips to the next Sync), or at the
    /// `readies`-th ReadyForQuery (a batch ending in Sync).
    enum End {
        case results(Int)
        case readies(Int)
    }

    /// What one statement returned.
    struct Result {
        var columns: [String] = []
        var rows: [[String?]] = []
    }

    /// The answer to one batch.
    struct Answer {
        var results: [Result] = []
        /// How many of the batch's Parse messages the server completed.
        var parsed = 0
        /// The first error the server reported.
        var error: BackendMessage.ServerError?
        /// The transaction state of the last ReadyForQuery.
        var status: UInt8?
    }

    private struct Pending {
        /// Where the answer ends; nil while only statements sent ahead are out.
        var end: End?
        var answer = Answer()
        var current = Result()
        var readies = 0
        /// Who waits for the answer; nil while only statements sent ahead are out.
        var promise: EventLoopPromise<Answer>?
        /// Who waits for the first results of the statements sent ahead (`watch`), and how many.
        var watchers: [(count: Int, promise: EventLoopPromise<Answer>)] = []
    }

    private var context: ChannelHandlerContext?
    private var taken = false
    private var inbound: ByteBuffer?
    private var pending: Pending?
    /// Why the connection can no longer be used, once it cannot.
    private(set) var broken: (any Error)?

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
    }

    /// From now on the server's bytes are read here.
    func take() {
        taken = true
    }

    /// Writes `messages` and answers once the server's reply reaches `end`. Fails when the
    /// connection is lost or the server sends what cannot be read; a statement's error is part
    /// of the answer.
    func send(_ messages: ByteBuffer, until end: End, promise: EventLoopPromise<Answer>) {
        guard let context, broken == nil, context.channel.isActive else {
            promise.fail(broken ?? ChannelError.ioOnClosedChannel)
            return
        }
        if var ahead = pending, ahead.promise == nil {
            // The answer begins with that of the statements sent ahead.
            ahead.end = end
            ahead.promise = promise
            pending = ahead
        } else if pending != nil {
            // `PostgresConnectionSource` lends the connection to one transaction at a time.
            promise.fail(WireError.busy)
            return
        } else {
            pending = Pending(end: end, promise: promise)
        }
        write(messages, context: context)
        // A statement sent ahead may have failed already: the server then skips to the next
        // Sync, and an answer that ends on results would never come.
        if let waiting = pending, case .results = end, waiting.answer.error != nil { finish(waiting) }
    }

    /// Writes statements whose answer no one waits for yet: it is read into the next `send`'s,
    /// which then fails if one of them failed. The messages end in Flush, not Sync.
    func sendAhead(_ messages: ByteBuffer) {
        guard let context, broken == nil, context.channel.isActive else {
            // The next `send` fails for the same reason.
            return
        }
        if pending == nil {
            pending = Pending()
        } else if pending?.promise != nil {
            // Its answer would be read as part of the batch in flight: the connection is lost to
            // a caller that breaks the one-transaction-at-a-time rule.
            return fail(WireError.busy, closing: true)
        }
        write(messages, context: context)
    }

    /// Answers once the first `count` results of the statements out ahead have come, or one of
    /// them failed; the statements go on being read into the next `send`'s answer.
    func watch(results count: Int, promise: EventLoopPromise<Answer>) {
        guard broken == nil, var waiting = pending else {
            promise.fail(broken ?? WireError.nothingAhead)
            return
        }
        if waiting.answer.results.count >= count || waiting.answer.error != nil {
            promise.succeed(waiting.answer)
        } else {
            waiting.watchers.append((count, promise))
            pending = waiting
        }
    }

    private func write(_ messages: ByteBuffer, context: ChannelHandlerContext) {
        let written = context.eventLoop.makePromise(of: Void.self)
        written.futureResult.assumeIsolated().whenFailure { [weak self] error in self?.fail(error, closing: true) }
        context.writeAndFlush(NIOAny(messages), promise: written)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard taken else {
            context.fireChannelRead(data)
            return
        }
        var bytes = unwrapInboundIn(data)
        if inbound == nil {
            inbound = bytes
        } else {
            inbound!.writeBuffer(&bytes)
        }
        do {
            while var buffer = inbound, let message = try BackendMessage.next(from: &buffer) {
                inbound = buffer
                handle(message)
            }
            if inbound?.readableBytes == 0 {
                inbound = nil
            } else if let start = inbound?.readerIndex, start > 1 << 16 {
                inbound?.discardReadBytes()
            }
        } catch {
            fail(error, closing: true)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        fail(broken ?? ChannelError.ioOnClosedChannel, closing: false)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        fail(error, closing: true)
        context.fireErrorCaught(error)
    }

    /// Marks the connection unusable for `error`, fails the batch waiting on it, and closes the
    /// channel, so that `isActive` tells the next transaction at once.
    private func fail(_ error: any Error, closing: Bool) {
        if broken == nil { broken = error }
        if closing { context?.close(promise: nil) }
        guard let waiting = pending else { return }
        pending = nil
        waiting.promise?.fail(error)
        for watcher in waiting.watchers { watcher.promise.fail(error) }
    }

    private func handle(_ message: BackendMessage) {
        guard var waiting = pending else {
            // Between batches the server sends only asides, or a fatal error before it closes.
            if case .error(let error) = message { fail(error, closing: true) }
            return
        }
        switch message {
        case .parseComplete:
            waiting.answer.parsed += 1
        case .bindComplete, .closeComplete, .noData, .aside:
            break
        case .rowDescription(let columns):
            waiting.current.columns = columns
        case .dataRow(let values):
            waiting.current.rows.append(values)
        case .commandComplete, .emptyQuery, .portalSuspended:
            waiting.answer.results.append(waiting.current)
            waiting.current = Result()
            if !waiting.watchers.isEmpty { answerWatchers(of: &waiting) }
        case .error(let error):
            if waiting.answer.error == nil { waiting.answer.error = error }
            // The server skips to the next Sync: the results watched for will not come.
            answerWatchers(of: &waiting)
            if error.endsSession {
                pending = waiting
                return fail(error, closing: true)
            }
            if case .results = waiting.end {
                return finish(waiting)
            }
            if waiting.end == nil {
                pending = waiting
                return
            }
        case .ready(let status):
            waiting.readies += 1
            waiting.answer.status = status
        }
        switch waiting.end {
        case .results(let count) where waiting.answer.results.count >= count:
            finish(waiting)
        case .readies(let count) where waiting.readies >= count:
            finish(waiting)
        case nil, .results, .readies:
            pending = waiting
        }
    }

    private func finish(_ waiting: Pending) {
        pending = nil
        waiting.promise?.succeed(waiting.answer)
        for watcher in waiting.watchers { watcher.promise.succeed(waiting.answer) }
    }

    /// Answers the watchers whose results have all come, or all of them once one failed.
    private func answerWatchers(of waiting: inout Pending) {
        let answer = waiting.answer
        waiting.watchers.removeAll { watcher in
            guard answer.results.count >= watcher.count || answer.error != nil else { return false }
            watcher.promise.succeed(answer)
            return true
        }
    }
}
