import CoreMetrics
import Foundation
import Prometheus

/// The server's metrics in the Prometheus text format: one registry per server, so that servers
/// in one process (tests) never mix their figures, fed through swift-metrics by `metrics`.
public final class PrometheusExport: Sendable {
    let registry = PrometheusCollectorRegistry()

    public init(version: String) {
        registry.makeGauge(descriptor: Self.descriptor(.buildInfo), labels: [("version", version)]).set(to: 1)
    }

    /// Records into this export.
    public var metrics: MusterMetrics { MusterMetrics(factory: HelpfulFactory(registry: registry)) }

    /// Sets a gauge whose value is read when scraped (from the database, say).
    public func set(_ name: MetricName, _ labels: [(String, String)] = [], to value: Double) {
        registry.makeGauge(descriptor: Self.descriptor(name), labels: labels).set(to: value)
    }

    /// Everything recorded so far, as a scrape answers it.
    public func text() -> String { registry.emitToString() }

    static func descriptor(_ name: MetricName) -> MetricNameDescriptor {
        MetricNameDescriptor(metricName: name.rawValue, unitName: "", helpText: name.help)
    }
}

/// swift-metrics' factory over a Prometheus registry that also writes each metric's `# HELP`
/// line and buckets, which swift-prometheus' own factory leaves out.
struct HelpfulFactory: MetricsFactory {
    let registry: PrometheusCollectorRegistry

    private func descriptor(_ label: String) -> MetricNameDescriptor {
        MetricNameDescriptor(metricName: label, unitName: "", helpText: MetricName(rawValue: label)?.help ?? "")
    }

    func makeCounter(label: String, dimensions: [(String, String)]) -> any CounterHandler {
        registry.makeCounter(descriptor: descriptor(label), labels: dimensions)
    }

    func makeFloatingPointCounter(label: String, dimensions: [(String, String)]) -> any FloatingPointCounterHandler {
        registry.makeCounter(descriptor: descriptor(label), labels: dimensions)
    }

    func makeRecorder(label: String, dimensions: [(String, String)], aggregate: Bool) -> any RecorderHandler {
        guard aggregate else { return registry.makeGauge(descriptor: descriptor(label), labels: dimensions) }
        let buckets = MetricName(rawValue: label)?.valueBuckets ?? [1, 10, 100, 1_000]
        return registry.makeValueHistogram(descriptor: descriptor(label), labels: dimensions, buckets: buckets)
    }

    func makeMeter(label: String, dimensions: [(String, String)]) -> any MeterHandler {
        registry.makeGauge(descriptor: descriptor(label), labels: dimensions)
    }

    func makeTimer(label: String, dimensions: [(String, String)]) -> any TimerHandler {
        let seconds = MetricName(rawValue: label)?.durationBuckets ?? [0.01, 0.1, 1, 10]
        return registry.makeDurationHistogram(
            descriptor: descriptor(label), labels: dimensions, buckets: seconds.map { .nanoseconds(Int64($0 * 1e9)) })
    }

    func destroyCounter(_ handler: any CounterHandler) {
        if let counter = handler as? Prometheus.Counter { registry.unregisterCounter(counter) }
    }

    func destroyFloatingPointCounter(_ handler: any FloatingPointCounterHandler) {
        if let counter = handler as? Prometheus.Counter { registry.unregisterCounter(counter) }
    }

    func destroyRecorder(_ handler: any RecorderHandler) {
        if let gauge = handler as? Prometheus.Gauge { registry.unregisterGauge(gauge) }
        if let histogram = handler as? ValueHistogram { registry.unregisterValueHistogram(histogram) }
    }

    func destroyMeter(_ handler: any MeterHandler) {
        if let gauge = handler as? Prometheus.Gauge { registry.unregisterGauge(gauge) }
    }

    func destroyTimer(_ handler: any TimerHandler) {
        if let histogram = handler as? DurationHistogram { registry.unregisterDurationHistogram(histogram) }
    }
}
