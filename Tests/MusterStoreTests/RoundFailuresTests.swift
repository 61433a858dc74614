import Foundation
import Logging
import Synchronization
import Testing

@testable import MusterEngine

/// The lines a logger wrote, kept for the test to read.
final class CapturedLog: Sendable {
    let lines = Mutex<[(level: Logger.Level, message: String, metadata: Logger.Metadata)]>([])

    var logger: Logger {
        Logger(label: "test") { _ in Handler(log: self) }
    }

    struct Handler: LogHandler {
        let log: CapturedLog
        var logLevel: Logger.Level = .trace
        var metadata: Logger.Metadata = [:]
        var metadataProvider: Logger.MetadataProvider?

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            log.lines.withLock { $0.append((event.level, "\(event.message)", event.metadata ?? [:])) }
        }
    }
}

@Suite("Engine loop failures in the log")
struct RoundFailuresTests {
    @Test("a loop failing many times a second logs its first failure, its recovery, and a new failure at once")
    func sparing() {
        // given
        let captured = CapturedLog()
        var failures = RoundFailures(name: "escalation cycle", service: "escalation", metrics: .none, logger: captured.logger)
        struct DatabaseAway: Error {}
        // when: 300 failed rounds, then one that works, then a failure again
        for _ in 0..<300 { failures.failed(DatabaseAway()) }
        failures.succeeded()
        failures.succeeded()
        failures.failed(DatabaseAway())
        // then
        let lines = captured.lines.withLock { $0 }
        #expect(lines.map(\.message) == ["escalation cycle failed", "escalation cycle works again", "escalation cycle failed"])
        #expect(lines.map(\.level) == [.error, .notice, .error])
        #expect(lines[1].metadata["failed_rounds"] == "300")
        #expect(lines[0].metadata["unlogged"] == "0")
    }
}
