import Foundation
import Logging
import MusterCore
import MusterStore
import ServiceLifecycle

/// Delivers pending notifications: claim, send, record; failures retry with exponential backoff
/// and jitter, and are given up (dead-lettered, noted on the timeline) after `maxAttempts`.
public struct NotificationSender: Service {
    let store: any Store
    let channels: [ContactMethod.Kind: any NotificationChannel]
    let maxAttempts: Int
    let baseDelay: TimeInterval
    let interval: Duration
    let now: @Sendable () -> Date
    let logger: Logger
    /// Rate limit stage: pages per contact address, so a storm cannot flood one person's phone.
    let perContact: RateLimiter

    public init(
        store: any Store, channels: [ContactMethod.Kind: any NotificationChannel], maxAttempts: Int = 5,
        baseDelay: TimeInterval = 10, interval: Duration = .milliseconds(500), now: @escaping @Sendable () -> Date = { Date() },
        perContact: RateLimiter = RateLimiter(rate: 0), logger: Logger
    ) {
        self.perContact = perContact
        self.store = store
        self.channels = channels
        self.maxAttempts = maxAttempts
        self.baseDelay = baseDelay
        self.interval = interval
        self.now = now
        self.logger = logger
    }

    /// Seconds before attempt `attempts + 1`: base × 2^(attempts−1), at most an hour, ±20 %.
    public static func backoff(attempts: Int, base: TimeInterval, jitter: Double) -> TimeInterval {
        let raw = min(base * pow(2, Double(max(attempts - 1, 0))), 3_600)
        return raw * (1 + 0.2 * (2 * jitter - 1))
    }

    /// Sends everything due now; returns the notifications as they ended up.
    @discardableResult
    public func runOnce() async throws -> [Page] {
        let due = try await store.claimNotifications(at: now(), limit: Self.batch, lease: 60)
        guard !due.isEmpty else { return [] }
        let results = await withTaskGroup(of: PageResult.self) { group in
            for page in due {
                let wait = perContact.take(1, for: page.contact.address, at: now())
                group.addTask {
                    let result: DeliveryResult
                    if let wait {
                        result = .deferred(max(wait, 1))
                    } else if let channel = channels[page.contact.kind] {
                        result = await channel.deliver(page, at: now())
                    } else {
                        result = .impossible("no \(page.contact.kind.rawValue) channel is configured on this server")
                    }
                    let delay = Self.backoff(attempts: page.attempts + 1, base: baseDelay, jitter: Double.random(in: 0...1))
                    return PageResult(id: page.id, result: result, retryAfter: delay)
                }
            }
            return await group.reduce(into: [PageResult]()) { $0.append($1) }
        }
        return try await store.completeNotifications(results, at: now(), maxAttempts: maxAttempts)
    }

    /// Pages claimed and sent concurrently in one cycle.
    static let batch = 100

    public func run() async throws {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            do {
                // A full batch means more are waiting: go again at once instead of sleeping.
                if try await runOnce().count == Self.batch { continue }
            } catch {
                logger.error("notification cycle failed", metadata: ["error": "\(String(reflecting: error))"])
            }
            try? await Task.sleep(for: interval)
        }
    }
}
