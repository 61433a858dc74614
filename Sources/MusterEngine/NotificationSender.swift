import Foundation
import Logging
import MusterCore
import MusterMetrics
import MusterStore
import ServiceLifecycle
import Synchronization

/// Delivers pending notifications: claim, send, record; failures retry with exponential backoff
/// and jitter, and are given up (dead-lettered, noted on the timeline) after `maxAttempts`.
public struct NotificationSender: Service {
    let store: any PagingStore
    let channels: [ContactMethod.Kind: any NotificationChannel]
    let maxAttempts: Int
    let baseDelay: TimeInterval
    let interval: Duration
    let now: @Sendable () -> Date
    let logger: Logger
    /// Rate limit stage: pages per contact address, so a storm cannot flood one person's phone.
    let perContact: RateLimiter
    /// Deliveries in flight at once while running; a slow receiver holds one slot, not the rest.
    let maxInFlight: Int
    let metrics: MusterMetrics

    public init(
        store: any PagingStore, channels: [ContactMethod.Kind: any NotificationChannel], maxAttempts: Int = 5,
        baseDelay: TimeInterval = 10, interval: Duration = .milliseconds(100), now: @escaping @Sendable () -> Date = { Date() },
        perContact: RateLimiter = RateLimiter(rate: 0), maxInFlight: Int = 2_000, logger: Logger,
        metrics: MusterMetrics = .none
    ) {
        self.metrics = metrics
        self.perContact = perContact
        self.store = store
        self.channels = channels
        self.maxAttempts = maxAttempts
        self.baseDelay = baseDelay
        self.interval = interval
        self.now = now
        self.maxInFlight = maxInFlight
        self.logger = logger
    }

    /// Seconds before attempt `attempts + 1`: base × 2^(attempts−1), at most an hour, ±20 %.
    public static func backoff(attempts: Int, base: TimeInterval, jitter: Double) -> TimeInterval {
        let raw = min(base * pow(2, Double(max(attempts - 1, 0))), 3_600)
        return raw * (1 + 0.2 * (2 * jitter - 1))
    }

    /// Pages claimed at once by `runOnce`.
    static let batch = 100
    /// Pages claimed at once by the running pipeline: each claim waits its turn for the database
    /// behind the escalation engine, so a bigger claim keeps delivery ahead of paging.
    static let pipelineBatch = 1_000

    /// Sends everything due now and waits for every delivery; returns the notifications as they ended up.
    @discardableResult
    public func runOnce() async throws -> [Page] {
        let due = try await store.claimNotifications(at: now(), limit: Self.batch, lease: 60)
        guard !due.isEmpty else { return [] }
        let results = await withTaskGroup(of: PageResult.self) { group in
            for page in due {
                let wait = perContact.take(1, for: page.contact.address, at: now())
                group.addTask { await deliver(page, rateLimitWait: wait) }
            }
            return await group.reduce(into: [PageResult]()) { $0.append($1) }
        }
        return reportDead(try await store.completeNotifications(results, at: now(), maxAttempts: maxAttempts))
    }

    /// Logs every page given up, with whom and what it was for, so that an operator watching
    /// the log sees a pager that cannot reach someone; returns the pages.
    @discardableResult
    func reportDead(_ pages: [Page]) -> [Page] {
        for page in pages where page.status == .dead {
            metrics.pageDeadLettered(channel: page.contact.kind.rawValue)
            logger.warning(
                "page given up: nobody was reached through this contact method",
                metadata: metadata(of: page).merging(["attempts": "\(page.attempts)"]) { $1 })
        }
        return pages
    }

    /// What a log line about a page names: the incident, the person, the channel and the address's kind.
    private func metadata(of page: Page) -> Logger.Metadata {
        [
            "incident": "\(page.incidentReference)", "user": "\(page.user)", "channel": "\(page.contact.kind.rawValue)",
            "page": "\(page.id.uuidString)",
        ]
    }

    /// One delivery attempt through the page's channel, with the retry delay should it fail.
    func deliver(_ page: Page, rateLimitWait wait: TimeInterval?) async -> PageResult {
        let result: DeliveryResult
        if let wait {
            result = .deferred(max(wait, 1))
        } else if let channel = channels[page.contact.kind] {
            result = await channel.deliver(page, at: now())
        } else {
            result = .impossible("no \(page.contact.kind.rawValue) channel is configured on this server")
        }
        switch result {
        case .delivered:
            metrics.pageSent(channel: page.contact.kind.rawValue, lagSeconds: now().timeIntervalSince(page.dueAt))
        case .failed(let reason), .impossible(let reason):
            metrics.pageFailed(channel: page.contact.kind.rawValue)
            logger.warning(
                "page delivery failed",
                metadata: metadata(of: page).merging(["attempt": "\(page.attempts + 1)", "reason": "\(reason)"]) { $1 })
        case .deferred:
            break
        }
        let delay = Self.backoff(attempts: page.attempts + 1, base: baseDelay, jitter: Double.random(in: 0...1))
        return PageResult(page: page, result: result, retryAfter: delay)
    }

    /// A pipeline: claims while there are free slots, delivers each page in its own task, and
    /// records finished deliveries in batches, so one slow receiver never holds up the others.
    public func run() async throws {
        let finished = Deliveries()
        var failures = RoundFailures(name: "notification cycle", service: "delivery", metrics: metrics, logger: logger)
        await withDiscardingTaskGroup { group in
            while !Task.isCancelled && !Task.isShuttingDownGracefully {
                var busy = false
                do {
                    let (done, inFlight) = finished.state.withLock { state in
                        defer { state.results.removeAll(keepingCapacity: true) }
                        return (state.results, state.inFlight)
                    }
                    if !done.isEmpty {
                        busy = true
                        do {
                            reportDead(try await store.completeNotifications(done, at: now(), maxAttempts: maxAttempts))
                        } catch {
                            // Keep the results for the next turn: dropped, the pages would be sent again after their lease.
                            finished.state.withLock { $0.results.insert(contentsOf: done, at: 0) }
                            throw error
                        }
                    }
                    let room = min(maxInFlight - inFlight, Self.pipelineBatch)
                    if room > 0 {
                        let due = try await store.claimNotifications(at: now(), limit: room, lease: 60)
                        busy = busy || !due.isEmpty
                        finished.state.withLock { $0.inFlight += due.count }
                        for page in due {
                            let wait = perContact.take(1, for: page.contact.address, at: now())
                            group.addTask {
                                let result = await deliver(page, rateLimitWait: wait)
                                finished.state.withLock { state in
                                    state.results.append(result)
                                    state.inFlight -= 1
                                }
                            }
                        }
                    }
                    failures.succeeded()
                } catch {
                    failures.failed(error)
                }
                // While pages flow, come back soon to record them in batches; when idle, poll.
                await pause(for: busy ? .milliseconds(5) : interval)
            }
        }
        // The group has waited for the deliveries under way: record them before stopping.
        let done = finished.state.withLock { $0.results }
        if !done.isEmpty, let pages = try? await store.completeNotifications(done, at: now(), maxAttempts: maxAttempts) {
            reportDead(pages)
        }
    }
}

/// Deliveries finished but not yet recorded, and how many are still under way.
final class Deliveries: Sendable {
    let state = Mutex<(results: [PageResult], inFlight: Int)>(([], 0))
}
