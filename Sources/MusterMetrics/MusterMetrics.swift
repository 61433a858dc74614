import CoreMetrics
import Foundation

/// What Muster measures, in its own words: each method records one event through swift-metrics,
/// into whichever factory the server was given (`PrometheusExport` in production, nothing in
/// tests that do not look).
public struct MusterMetrics: Sendable {
    let factory: any MetricsFactory
    private let handles = MetricHandles()

    public init(factory: any MetricsFactory) {
        self.factory = factory
    }

    /// Records nothing.
    public static let none = MusterMetrics(factory: NOOPMetricsHandler.instance)

    private func count(_ name: MetricName, _ dimensions: [(String, String)] = [], by amount: Int = 1) {
        handles.counter(name.rawValue, dimensions, factory: factory).increment(by: amount)
    }

    private func time(_ name: MetricName, _ dimensions: [(String, String)] = [], seconds: Double) {
        handles.timer(name.rawValue, dimensions, factory: factory).recordNanoseconds(Int64(max(seconds, 0) * 1e9))
    }

    /// One HTTP request answered; `route` is the route's pattern, never the raw path.
    public func httpRequest(method: String, route: String, status: Int, seconds: Double) {
        count(.httpRequests, [("method", method), ("route", route), ("status", String(status))])
        time(.httpRequestDuration, [("method", method), ("route", route)], seconds: seconds)
    }

    public func alertsAccepted(kind: String, count events: Int) {
        count(.alertsAccepted, [("kind", kind)], by: events)
    }

    public func alertRequestRefused(kind: String, reason: String) {
        count(.alertRequestsRefused, [("kind", kind), ("reason", reason)])
    }

    public func ingestBatch(alerts: Int) {
        Recorder(label: MetricName.ingestBatchAlerts.rawValue, factory: factory).record(alerts)
    }

    /// `source` is `declared` or `alerts`.
    public func incidentsOpened(severity: String, source: String, count incidents: Int = 1) {
        count(.incidentsOpened, [("severity", severity), ("source", source)], by: incidents)
    }

    public func pagesQueued(channel: String, count pages: Int = 1) {
        count(.pagesQueued, [("channel", channel)], by: pages)
    }

    /// A page delivered `lagSeconds` after it fell due.
    public func pageSent(channel: String, lagSeconds: Double) {
        count(.pagesSent, [("channel", channel)])
        time(.pageLag, seconds: lagSeconds)
    }

    public func pageFailed(channel: String) { count(.pagesFailed, [("channel", channel)]) }

    public func pageDeadLettered(channel: String) { count(.pagesDeadLettered, [("channel", channel)]) }

    /// One round of an engine service; `service` is its short name (`escalation`, `delivery` …).
    public func engineRound(service: String, failed: Bool) {
        count(.engineRounds, [("service", service)])
        if failed { count(.engineRoundFailures, [("service", service)]) }
    }

    /// A database operation failed through no fault of the request; `kind` is `unavailable`,
    /// `contention` or `corrupt`.
    public func databaseError(_ kind: String) { count(.databaseErrors, [("kind", kind)]) }

    /// Time waited for a connection; `work` is `read` or `transaction`.
    public func databaseWait(work: String, seconds: Double) {
        time(.databaseWait, [("work", work)], seconds: seconds)
    }
}
