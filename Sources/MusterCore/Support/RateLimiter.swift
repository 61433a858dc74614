import Foundation

/// A token bucket per key (an integration, a contact address): `rate` a second on average,
/// bursts up to `burst`. Kept in memory, so each process limits on its own.
public final class RateLimiter: @unchecked Sendable {
    private struct Bucket {
        var tokens: Double
        var updated: Date
    }

    private let lock = NSLock()
    private var buckets: [String: Bucket] = [:]
    public let rate: Double
    public let burst: Double

    /// `rate` 0 turns limiting off.
    public init(rate: Double, burst: Double? = nil) {
        self.rate = rate
        self.burst = burst ?? max(rate * 10, 1)
    }

    /// Seconds until `key` has a whole token again, taking none; nil when it has one now.
    public func wait(for key: String, at now: Date) -> Double? {
        guard rate > 0 else { return nil }
        lock.lock()
        defer { lock.unlock() }
        guard let bucket = buckets[key] else { return nil }
        let tokens = min(burst, bucket.tokens + max(0, now.timeIntervalSince(bucket.updated)) * rate)
        return tokens >= 1 ? nil : (1 - tokens) / rate
    }

    /// Takes `cost` tokens for `key`; returns nil when allowed, or the seconds to wait before retrying.
    public func take(_ cost: Int, for key: String, at now: Date) -> Double? {
        guard rate > 0 else { return nil }
        lock.lock()
        defer { lock.unlock() }
        var bucket = buckets[key] ?? Bucket(tokens: burst, updated: now)
        bucket.tokens = min(burst, bucket.tokens + max(0, now.timeIntervalSince(bucket.updated)) * rate)
        bucket.updated = now
        let needed = Double(cost)
        guard bucket.tokens >= min(needed, burst) else {
            buckets[key] = bucket
            return (min(needed, burst) - bucket.tokens) / rate
        }
        bucket.tokens -= min(needed, bucket.tokens)
        buckets[key] = bucket
        return nil
    }
}
