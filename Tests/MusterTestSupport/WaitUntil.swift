import Foundation

/// Polls `condition` every 50 ms until it holds; fails with `TimedOut` when it has not held within
/// `seconds`.
public func waitUntil(_ what: String = "the condition", seconds: Double, _ condition: () async throws -> Bool) async throws {
    let deadline = Date().addingTimeInterval(seconds)
    while try await !condition() {
        guard Date() < deadline else { throw TimedOut(what: what, seconds: seconds) }
        try await Task.sleep(for: .milliseconds(50))
    }
}

/// Something a test waited for did not happen in time.
public struct TimedOut: Error, CustomStringConvertible {
    public var what: String
    public var seconds: Double
    public var description: String { "\(what) did not happen within \(Int(seconds)) s" }
}
