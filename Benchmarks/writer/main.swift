import Foundation
import Logging
import MusterApp
import MusterCore
import MusterStore

// The ingestion writer alone, in process, without HTTP or a load generator: transactions of
// Alertmanager-like events go straight to `Store.ingest` on the store's writer executor, as the
// group commit sends them. Prints wall and CPU time per alert, which move far less from run to run
// than the HTTP benchmark's rates, so a change to the serial writer can be measured by itself.
//   swift run -c release muster-writer-bench [DATABASE]   (default: a new SQLite file)

struct Shape {
    var name: String
    var requests: Int
    var alertsPerRequest: Int
    var transactions: Int
}

let shapes = [
    Shape(name: "1 request of 100 alerts (batches at half load)", requests: 1, alertsPerRequest: 100, transactions: 300),
    Shape(name: "16 requests of 100 alerts (batches at peak)", requests: 16, alertsPerRequest: 100, transactions: 30),
    Shape(name: "16 requests of 1 alert (single alerts at peak)", requests: 16, alertsPerRequest: 1, transactions: 1_500),
]

func cpuSeconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
}

/// Event `number` of this run; the run's own prefix keeps names new in a database used before.
func event(_ number: Int) -> AlertEvent {
    let name = "i\(run)-\(number)"
    return AlertEvent(
        action: .trigger, dedupKey: "fp" + name, summary: "bench " + name, source: "alertmanager", severity: .warning,
        labels: ["alertname": "Bench", "instance": name], annotations: ["summary": "bench " + name],
        startsAt: Date(timeIntervalSince1970: 1_795_860_000))
}

let run = UUID().uuidString.prefix(8).lowercased()
let arguments = CommandLine.arguments.dropFirst()
let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("muster-writer-bench-\(UUID().uuidString)")
try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
defer { try? FileManager.default.removeItem(at: scratch) }
let database = arguments.first ?? scratch.appendingPathComponent("bench.db").path
var logger = Logger(label: "muster.bench")
logger.logLevel = .warning
let store = try await StoreFactory.open(database, logger: logger)
try await store.migrate()
let now = Date()
let service = "bench-\(run)"
_ = try await store.createService(ServiceRecord(id: service, name: service, description: "", createdAt: now))
let (integration, _) = try await store.createIntegration(service: service, kind: .alertmanager, name: "bench", at: now)
let scheme = SeverityScheme.standard
let mapping = SeverityMapping.standard(for: scheme)

print("muster-writer-bench on \(StoreFactory.describe(database))")
var made = 0
for shape in shapes {
    let transactions = (0..<shape.transactions).map { _ in
        (0..<shape.requests).map { _ in
            IngestRequest(
                events: (0..<shape.alertsPerRequest).map { _ in
                    made += 1
                    return event(made)
                }, integration: integration)
        }
    }
    var wall: [Double] = []
    let cpuBefore = cpuSeconds()
    for requests in transactions {
        let start = DispatchTime.now().uptimeNanoseconds
        _ = try await withCheckedThrowingContinuation { (done: CheckedContinuation<[[IngestOutcome]], any Error>) in
            store.startWriter {
                do { done.resume(returning: try await store.ingest(requests, scheme: scheme, mapping: mapping, at: Date())) } catch {
                    done.resume(throwing: error)
                }
            }
        }
        wall.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e3)
    }
    let cpu = (cpuSeconds() - cpuBefore) * 1e6
    let alerts = Double(shape.transactions * shape.requests * shape.alertsPerRequest)
    wall.sort()
    let figures = String(
        format: "%6.1f µs/alert wall, %6.1f µs/alert CPU; transaction p50 %7.0f µs, p99 %7.0f µs",
        wall.reduce(0, +) / alerts, cpu / alerts, wall[wall.count / 2], wall[wall.count * 99 / 100])
    print(shape.name.padding(toLength: 48, withPad: " ", startingAt: 0) + figures)
}
try await store.shutdown()
