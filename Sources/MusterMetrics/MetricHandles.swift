import CoreMetrics
import Synchronization

/// The counters and timers made so far, by name and dimensions. Making one through the Prometheus
/// factory takes its registry's lock and builds its label text; done for every request, that was
/// a few per cent of an alert storm's time. The dimensions are bounded (route patterns, statuses,
/// kinds), and so is this.
final class MetricHandles: Sendable {
    private let counters = Mutex<[String: Counter]>([:])
    private let timers = Mutex<[String: Timer]>([:])

    private static func key(_ label: String, _ dimensions: [(String, String)]) -> String {
        dimensions.reduce(into: label) { key, dimension in
            key += "\u{1}\(dimension.0)\u{2}\(dimension.1)"
        }
    }

    func counter(_ label: String, _ dimensions: [(String, String)], factory: any MetricsFactory) -> Counter {
        let key = Self.key(label, dimensions)
        return counters.withLock { made in
            if let counter = made[key] { return counter }
            let counter = Counter(label: label, dimensions: dimensions, factory: factory)
            made[key] = counter
            return counter
        }
    }

    func timer(_ label: String, _ dimensions: [(String, String)], factory: any MetricsFactory) -> Timer {
        let key = Self.key(label, dimensions)
        return timers.withLock { made in
            if let timer = made[key] { return timer }
            let timer = Timer(label: label, dimensions: dimensions, factory: factory)
            made[key] = timer
            return timer
        }
    }
}
