import Foundation

/// Identifiers for rows written at a high rate (alerts, timeline entries).
///
/// A random UUID as a primary key lands each insert on a random page of the index, so a commit
/// of a few thousand rows rewrites a few thousand pages. A version 7 UUID starts with the time in
/// milliseconds, so new rows go to the end of the index and a commit touches only its last pages.
public enum TimeOrderedID {
    /// A version 7 UUID (RFC 9562): 48 bits of Unix milliseconds, then random bits.
    public static func make(at now: Date) -> UUID {
        var generator = IDRandom()
        return make(at: now, using: &generator)
    }

    public static func make<G: RandomNumberGenerator>(at now: Date, using generator: inout G) -> UUID {
        let millis = UInt64(max(0, (now.timeIntervalSince1970 * 1_000).rounded(.down)))
        let high = generator.next() as UInt64
        let low = generator.next() as UInt64
        return UUID(
            uuid: (
                UInt8(truncatingIfNeeded: millis >> 40), UInt8(truncatingIfNeeded: millis >> 32),
                UInt8(truncatingIfNeeded: millis >> 24), UInt8(truncatingIfNeeded: millis >> 16),
                UInt8(truncatingIfNeeded: millis >> 8), UInt8(truncatingIfNeeded: millis),
                0x70 | UInt8(truncatingIfNeeded: high >> 56) & 0x0f, UInt8(truncatingIfNeeded: high >> 48),
                0x80 | UInt8(truncatingIfNeeded: high >> 40) & 0x3f, UInt8(truncatingIfNeeded: high >> 32),
                UInt8(truncatingIfNeeded: high >> 24), UInt8(truncatingIfNeeded: high >> 16),
                UInt8(truncatingIfNeeded: low >> 24), UInt8(truncatingIfNeeded: low >> 16),
                UInt8(truncatingIfNeeded: low >> 8), UInt8(truncatingIfNeeded: low)
            ))
    }
}
