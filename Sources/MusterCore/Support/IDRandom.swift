import Synchronization

/// Random bits for identifiers that must be unique, not secret (alert and timeline ids,
/// generated dedup keys): one process-wide xoshiro256** generator, seeded from the system's
/// random source once.
///
/// `SystemRandomNumberGenerator` makes a system call for every value, and Foundation's `UUID()`
/// opens `/dev/urandom` on Linux; both showed in ingestion profiles, two or three per alert.
/// Secrets (API tokens, integration keys) keep using the system generator.
public struct IDRandom: RandomNumberGenerator {
    private static let state = Mutex(Xoshiro256())

    public init() {}

    public mutating func next() -> UInt64 {
        Self.state.withLock { $0.next() }
    }
}

/// xoshiro256** (Blackman and Vigna): fast, with a period of 2^256 − 1.
struct Xoshiro256 {
    private var s0, s1, s2, s3: UInt64

    init() {
        var system = SystemRandomNumberGenerator()
        repeat {
            (s0, s1, s2, s3) = (system.next(), system.next(), system.next(), system.next())
        } while s0 | s1 | s2 | s3 == 0
    }

    mutating func next() -> UInt64 {
        let result = rotate(s1 &* 5, 7) &* 9
        let t = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = rotate(s3, 45)
        return result
    }

    private func rotate(_ x: UInt64, _ k: UInt64) -> UInt64 {
        (x << k) | (x >> (64 - k))
    }
}
