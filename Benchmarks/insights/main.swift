import Foundation
import Logging
import MusterApp
import MusterCore
import MusterStore

// The learning reports and post-mortem drafts, in process: INCIDENTS incidents (default 100,000)
// declared with detection times spread over the past year, then the yearly report (all
// incidents, then one service, then one severity) and the draft of a post-mortem for an incident
// with ENTRIES timeline entries (default 10,000). Prints the time of each; issue 32 aims at
// under 200 ms each.
//   swift run -c release muster-insights-bench [DATABASE]   (default: a new SQLite file)

let environment = ProcessInfo.processInfo.environment
let incidents = Int(environment["INCIDENTS"] ?? "") ?? 100_000
let entries = Int(environment["ENTRIES"] ?? "") ?? 10_000
let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("muster-insights-bench-\(UUID().uuidString)")
try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
defer { try? FileManager.default.removeItem(at: scratch) }
let database = CommandLine.arguments.dropFirst().first ?? scratch.appendingPathComponent("bench.db").path
var logger = Logger(label: "muster.bench")
logger.logLevel = .error
let store = try await StoreFactory.open(database, logger: logger)
try await store.migrate()
let scheme = SeverityScheme.standard
let now = Date()
let run = UUID().uuidString.prefix(6).lowercased()
let services = (0..<10).map { "svc-\(run)-\($0)" }
for service in services { _ = try await store.createService(ServiceRecord(id: service, name: service, description: "", createdAt: now)) }

func seconds(_ body: () async throws -> Void) async rethrows -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    try await body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

print("muster-insights-bench on \(StoreFactory.describe(database)): \(incidents) incidents, a draft of \(entries) entries")
let seeding = try await seconds {
    var generator = SystemRandomNumberGenerator()
    for number in 0..<incidents {
        let detected = now.addingTimeInterval(-Double.random(in: 60...(365 * 86_400), using: &generator))
        _ = try await store.declareIncident(
            IncidentDeclaration(
                title: "Incident \(number)", services: [services[number % services.count]], severity: scheme.names[number % 4],
                impactStartedAt: detected.addingTimeInterval(-Double.random(in: 0...900, using: &generator)), detectedAt: detected),
            scheme: scheme, by: "bench", at: now)
    }
}
print(String(format: "seeded in %.1f s", seeding))

let policy = PostmortemPolicy.standard(for: scheme)
func report(service: String?, severity: String?) async throws -> (Double, Int) {
    var count = 0
    let elapsed = try await seconds {
        let from = now.addingTimeInterval(-365 * 86_400)
        async let period = store.incidentTimes(from: from, to: now, service: service, severity: severity)
        async let postmortems = store.postmortems(state: nil)
        async let items = store.actionItems(ActionItemQuery())
        let built = InsightsReport(
            from: from, to: now, times: try await period, postmortems: try await postmortems, actionItems: try await items,
            scheme: scheme,
            policy: policy, now: now)
        count = built.incidents
    }
    return (elapsed, count)
}
for (label, service, severity) in [
    ("yearly report, every incident", nil, nil), ("yearly report, one service", services[0], nil),
    ("yearly report, one severity", nil, "P1"),
] as [(String, String?, String?)] {
    _ = try await report(service: service, severity: severity)
    let (elapsed, count) = try await report(service: service, severity: severity)
    print(label.padding(toLength: 36, withPad: " ", startingAt: 0) + String(format: "%8.1f ms  (%d incidents)", elapsed * 1000, count))
}

let big = try await store.declareIncident(
    IncidentDeclaration(title: "Big", services: [services[0]], severity: "P1"), scheme: scheme, by: "bench", at: now)
for start in stride(from: 0, to: entries, by: 2_000) {
    _ = try await store.updateIncident(big.reference) { _ in
        (start..<min(start + 2_000, entries)).map { index in
            TimelineDraft(
                kind: index % 10 == 0 ? .decision : .note, at: now, author: "bench", text: "Entry \(index): something happened",
                details: [:])
        }
    }
}
_ = try await store.updateIncident(big.reference) { try $0.resolve(resolution: "Fixed", rootCause: "A leak", by: "bench", at: now) }
func draft() async throws -> Int {
    async let timeline = store.timeline(of: big.id)
    async let alerts = store.countAlerts(AlertQuery(incidentID: big.id))
    async let pages = store.notifications(of: big.id)
    let resolved = try require_(try await store.incident(big.reference))
    let entries = try await timeline
    let figures = IncidentFigures(
        incident: resolved, timeline: entries, severity: try? scheme.level(named: "P1"), alerts: try await alerts,
        pages: try await pages.count, now: now)
    return PostmortemDraft(incident: resolved, timeline: entries, figures: figures).sections().count
}
_ = try await draft()
let drafting = try await seconds { _ = try await draft() }
print("draft, \(entries) timeline entries".padding(toLength: 36, withPad: " ", startingAt: 0) + String(format: "%8.1f ms", drafting * 1000))

/// The value, or a failure that names what was missing.
func require_<T>(_ value: T?) throws -> T {
    guard let value else { throw CocoaError(.fileNoSuchFile) }
    return value
}
