import Foundation
import Logging
import MusterCore
import MusterMetrics

/// Logs an engine loop's failing rounds without flooding the log: the first failure at once, then
/// at most one line a minute saying how many went unlogged, and one line when rounds work again.
/// The loops run several times a second, so a database away for an hour logged tens of thousands
/// of identical errors.
/// Every round is counted in the metrics under the loop's `service` name.
struct RoundFailures {
    let name: String
    let service: String
    let metrics: MusterMetrics
    let logger: Logger
    private var sampler = LogSampler(interval: 60)
    private var failing = 0

    init(name: String, service: String, metrics: MusterMetrics, logger: Logger) {
        self.name = name
        self.service = service
        self.metrics = metrics
        self.logger = logger
    }

    mutating func failed(_ error: any Error) {
        metrics.engineRound(service: service, failed: true)
        failing += 1
        guard let unlogged = sampler.take(name, at: Date()) else { return }
        logger.error("\(name) failed", metadata: ["error": "\(String(reflecting: error))", "unlogged": "\(unlogged)"])
    }

    mutating func succeeded() {
        metrics.engineRound(service: service, failed: false)
        guard failing > 0 else { return }
        logger.notice("\(name) works again", metadata: ["failed_rounds": "\(failing)"])
        failing = 0
        sampler = LogSampler(interval: 60)
    }
}
