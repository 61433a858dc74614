import Crypto
import Foundation
import Hummingbird
import MusterCore
import MusterMetrics
import MusterStore

/// `GET /metrics` in the Prometheus text format: without a token, or with the dedicated metrics
/// token when one is configured (never an API token, which could do more than read figures).
struct MetricsController {
    let env: APIEnvironment
    let export: PrometheusExport

    func addRoutes(to router: Router<MusterRequestContext>) {
        router.get("metrics") { request, _ -> Response in
            try authorize(request)
            await refreshGauges()
            return Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(string: export.text())))
        }
    }

    private func authorize(_ request: Request) throws {
        guard let expected = env.metricsToken else { return }
        let given = request.bearerCredential
        // Compared as digests, in constant time, so the answer's timing tells nothing of the token.
        guard let given, Data(SHA256.hash(data: Data(given.utf8))) == Data(SHA256.hash(data: Data(expected.utf8))) else {
            throw Problem.unauthorized("This server's metrics need its metrics token: 'Authorization: Bearer <metrics token>'.")
        }
    }

    /// Gauges read from the database at each scrape. A database that does not answer leaves them
    /// as they were; `muster_database_errors_total` tells the scraper.
    private func refreshGauges() async {
        let now = env.now()
        if let outbox = try? await env.stores.paging.outboxSummary() {
            export.set(.outboxPending, to: Double(outbox.pending))
            export.set(.outboxOldestDueAge, to: outbox.oldestDueAge(at: now))
        }
        if let clocks = try? await env.stores.incidents.openIncidentClocks() {
            let figures = OpenIncidentFigures(clocks, scheme: env.scheme, now: now)
            for (severity, count) in figures.bySeverity { export.set(.openIncidents, [("severity", severity)], to: Double(count)) }
            export.set(.responseTargetsBreached, [("target", "acknowledge")], to: Double(figures.acknowledgeBreached))
            export.set(.responseTargetsBreached, [("target", "resolve")], to: Double(figures.resolveBreached))
        }
    }
}
