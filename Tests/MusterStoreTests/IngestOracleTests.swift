import Foundation
import MusterCore
import MusterStore
import MusterTestSupport
import Testing

/// One oracle for ingestion: random sequences of alert events, applied through the group commit
/// (several requests in one transaction, pipelined on PostgreSQL) on one store and one event at a
/// time on another, must leave the same alerts, incidents and timelines. Seeded, and shrunk to
/// the fewest steps that still differ when a sequence fails.
@Suite("Ingestion oracle", .serialized)
struct IngestOracleTests {
    /// A step of a generated history.
    enum Step: CustomStringConvertible {
        /// Requests that arrive together: each an integration's events.
        case requests([[AlertEvent]])
        case advance(seconds: Int)
        /// A new grouping policy for the service.
        case policy(groupBy: [String], windowSeconds: Int, autoResolve: Bool)
        case silence(team: String, seconds: Int)

        var description: String {
            switch self {
            case .requests(let requests):
                "requests "
                    + requests.map {
                        $0.map { "\($0.action.rawValue) \($0.dedupKey) \($0.severity.rawValue) \($0.labels)" }.joined(separator: ", ")
                    }
                    .joined(separator: " | ")
            case .advance(let seconds): "advance \(seconds)s"
            case .policy(let groupBy, let window, let autoResolve): "policy groupBy \(groupBy) window \(window)s autoResolve \(autoResolve)"
            case .silence(let team, let seconds): "silence team=\(team) for \(seconds)s"
            }
        }
    }

    static func history(seed: UInt64, steps: Int) -> [Step] {
        var random = SeededRandom(seed: seed)
        let keys = (0..<6).map { "k\($0)" }
        let teams = ["db", "web"]
        let severities: [AlertSeverity] = [.critical, .error, .warning, .info]
        func event() -> AlertEvent {
            let key = keys.randomElement(using: &random)!
            let team = teams[Int(key.dropFirst())! % 2]
            let action: AlertAction = Int.random(in: 0..<10, using: &random) < 7 ? .trigger : .resolve
            return AlertEvent(
                action: action, dedupKey: key, summary: "Alert \(key)", source: "oracle",
                severity: severities.randomElement(using: &random)!,
                labels: ["team": team, "alertname": "A\(Int(key.dropFirst())! % 3)"])
        }
        return (0..<steps).map { _ in
            switch Int.random(in: 0..<20, using: &random) {
            case 0..<13:
                return .requests(
                    (0..<Int.random(in: 1...4, using: &random)).map { _ in (0..<Int.random(in: 1...3, using: &random)).map { _ in event() }
                    })
            case 13..<16:
                return .advance(seconds: [30, 90, 400].randomElement(using: &random)!)
            case 16..<18:
                return .policy(
                    groupBy: [[], ["team"], ["alertname"]].randomElement(using: &random)!,
                    windowSeconds: [60, 300, 3_600].randomElement(using: &random)!,
                    autoResolve: Bool.random(using: &random))
            default:
                return .silence(team: teams.randomElement(using: &random)!, seconds: [60, 600].randomElement(using: &random)!)
            }
        }
    }

    /// Plays `steps` on a new service of `store`: each step's requests in one transaction when
    /// `together`, else one event per transaction; returns the service's state, canonical.
    static func play(_ steps: [Step], on store: any Store, service: String, together: Bool, start: Date) async throws -> [String] {
        var now = start
        _ = try await store.createService(ServiceRecord(id: service, name: service, createdAt: now))
        let integration = try await store.createIntegration(service: service, kind: .generic, name: "oracle", at: now).0
        let mapping = SeverityMapping.standard(for: .standard)
        // Silences match labels, and earlier runs' silences must not reach this run's alerts.
        func scoped(_ events: [AlertEvent]) -> [AlertEvent] {
            events.map { event in
                var event = event
                event.labels["svc"] = service
                return event
            }
        }
        for step in steps {
            switch step {
            case .requests(let unscoped):
                let requests = unscoped.map(scoped)
                if together {
                    _ = try await store.ingest(
                        requests.map { IngestRequest(events: $0, integration: integration) }, scheme: .standard, mapping: mapping, at: now)
                } else {
                    for event in requests.joined() {
                        _ = try await store.ingest([event], via: integration, scheme: .standard, mapping: mapping, at: now)
                    }
                }
            case .advance(let seconds):
                now = now.addingTimeInterval(Double(seconds))
                _ = try await store.releaseHeldAlerts(scheme: .standard, mapping: mapping, at: now, limit: 1_000)
            case .policy(let groupBy, let window, let autoResolve):
                _ = try await store.setAlertPolicy(
                    AlertPolicy(groupBy: groupBy, groupWindowSeconds: window, autoResolve: autoResolve), for: service)
            case .silence(let team, let seconds):
                _ = try await store.createSilence(
                    try Silence(
                        id: UUID(), matchers: [try LabelMatcher.parse("team=\(team)"), try LabelMatcher.parse("svc=\(service)")],
                        startsAt: now, endsAt: now.addingTimeInterval(Double(seconds)), createdBy: "oracle", comment: "oracle",
                        expireWhenResolved: false, createdAt: now))
            }
        }
        return try await state(of: service, in: store)
    }

    /// The service's alerts, incidents and timelines, without ids, numbers or how alert changes
    /// were grouped into notes (one transaction groups what several record apart).
    static func state(of service: String, in store: any Store) async throws -> [String] {
        var lines: [String] = []
        let incidents = try await store.listIncidents(IncidentQuery(service: service, sort: .detected, descending: false, limit: 200)).items
        var names: [UUID: String] = [:]
        for incident in incidents {
            let timeline = try await store.timeline(of: incident.id)
            let opener = timeline.first { $0.kind == .declared }?.details["dedupKey"] ?? "?"
            let name = "incident(\(opener)@\(incident.detectedAt.timeIntervalSince1970))"
            names[incident.id] = name
            lines.append("\(name) \(incident.status.rawValue) \(incident.severity) group=\(incident.groupKey ?? "")")
            var changes: [String] = []
            for entry in timeline {
                if entry.kind == .alert, let keys = entry.details["dedupKeys"], let change = entry.details["change"] {
                    let parsed = (try? JSONSerialization.jsonObject(with: Data(keys.utf8)) as? [String]) ?? []
                    changes += parsed.map { "  \(change) \($0) at \(entry.at.timeIntervalSince1970)" }
                } else {
                    changes.append("  \(entry.kind.rawValue) \(entry.text) at \(entry.at.timeIntervalSince1970)")
                }
            }
            lines += changes.sorted()
        }
        for alert in try await store.alerts(AlertQuery(service: service, limit: 1_000)).sorted(by: { $0.dedupKey < $1.dedupKey }) {
            let incident = alert.incidentID.map { names[$0] ?? "other" } ?? "none"
            lines.append(
                "alert \(alert.dedupKey) \(alert.status.rawValue) \(alert.severity.rawValue) x\(alert.occurrences) silenced=\(alert.silenceID != nil) \(incident)"
            )
        }
        return lines
    }

    /// Whether the two ways of playing `steps` agree, on fresh services of the two stores.
    static func agrees(_ steps: [Step], batched: any Store, single: any Store, run: Int) async throws -> Bool {
        let start = Date(timeIntervalSince1970: 1_795_000_000 + Double(run) * 86_400)
        let together = try await play(steps, on: batched, service: "s\(run)", together: true, start: start)
        let apart = try await play(steps, on: single, service: "s\(run)", together: false, start: start)
        return together == apart
    }

    @Test("random histories leave the same state through the group commit as one event at a time", arguments: TestBackend.all)
    func differential(backend: TestBackend) async throws {
        try await backend.withStore { batched in
            try await backend.withStore { single in
                var run = 0
                for seed in UInt64(1)...30 {
                    let steps = Self.history(seed: seed, steps: 14)
                    run += 1
                    guard try await !Self.agrees(steps, batched: batched, single: single, run: run) else { continue }
                    // Shrink: drop steps while the histories still disagree.
                    var smallest = steps
                    var shrunk = true
                    while shrunk {
                        shrunk = false
                        for index in smallest.indices.reversed() {
                            var candidate = smallest
                            candidate.remove(at: index)
                            run += 1
                            if try await !Self.agrees(candidate, batched: batched, single: single, run: run) {
                                smallest = candidate
                                shrunk = true
                                break
                            }
                        }
                    }
                    run += 1
                    let start = Date(timeIntervalSince1970: 1_795_000_000 + Double(run) * 86_400)
                    let together = try await Self.play(smallest, on: batched, service: "s\(run)", together: true, start: start)
                    let apart = try await Self.play(smallest, on: single, service: "s\(run)", together: false, start: start)
                    Issue.record(
                        """
                        seed \(seed) differs; shrunk to \(smallest.count) steps:
                        \(smallest.map { "  \($0)" }.joined(separator: "\n"))
                        together:
                        \(together.joined(separator: "\n"))
                        one at a time:
                        \(apart.joined(separator: "\n"))
                        """)
                    return
                }
            }
        }
    }
}
