import Foundation
import Synchronization

/// Lets one log line a key through per `interval` and counts the ones it holds back, so that an
/// event repeated thousands of times a second (a sender hammering an integration over its rate
/// limit) is still logged, but cannot flood the log or spend the server's time writing it.
public final class LogSampler: Sendable {
    private struct Window {
        var loggedAt: Date
        var held: Int
    }

    private let windows = Mutex<[String: Window]>([:])
    public let interval: TimeInterval

    public init(interval: TimeInterval = 60) {
        self.interval = interval
    }

    /// Whether to log this occurrence for `key`: nil to stay quiet, or else how many occurrences
    /// were held back since the last line logged.
    public func take(_ key: String, at now: Date) -> Int? {
        windows.withLock { windows in
            if var window = windows[key], now.timeIntervalSince(window.loggedAt) < interval {
                window.held += 1
                windows[key] = window
                return nil
            }
            let held = windows[key]?.held ?? 0
            windows[key] = Window(loggedAt: now, held: 0)
            return held
        }
    }
}
