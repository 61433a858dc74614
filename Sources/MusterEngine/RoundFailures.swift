import Foundation
import Logging
import MusterCore

/// Logs an engine loop's failing rounds without flooding the log: the first failure at once, then
/// at most one line a minute saying how many went unlogged, and one line when rounds work again.
/// The loops run several times a second, so a database away for an hour logged tens of thousands
/// of identical errors.
struct RoundFailures {
    let name: String
    let logger: Logger
    private var sampler = LogSampler(interval: 60)
    private var failing = 0

    init(name: String, logger: Logger) {
        self.name = name
        self.logger = logger
    }

    mutating func failed(_ error: any Error) {
        failing += 1
        guard let unlogged = sampler.take(name, at: Date()) else { return }
        logger.error("\(name) failed", metadata: ["error": "\(String(reflecting: error))", "unlogged": "\(unlogged)"])
    }

    mutating func succeeded() {
        guard failing > 0 else { return }
        logger.notice("\(name) works again", metadata: ["failed_rounds": "\(failing)"])
        failing = 0
        sampler = LogSampler(interval: 60)
    }
}
