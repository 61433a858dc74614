import MusterCore
import MusterMetrics
import Synchronization

/// Figures gathered inside one transaction and recorded only once it has committed, so that an
/// attempt rolled back (and perhaps tried again) counts nothing.
final class MetricsTally: Sendable {
    private struct Figures {
        var pages: [String: Int] = [:]
        var opened: [Opening: Int] = [:]
        var batchAlerts: Int?
    }

    private struct Opening: Hashable {
        var severity: String
        var source: String
    }

    private let figures = Mutex(Figures())

    func pagesQueued(_ pages: [Page]) {
        figures.withLock { figures in
            for page in pages where page.handoff == nil { figures.pages[page.contact.kind.rawValue, default: 0] += 1 }
        }
    }

    /// `source` is `declared` or `alerts`.
    func incidentsOpened(_ incidents: [Incident], source: String) {
        figures.withLock { figures in
            for incident in incidents { figures.opened[Opening(severity: incident.severity, source: source), default: 0] += 1 }
        }
    }

    func ingestBatch(alerts: Int) {
        figures.withLock { $0.batchAlerts = alerts }
    }

    func report(to metrics: MusterMetrics) {
        let figures = figures.withLock { $0 }
        for (channel, count) in figures.pages { metrics.pagesQueued(channel: channel, count: count) }
        for (opening, count) in figures.opened {
            metrics.incidentsOpened(severity: opening.severity, source: opening.source, count: count)
        }
        if let alerts = figures.batchAlerts { metrics.ingestBatch(alerts: alerts) }
    }
}
