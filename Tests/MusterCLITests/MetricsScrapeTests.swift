import Foundation
import MusterTestSupport
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// `GET /metrics` of a running `muster serve`, scraped over HTTP and parsed as Prometheus text.
@Suite("Metrics scrape", .serialized)
struct MetricsScrapeTests {
    @Test("a scrape counts alerts, refusals, incidents, pages, requests and engine rounds, in valid Prometheus text")
    func scrape() async throws {
        // given: service web paging ann by email (no SMTP server is configured) and through a
        // webhook that refuses connections
        let web = try await WebWithAlertmanager.start(.sqlite)
        defer { web.stop() }
        let muster = web.muster
        for command in [
            ["user", "create", "ann", "--name", "Ann", "--email", "ann@example.com"],
            ["user", "contact", "ann", "--kind", "webhook", "--address", "http://127.0.0.1:9/hook"],
            ["policy", "create", "web", "--name", "Web", "--level", "user:ann@10m"], ["policy", "assign", "web", "web"],
        ] {
            let result = try await MusterProcess.run(command, environment: muster.environment)
            #expect(result.status == 0, "muster \(command.joined(separator: " ")): \(result.stderr)")
        }
        let key = try #require(web.created.components(separatedBy: "/ingest/alertmanager/").dropFirst().first?.prefix { !$0.isWhitespace })

        // when: three alerts arrive, then a request with an unknown key and one with a bad body
        let alerts = (1...3).map { #"{"status":"firing","labels":{"alertname":"Down\#($0)","severity":"critical"}}"# }
        #expect(try await post(web.server.url + "/ingest/alertmanager/\(key)", #"{"alerts":[\#(alerts.joined(separator: ","))]}"#) == 200)
        #expect(try await post(web.server.url + "/ingest/alertmanager/not-a-key", #"{"alerts":[]}"#) == 404)
        #expect(try await post(web.server.url + "/ingest/alertmanager/\(key)", #"{"alerts":"many"}"#) == 400)

        // then: the figures say so, once the webhook page has failed and the email been given up
        var scraped = try PrometheusText("")
        try await waitUntil("a failed webhook page and a given-up email are counted", seconds: 30) {
            scraped = try PrometheusText(try await scrape(web.server.url).body)
            // Both outcomes are recorded: the webhook's failure and the email's giving up.
            return (scraped.value("muster_pages_failed_total", ["channel": "webhook"]) ?? 0) >= 1
                && scraped.value("muster_pages_dead_lettered_total", ["channel": "email"]) == 1
                && scraped.value("muster_outbox_pending") == 1
        }
        #expect(scraped.value("muster_alerts_accepted_total", ["kind": "alertmanager"]) == 3)
        #expect(scraped.value("muster_alert_requests_refused_total", ["kind": "alertmanager", "reason": "unknown_key"]) == 1)
        #expect(scraped.value("muster_alert_requests_refused_total", ["kind": "alertmanager", "reason": "invalid"]) == 1)
        #expect(scraped.value("muster_incidents_opened_total", ["severity": "P1", "source": "alerts"]) == 1)
        #expect(scraped.value("muster_open_incidents", ["severity": "P1"]) == 1)
        #expect(scraped.value("muster_open_incidents", ["severity": "P4"]) == 0)
        #expect(scraped.value("muster_response_targets_breached", ["target": "acknowledge"]) == 0)
        #expect(scraped.value("muster_pages_queued_total", ["channel": "webhook"]) == 1)
        #expect(scraped.value("muster_pages_queued_total", ["channel": "email"]) == 1)
        #expect(scraped.value("muster_pages_dead_lettered_total", ["channel": "email"]) == 1)
        #expect(scraped.value("muster_pages_sent_total", ["channel": "webhook"]) == nil)
        #expect(scraped.value("muster_ingest_batch_alerts_sum") == 3)
        #expect((scraped.value("muster_engine_rounds_total", ["service": "escalation"]) ?? 0) >= 1)
        #expect((scraped.value("muster_engine_rounds_total", ["service": "delivery"]) ?? 0) >= 1)
        #expect(scraped.value("muster_outbox_pending") == 1, "the failed page waits for its retry")
        #expect(scraped.samples("muster_build_info").first?.value == 1)
        #expect(!scraped.samples("muster_database_wait_seconds_count", matching: ["work": "transaction"]).isEmpty)

        // and requests are counted by route pattern, never by raw path (which would leak the key)
        let ingested = scraped.samples("muster_http_requests_total", matching: ["method": "POST", "status": "200"])
        #expect(ingested.map(\.labels["route"]) == ["/ingest/alertmanager/{key}"], "\(ingested)")
        #expect(!scraped.samples.contains { $0.labels.values.contains { $0.contains(String(key)) } })
        let count = scraped.value("muster_http_request_duration_seconds_count", ["method": "POST", "route": "/ingest/alertmanager/{key}"])
        let infinite = scraped.value(
            "muster_http_request_duration_seconds_bucket", ["method": "POST", "route": "/ingest/alertmanager/{key}", "le": "+Inf"])
        #expect(count == 3 && infinite == 3)

        // and every family is typed and explained, with names after Prometheus' conventions
        for (name, type) in scraped.types {
            #expect(name.hasPrefix("muster_"), "\(name)")
            #expect(scraped.help[name]?.isEmpty == false, "\(name) has no HELP")
            #expect(name.hasSuffix("_total") == (type == "counter"), "\(name) is a \(type)")
        }
    }

    @Test("with a metrics token configured, a scrape without it is refused and one with it answered")
    func token() async throws {
        // given
        let database = try await TestBackend.sqlite.makeDatabase()
        defer { Task { await database.remove() } }
        let server = try await ServerProcess(database: database.url, environment: ["MUSTER_METRICS_TOKEN": "scrape-secret-0123456789"])
        defer { _ = server.stop() }
        // when / then
        #expect(try await scrape(server.url).status == 401)
        #expect(try await scrape(server.url, token: "wrong-secret-0123456789").status == 401)
        let answered = try await scrape(server.url, token: "scrape-secret-0123456789")
        #expect(answered.status == 200)
        #expect(try PrometheusText(answered.body).value("muster_outbox_pending") == 0)
    }

    private func post(_ url: String, _ body: String) async throws -> Int {
        var request = URLRequest(url: URL(string: url)!)
        request.httpMethod = "POST"
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.httpBody = Data(body.utf8)
        let (_, response) = try await URLSession.shared.data(for: request)
        return (response as? HTTPURLResponse)?.statusCode ?? 0
    }

    private func scrape(_ server: String, token: String? = nil) async throws -> (status: Int, body: String) {
        var request = URLRequest(url: URL(string: server + "/metrics")!)
        if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        let (data, response) = try await URLSession.shared.data(for: request)
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, String(decoding: data, as: UTF8.self))
    }
}
