import Foundation
import MusterCore
import MusterStore
import MusterTestSupport
import Testing

/// A real Alertmanager delivers to a real `muster serve`: webhook and PagerDuty v2 receivers.
///
/// Alertmanager 0.25 sends PagerDuty v1 (`service_key`) only to PagerDuty's own host and ignores
/// `url` for it, so v1 bodies are covered by the router tests instead.
@Suite("Real Alertmanager", .serialized, .enabled(if: AlertmanagerProcess.available))
struct AlertmanagerTests {
    @Test("Alertmanager's webhook and pagerduty receivers open, group and resolve incidents", arguments: TestBackend.all)
    func deliveries(backend: TestBackend) async throws {
        // given: Muster with two services, one per way Alertmanager can reach it
        let database = try await backend.makeDatabase()
        defer { Task { await database.remove() } }
        let token = try await MusterProcess.responderToken(database: database.url)
        let server = try await ServerProcess(database: database.url)
        defer { _ = server.stop() }
        let env = ["MUSTER_URL": server.url, "MUSTER_TOKEN": token]
        func muster(_ arguments: String...) async throws -> String {
            let result = try await MusterProcess.run(arguments, environment: env)
            #expect(result.status == 0, "muster \(arguments.joined(separator: " ")): \(result.stderr)")
            return result.stdout
        }
        var keys: [String: String] = [:]
        for (service, kind) in [("web", "alertmanager"), ("db", "pagerduty")] {
            _ = try await muster("service", "create", service)
            let created = try await muster("integration", "create", service, "--kind", kind, "--json")
            keys[service] = try #require((try JSONSerialization.jsonObject(with: Data(created.utf8)) as? [String: Any])?["key"] as? String)
        }
        _ = try await muster("integration", "policy", "web", "--group-by", "alertname", "--auto-resolve")
        let alertmanager = try await AlertmanagerProcess(
            config: """
                route:
                  receiver: web
                  group_by: [alertname, via]
                  group_wait: 1s
                  group_interval: 1s
                  repeat_interval: 1h
                  routes:
                    - matchers: ['via="pd2"']
                      receiver: db
                receivers:
                  - name: web
                    webhook_configs:
                      - url: \(server.url)/ingest/alertmanager/\(keys["web"]!)
                        send_resolved: true
                  - name: db
                    pagerduty_configs:
                      - routing_key: \(keys["db"]!)
                        url: \(server.url)/v2/enqueue
                        severity: '{{ .CommonLabels.severity }}'
                        send_resolved: true
                """)
        defer { alertmanager.stop() }
        func alert(_ name: String, _ via: String, _ instance: String, resolved: Bool = false) -> [String: Any] {
            var alert: [String: Any] = [
                "labels": ["alertname": name, "via": via, "instance": instance, "severity": "critical"],
                "annotations": ["summary": "\(name) on \(instance)"],
            ]
            if resolved { alert["endsAt"] = ISO8601DateFormatter().string(from: Date().addingTimeInterval(-1)) }
            return alert
        }

        // when: alerts fire
        try await alertmanager.push([
            alert("HighErrorRate", "webhook", "web-1"), alert("HighErrorRate", "webhook", "web-2"),
            alert("ReplicationLag", "pd2", "db-1"),
        ])
        let opened = try await waitFor("two incidents", logs: alertmanager.logs) { try await incidents(muster).count == 2 ? true : nil }

        // then: one incident per service, both web alerts on one incident
        #expect(opened)
        let byService = Dictionary(grouping: try await incidents(muster)) { ($0["services"] as? [String])?.first ?? "" }
        #expect(byService.keys.sorted() == ["db", "web"])
        let web = try #require(byService["web"]?.first?["reference"] as? String)
        let webList =
            try JSONSerialization.jsonObject(with: Data(try await muster("alert", "list", "--service", "web", "--json").utf8))
            as? [String: Any]
        let webAlerts = webList?["items"] as? [[String: Any]]
        #expect(webAlerts?.count == 2)
        #expect(Set(webAlerts?.compactMap { $0["incidentReference"] as? String } ?? []) == [web])
        #expect(byService["db"]?.first?["severity"] as? String == "P1")

        // when: everything resolves
        try await alertmanager.push([
            alert("HighErrorRate", "webhook", "web-1", resolved: true), alert("HighErrorRate", "webhook", "web-2", resolved: true),
            alert("ReplicationLag", "pd2", "db-1", resolved: true),
        ])
        let cleared = try await waitFor("all alerts resolved", logs: alertmanager.logs) {
            let firingList =
                try JSONSerialization.jsonObject(with: Data(try await muster("alert", "list", "--status", "firing", "--json").utf8))
                as? [String: Any]
            let firing = firingList?["items"] as? [Any]
            return firing?.isEmpty == true ? true : nil
        }

        // then: the web incident resolved itself (its policy says so); the others wait for a person
        #expect(cleared)
        let after = Dictionary(grouping: try await incidents(muster)) { ($0["services"] as? [String])?.first ?? "" }
        #expect(after["web"]?.first?["status"] as? String == "resolved")
        #expect(after["db"]?.first?["status"] as? String == "triggered")
        let timeline = try await muster("incident", "show", web)
        #expect(timeline.contains("Every alert of this incident has resolved."), "\(timeline)")
    }

    @Test(
        "an alert storm of 2,500 alerts in one group reaches Muster in one notification and becomes one incident",
        arguments: TestBackend.all)
    func storm(backend: TestBackend) async throws {
        // given: the receiver as `muster integration create` prints it
        let web = try await WebWithAlertmanager.start(backend)
        defer { web.stop() }
        #expect(web.receiver.contains("max_alerts: 5000"))
        let alertmanager = try await AlertmanagerProcess(
            config: """
                route:
                  receiver: muster
                  group_by: [alertname]
                  group_wait: 2s
                  group_interval: 1m
                \(web.receiver)
                """)
        defer { alertmanager.stop() }

        // when: a whole fleet fails at once
        try await alertmanager.push(
            (0..<2_500).map { index in
                [
                    "labels": [
                        "alertname": "NodeDown", "instance": "node-\(index).dc1.example:9100", "job": "node", "severity": "critical",
                    ],
                    "annotations": [
                        "summary": "node-\(index) has not answered a scrape for 2 minutes",
                        "runbook_url": "https://runbooks.example/node-down",
                    ],
                    "generatorURL": "http://prometheus.example:9090/graph?g0.expr=up%7Bjob%3D%22node%22%7D+%3D%3D+0",
                ]
            })
        let store = try await TestBackend.open(web.database.url)
        defer { Task { try? await store.shutdown() } }
        // Polls for the 2,500th alert alone: reading all of them four times a second kept the
        // test process's threads so busy that other suites' webhook deliveries timed out.
        _ = try await waitFor("2,500 alerts stored", logs: alertmanager.logs) {
            try await store.alerts(AlertQuery(service: "web", limit: 1, offset: 2_499)).first
        }
        let alerts = try await store.alerts(AlertQuery(service: "web", limit: 5_000))
        #expect(alerts.count == 2_500)

        // then: one incident holds them all
        #expect(Set(alerts.compactMap(\.incidentReference)).count == 1)
        #expect(alerts.allSatisfy { $0.incidentReference != nil && $0.status == .firing })
        let page = try await store.listIncidents(IncidentQuery())
        #expect(page.items.count == 1)
    }

    @Test(
        "a group larger than the receiver's max_alerts arrives cut, and the incident says how many alerts were left out",
        arguments: TestBackend.all)
    func cutByMaxAlerts(backend: TestBackend) async throws {
        // given: a receiver that sends at most 10 alerts per notification
        let web = try await WebWithAlertmanager.start(backend)
        defer { web.stop() }
        let alertmanager = try await AlertmanagerProcess(
            config: """
                route:
                  receiver: muster
                  group_by: [alertname]
                  group_wait: 1s
                  group_interval: 1m
                \(web.receiver.replacingOccurrences(of: "max_alerts: 5000", with: "max_alerts: 10"))
                """)
        defer { alertmanager.stop() }

        // when: 25 alerts of one group fire
        try await alertmanager.push((0..<25).map { ["labels": ["alertname": "NodeDown", "instance": "node-\($0)"]] })

        // then: 10 alerts arrived, and the incident knows 15 more are firing
        let store = try await TestBackend.open(web.database.url)
        defer { Task { try? await store.shutdown() } }
        let incident = try await waitFor("an incident", logs: alertmanager.logs) {
            try await store.listIncidents(IncidentQuery()).items.first
        }
        #expect(incident.alertsLeftOut == [#"{}:{alertname="NodeDown"}"#: 15])
        #expect(try await store.alerts(AlertQuery(service: "web", limit: 100)).count == 10)
        let notes = try await store.timeline(of: incident.id).filter { $0.details["leftOut"] != nil }
        #expect(notes.map { $0.details["leftOut"] } == ["15"])
        let shown = try await web.muster("incident", "show", incident.reference).stdout
        #expect(shown.contains("Alerts left out"), "\(shown)")
    }

    @Test(
        "notifications over the rate limit are answered 503, which Alertmanager retries, so every alert arrives", arguments: TestBackend.all
    )
    func throttled(backend: TestBackend) async throws {
        // given: a limit of 2 events a second (bursts of 20), and 30 groups of one alert each
        let web = try await WebWithAlertmanager.start(backend, environment: ["MUSTER_INGEST_RATE": "2"])
        defer { web.stop() }
        let alertmanager = try await AlertmanagerProcess(
            config: """
                route:
                  receiver: muster
                  group_by: [instance]
                  group_wait: 1s
                  group_interval: 1m
                \(web.receiver)
                """)
        defer { alertmanager.stop() }

        // when
        try await alertmanager.push((0..<30).map { ["labels": ["alertname": "DiskFull", "instance": "db-\($0)"]] })

        // then
        let store = try await TestBackend.open(web.database.url)
        defer { Task { try? await store.shutdown() } }
        let stored = try await waitFor("30 alerts stored", logs: alertmanager.logs) {
            let alerts = try await store.alerts(AlertQuery(service: "web", limit: 100))
            return alerts.count == 30 ? alerts : nil
        }
        #expect(stored.count == 30)
        // One notice per integration a minute, however many requests were throttled.
        let notices = web.server.logs.text.components(separatedBy: "request throttled").count - 1
        #expect(notices == 1, "the limit was never reached, or every throttled request was logged: \(web.server.logs.text.suffix(2_000))")
        let key = try #require(web.created.split(separator: "\n").first { $0.hasPrefix("Key") }?.split(separator: " ").last)
        #expect(web.server.logs.text.contains("/ingest/alertmanager/KEY"))
        #expect(!web.server.logs.text.contains(key), "the log holds the integration key")
    }

    private func incidents(_ muster: (String...) async throws -> String) async throws -> [[String: Any]] {
        let page = try JSONSerialization.jsonObject(with: Data(try await muster("incident", "list", "--json").utf8)) as? [String: Any]
        return page?["items"] as? [[String: Any]] ?? []
    }

    /// Polls `check` until it returns a value or 45 seconds pass (Alertmanager batches by interval).
    private func waitFor<T>(_ what: String, logs: LockedText, _ check: () async throws -> T?) async throws -> T {
        let deadline = Date().addingTimeInterval(45)
        while Date() < deadline {
            if let value = try await check() { return value }
            try await Task.sleep(for: .milliseconds(250))
        }
        throw ServerFailure(output: "timed out waiting for \(what); Alertmanager said:\n\(logs.text.suffix(3_000))")
    }
}

/// `muster serve` on a new database, with service `web` and an Alertmanager integration, and the
/// receiver snippet `muster integration create` printed for it.
struct WebWithAlertmanager {
    let database: ScratchDatabase
    let server: ServerProcess
    let muster: CLIClient
    /// What `integration create` printed.
    let created: String
    /// Its `receivers:` snippet, ready for Alertmanager's configuration.
    let receiver: String

    static func start(_ backend: TestBackend, environment: [String: String] = [:]) async throws -> WebWithAlertmanager {
        let database = try await backend.makeDatabase()
        let server = try await ServerProcess(database: database.url, environment: environment)
        let muster = try await CLIClient(server: server, database: database.url)
        #expect(try await muster("service", "create", "web").status == 0)
        let created = try await muster("integration", "create", "web", "--kind", "alertmanager").stdout
        let receiver = try #require(created.range(of: "receivers:").map { String(created[$0.lowerBound...]) })
        return WebWithAlertmanager(database: database, server: server, muster: muster, created: created, receiver: receiver)
    }

    func stop() {
        _ = server.stop()
        Task { await database.remove() }
    }
}
