import Logging
import MusterMetrics
import ServiceLifecycle

/// Runs `round` every `interval` until the task is cancelled or its service group shuts down. A
/// failed round is logged (as `name` failed, sparingly: `RoundFailures`) and the next one comes at
/// its time, so a database that is away for a while delays the engine's work but does not stop it.
func repeatRounds(
    every interval: Duration, logger: Logger, name: String, service: String, metrics: MusterMetrics, _ round: () async throws -> Void
) async {
    var failures = RoundFailures(name: name, service: service, metrics: metrics, logger: logger)
    while !Task.isCancelled && !Task.isShuttingDownGracefully {
        do {
            try await round()
            failures.succeeded()
        } catch {
            failures.failed(error)
        }
        await pause(for: interval)
    }
}

/// Sleeps for `interval`, or until the service group starts shutting down. The group stops its
/// services one after another, so a plain sleep held a stopping server for every service's
/// remaining interval (13 s with the handoff notifier's 15).
func pause(for interval: Duration) async {
    try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
}
