import Foundation
import MusterCore
import MusterStore
import MusterTestSupport
import Testing

@Suite("Ingestion endpoints")
struct IngestAPITests {
    static let alertmanagerBody = #"""
        {"version":"4","status":"firing","receiver":"muster","groupKey":"{}:{alertname=\"HighLatency\"}",
         "groupLabels":{"alertname":"HighLatency"},"commonLabels":{"alertname":"HighLatency","severity":"warning"},
         "commonAnnotations":{},"externalURL":"http://am.example:9093","truncatedAlerts":0,
         "alerts":[
          {"status":"firing","labels":{"alertname":"HighLatency","severity":"warning","instance":"a"},
           "annotations":{"summary":"p99 above 2s on a","runbook_url":"https://runbooks.example/latency"},
           "startsAt":"2026-11-18T10:58:00Z","endsAt":"0001-01-01T00:00:00Z","generatorURL":"http://prom.example/graph","fingerprint":"f1"},
          {"status":"firing","labels":{"alertname":"HighLatency","severity":"warning","instance":"b"},
           "annotations":{"summary":"p99 above 2s on b"},"startsAt":"2026-11-18T10:59:00Z","endsAt":"0001-01-01T00:00:00Z","fingerprint":"f2"}
         ]}
        """#

    @Test("PagerDuty v2: trigger, replay, acknowledge and resolve answer as PagerDuty does", arguments: TestBackend.all)
    func pagerDutyV2(backend: TestBackend) async throws {
        try await APIHarness.run(backend) { api in
            // given
            let key = try await api.integration("pagerduty")
            let trigger =
                #"{"routing_key":"\#(key)","event_action":"trigger","payload":{"summary":"DB primary down","source":"db-1","severity":"critical","component":"postgres","custom_details":{"lag":42}},"links":[{"href":"https://grafana.example/d/1","text":"dashboard"}]}"#
            // when
            let first = try await api.send(.post, "/v2/enqueue", body: trigger)
            let dedup = try #require(first.object["dedup_key"] as? String)
            let withKey = trigger.replacingOccurrences(
                of: #""event_action":"trigger","#, with: #""event_action":"trigger","dedup_key":"\#(dedup)","#)
            let replay = try await api.send(.post, "/v2/enqueue", body: withKey)
            let ack = try await api.send(
                .post, "/v2/enqueue", body: #"{"routing_key":"\#(key)","event_action":"acknowledge","dedup_key":"\#(dedup)"}"#)
            let resolve = try await api.send(
                .post, "/v2/enqueue", body: #"{"routing_key":"\#(key)","event_action":"resolve","dedup_key":"\#(dedup)"}"#)
            // then
            #expect(first.status == .accepted)
            #expect(first.object["status"] as? String == "success")
            #expect(first.object["message"] as? String == "Event processed")
            #expect(dedup.count == 32)
            #expect(replay.status == .accepted)
            #expect(replay.object["dedup_key"] as? String == dedup)
            #expect(ack.status == .accepted)
            #expect(resolve.status == .accepted)
            let incidents = try await api.send(.get, "/api/v1/incidents", token: api.viewer).object["items"] as? [[String: Any]]
            #expect(incidents?.count == 1)
            #expect(incidents?.first?["status"] as? String == "acknowledged")
            #expect(incidents?.first?["severity"] as? String == "P1")
            let alerts = try await api.send(.get, "/api/v1/alerts", token: api.viewer).array
            #expect(alerts.count == 1)
            #expect(alerts.first?["occurrences"] as? Int == 4)
            #expect(alerts.first?["status"] as? String == "resolved")
            #expect((alerts.first?["labels"] as? [String: String])?["component"] == "postgres")
            #expect((alerts.first?["annotations"] as? [String: String])?["lag"] == "42")
        }
    }

    @Test("PagerDuty v2: invalid events get 400 with errors, unknown keys 404", arguments: TestBackend.all)
    func pagerDutyErrors(backend: TestBackend) async throws {
        try await APIHarness.run(backend) { api in
            let key = try await api.integration("pagerduty")
            let cases = [
                "{not json",
                #"{"event_action":"trigger"}"#,
                #"{"routing_key":"\#(key)","event_action":"explode"}"#,
                #"{"routing_key":"\#(key)","event_action":"trigger"}"#,
                #"{"routing_key":"\#(key)","event_action":"trigger","payload":{"summary":"","source":"x","severity":"critical"}}"#,
                #"{"routing_key":"\#(key)","event_action":"trigger","payload":{"summary":"x","source":"x","severity":"fatal"}}"#,
                #"{"routing_key":"\#(key)","event_action":"resolve"}"#,
                #"{"routing_key":"\#(key)","event_action":"trigger","payload":{"summary":"\#(String(repeating: "s", count: 1_100))","source":"x","severity":"info"}}"#,
            ]
            for body in cases {
                let reply = try await api.send(.post, "/v2/enqueue", body: body)
                #expect(reply.status == .badRequest, "\(body.prefix(80)): \(reply.text)")
                #expect(reply.object["status"] as? String == "invalid event")
                #expect((reply.object["errors"] as? [String])?.isEmpty == false)
            }
            let unknown = try await api.send(
                .post, "/v2/enqueue",
                body:
                    #"{"routing_key":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA","event_action":"trigger","payload":{"summary":"x","source":"x","severity":"info"}}"#
            )
            let garbage = try await api.send(
                .post, "/v2/enqueue",
                body: #"{"routing_key":"short","event_action":"trigger","payload":{"summary":"x","source":"x","severity":"info"}}"#)
            #expect(unknown.status == .notFound)
            #expect(garbage.status == .notFound)
            #expect(unknown.text == garbage.text)
            #expect(try await api.send(.get, "/api/v1/alerts", token: api.viewer).array.isEmpty)
        }
    }

    @Test("PagerDuty v1 bodies, as Alertmanager sends with a service_key, are accepted", arguments: TestBackend.all)
    func pagerDutyV1(backend: TestBackend) async throws {
        try await APIHarness.run(backend) { api in
            let key = try await api.integration("pagerduty")
            let trigger =
                #"{"service_key":"\#(key)","event_type":"trigger","incident_key":"abc","description":"[FIRING:1] DiskFull","client":"Alertmanager","client_url":"http://am.example","details":{"firing":"disk 95%","severity":"warning"}}"#
            let reply = try await api.send(.post, "/generic/2010-04-15/create_event.json", body: trigger)
            #expect(reply.status == .ok)
            #expect(reply.object["incident_key"] as? String == "abc")
            let viaV2Path = try await api.send(
                .post, "/v2/enqueue", body: #"{"service_key":"\#(key)","event_type":"resolve","incident_key":"abc"}"#)
            #expect(viaV2Path.status == .ok)
            let alerts = try await api.send(.get, "/api/v1/alerts", token: api.viewer).array
            #expect(alerts.first?["status"] as? String == "resolved")
            #expect(alerts.first?["severity"] as? String == "warning")
        }
    }

    @Test("Alertmanager webhook: each alert counts with its own status; redelivery is idempotent", arguments: TestBackend.all)
    func alertmanager(backend: TestBackend) async throws {
        try await APIHarness.run(backend) { api in
            let key = try await api.integration("alertmanager")
            let first = try await api.send(.post, "/ingest/alertmanager/\(key)", body: Self.alertmanagerBody)
            let again = try await api.send(
                .post, "/ingest/alertmanager", body: Self.alertmanagerBody, headers: [.authorization: "Bearer \(key)"])
            #expect(first.status == .ok, "\(first.text)")
            #expect(first.object["alerts"] as? Int == 2)
            #expect(again.status == .ok)
            let incidents = try #require(
                try await api.send(.get, "/api/v1/incidents", token: api.viewer).object["items"] as? [[String: Any]])
            #expect(incidents.count == 1)
            #expect(incidents[0]["severity"] as? String == "P3")
            #expect(incidents[0]["impactStartedAt"] as? String == "2026-11-18T10:58:00Z")
            // One alert resolves while the other still fires.
            let mixed = Self.alertmanagerBody.replacingOccurrences(
                of: #"{"status":"firing","labels":{"alertname":"HighLatency","severity":"warning","instance":"a"}"#,
                with: #"{"status":"resolved","labels":{"alertname":"HighLatency","severity":"warning","instance":"a"}"#)
            #expect(try await api.send(.post, "/ingest/alertmanager/\(key)", body: mixed).status == .ok)
            let alerts = try await api.send(.get, "/api/v1/alerts?status=firing", token: api.viewer).array
            #expect(alerts.compactMap { $0["dedupKey"] as? String } == ["f2"])
            let links = try #require(
                try await api.send(.get, "/api/v1/alerts", token: api.viewer).array.first { $0["dedupKey"] as? String == "f1" }?["links"]
                    as? [[String: Any]])
            #expect(links.compactMap { $0["text"] as? String } == ["source", "runbook"])
            let id = try #require(incidents[0]["reference"] as? String)
            #expect(try await api.send(.get, "/api/v1/incidents/\(id)/alerts", token: api.viewer).array.count == 2)
        }
    }

    @Test(
        "alerts Alertmanager left out of a notification (max_alerts) show on the incident and its timeline, once per count",
        arguments: TestBackend.all)
    func leftOut(backend: TestBackend) async throws {
        try await APIHarness.run(backend) { api in
            // given
            let key = try await api.integration("alertmanager")
            func notify(leftOut: Int, group: String = "HighLatency") async throws {
                let body = Self.alertmanagerBody.replacingOccurrences(of: #""truncatedAlerts":0"#, with: #""truncatedAlerts":\#(leftOut)"#)
                    .replacingOccurrences(
                        of: #""groupKey":"{}:{alertname=\"HighLatency\"}""#, with: #""groupKey":"{}:{alertname=\"\#(group)\"}""#)
                let reply = try await api.send(.post, "/ingest/alertmanager/\(key)", body: body)
                #expect(reply.status == .ok, "\(reply.text)")
            }
            func incident() async throws -> (incident: [String: Any], notes: [String]) {
                let list = try #require(
                    try await api.send(.get, "/api/v1/incidents", token: api.viewer).object["items"] as? [[String: Any]])
                #expect(list.count == 1)
                let detail = try await api.send(.get, "/api/v1/incidents/\(list.first?["reference"] as? String ?? "")", token: api.viewer)
                    .object
                let timeline = detail["timeline"] as? [[String: Any]] ?? []
                let notes = timeline.filter { ($0["details"] as? [String: String])?["leftOut"] != nil }.compactMap { $0["text"] as? String }
                return (detail["incident"] as? [String: Any] ?? [:], notes)
            }
            // when: the group outgrows max_alerts, twice with the same count, while another
            // Alertmanager group with the same alerts (another route) leaves nothing out
            try await notify(leftOut: 0)
            try await notify(leftOut: 1_500)
            try await notify(leftOut: 0, group: "Other")
            try await notify(leftOut: 1_500)
            let cut = try await incident()
            // then
            #expect(cut.incident["alertsLeftOut"] as? [String: Int] == [#"{}:{alertname="HighLatency"}"#: 1_500])
            #expect(
                cut.notes == [
                    #"The sender left 1500 alerts out of its notification for group {}:{alertname="HighLatency"} (its max_alerts setting): this incident lists fewer alerts than are firing."#
                ])

            // when: the group fits again, after the incident's grouping window (4 h) has passed
            api.clock.advance(by: 5 * 3_600)
            try await notify(leftOut: 0)
            let whole = try await incident()
            // then
            #expect(whole.incident["alertsLeftOut"] == nil)
            #expect(whole.notes.count == 2)
            #expect(
                whole.notes.last
                    == #"The sender's notifications for group {}:{alertname="HighLatency"} hold every alert again; none is left out."#)
        }
    }

    @Test(
        "a storm of 3,000 alerts in one notification, larger than the API's body limit, is taken whole into one incident",
        arguments: TestBackend.all)
    func storm(backend: TestBackend) async throws {
        try await APIHarness.run(backend, maxBodyBytes: 64 * 1024, maxIngestBodyBytes: 16 << 20) { api in
            // given
            let key = try await api.integration(
                "alertmanager", policy: #"{"groupBy":["alertname"],"groupWindowSeconds":3600,"autoResolve":false}"#)
            let alerts = (0..<3_000).map { index in
                #"{"status":"firing","labels":{"alertname":"NodeDown","instance":"node-\#(index):9100","severity":"critical"},"annotations":{"summary":"node-\#(index) is down"},"startsAt":"2026-11-18T10:58:00Z","fingerprint":"n\#(index)"}"#
            }
            let body = #"{"version":"4","status":"firing","alerts":[\#(alerts.joined(separator: ","))]}"#
            #expect(body.utf8.count > 64 * 1024)
            // when
            let reply = try await api.send(.post, "/ingest/alertmanager/\(key)", body: body)
            let redelivered = try await api.send(.post, "/ingest/alertmanager/\(key)", body: body)
            // then
            #expect(reply.status == .ok, "\(reply.text.prefix(300))")
            let outcomes = try #require(reply.object["outcomes"] as? [[String: Any]])
            #expect(outcomes.count == 3_000)
            #expect(Set(outcomes.compactMap { $0["incident"] as? String }).count == 1)
            let again = try #require(redelivered.object["outcomes"] as? [[String: Any]])
            #expect(again.count == 3_000 && again.allSatisfy { $0["change"] as? String == "repeated" })
            #expect(try await api.store.alerts(AlertQuery(service: "web", limit: 5_000)).count == 3_000)
            let incidents = try await api.send(.get, "/api/v1/incidents", token: api.viewer).object["items"] as? [[String: Any]]
            #expect(incidents?.count == 1)
            let reference = try #require(incidents?.first?["reference"] as? String)
            var pages: [Int] = []
            for offset in [0, 1_000, 2_000, 3_000] {
                pages.append(
                    try await api.send(.get, "/api/v1/incidents/\(reference)/alerts?limit=1000&offset=\(offset)", token: api.viewer).array
                        .count)
            }
            #expect(pages == [1_000, 1_000, 1_000, 0])
            try await api.send(.get, "/api/v1/incidents/\(reference)/alerts?offset=-1", token: api.viewer).expectProblem(
                .badRequest, field: "offset")
            try await api.send(.get, "/api/v1/alerts?offset=x", token: api.viewer).expectProblem(.badRequest, field: "offset")
        }
    }

    @Test("Grafana's version 1 envelope is accepted on its own endpoint", arguments: TestBackend.all)
    func grafana(backend: TestBackend) async throws {
        try await APIHarness.run(backend) { api in
            let key = try await api.integration("grafana")
            let body = #"""
                {"receiver":"muster","status":"firing","orgId":1,"version":"1","title":"[FIRING:1] CPU","state":"alerting","message":"CPU high",
                 "groupLabels":{},"commonLabels":{"alertname":"CPU"},"commonAnnotations":{},"externalURL":"http://grafana.example",
                 "alerts":[{"status":"firing","labels":{"alertname":"CPU","severity":"critical"},"annotations":{"summary":"CPU at 98%"},
                   "startsAt":"2026-11-18T11:00:00Z","endsAt":"0001-01-01T00:00:00Z","fingerprint":"g1","dashboardURL":"http://grafana.example/d/x",
                   "panelURL":"http://grafana.example/d/x?viewPanel=2","silenceURL":"http://grafana.example/silence","values":{"B":98.2}}]}
                """#
            let reply = try await api.send(.post, "/ingest/grafana/\(key)", body: body)
            #expect(reply.status == .ok, "\(reply.text)")
            let alert = try #require(try await api.send(.get, "/api/v1/alerts", token: api.viewer).array.first)
            #expect(alert["source"] as? String == "grafana")
            #expect((alert["annotations"] as? [String: String])?["values"] == #"{"B":98.2}"#)
            #expect((alert["links"] as? [[String: Any]])?.count == 3)
        }
    }

    @Test("generic format: single and batch, errors name the field, keys are checked", arguments: TestBackend.all)
    func generic(backend: TestBackend) async throws {
        try await APIHarness.run(backend) { api in
            let key = try await api.integration("generic")
            let single = try await api.send(
                .post, "/ingest/generic/\(key)",
                body: #"{"summary":"Backup failed","severity":"error","dedupKey":"backup","labels":{"job":"nightly"}}"#)
            #expect(single.status == .accepted, "\(single.text)")
            let batch = try await api.send(
                .post, "/ingest/generic/\(key)",
                body: #"{"alerts":[{"summary":"A","labels":{"x":"1"}},{"action":"resolve","dedupKey":"backup"}]}"#)
            #expect(batch.status == .accepted)
            #expect((batch.object["outcomes"] as? [[String: Any]])?.compactMap { $0["change"] as? String } == ["opened", "resolved"])
            try await api.send(.post, "/ingest/generic/\(key)", body: #"{"severity":"error","dedupKey":"x"}"#).expectProblem(
                .badRequest, field: "summary")
            try await api.send(
                .post, "/ingest/generic/\(key)",
                body: #"{"alerts":[{"summary":"ok","dedupKey":"a"},{"summary":"x","severity":"loud","dedupKey":"b"}]}"#
            ).expectProblem(.badRequest, field: "alerts[1].severity")
            try await api.send(.post, "/ingest/generic/\(key)", body: #"{"summary":"no key"}"#).expectProblem(
                .badRequest, field: "dedupKey")
            try await api.send(.post, "/ingest/generic/\(key)", body: "[]").expectProblem(.badRequest)
            let tooMany =
                "{\"alerts\":[" + Array(repeating: #"{"summary":"s","dedupKey":"k"}"#, count: 10_001).joined(separator: ",") + "]}"
            try await api.send(.post, "/ingest/generic/\(key)", body: tooMany).expectProblem(.badRequest, field: "alerts")
            try await api.send(.post, "/ingest/generic/\(key)", body: #"{"alerts":[]}"#).expectProblem(.badRequest, field: "alerts")
            try await api.send(.post, "/ingest/generic/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", body: "{}").expectProblem(.notFound)
            try await api.send(.post, "/ingest/generic", body: "{}").expectProblem(.unauthorized)
            try await api.send(.post, "/ingest/alertmanager/\(key)", body: Self.alertmanagerBody).expectProblem(.badRequest, field: "kind")
            // The failed batch stored nothing of itself.
            #expect(try await api.send(.get, "/api/v1/alerts", token: api.viewer).array.count == 2)
        }
    }

    @Test("malformed and hostile bodies get 400 saying what is wrong, and store nothing", arguments: TestBackend.all)
    func hostileBodies(backend: TestBackend) async throws {
        try await APIHarness.run(backend) { api in
            // given
            let key = try await api.integration("alertmanager")
            let cases: [(String, String)] = [
                ("{\"alerts\":[{\"labels\":{\"a\":\"b\"}}", "ends inside"),
                (String(repeating: "[", count: 60_000), "nested deeper than 64 levels"),
                ("{\"alerts\":[{\"labels\":{\"a\":\"\u{1}\"}}]}", "control character"),
                ("{\"alerts\":[{\"labels\":{\"a\":\"\\ud800\"}}]}", "lone surrogate"),
                ("{\"alerts\":[1]}", "'alerts[0]' must be an object"),
                ("{\"alerts\":[{\"labels\":{\"a\":\"b\"}},{\"labels\":{\"a\":\"c\"},\"startsAt\":\"yesterday\"}]}", "alerts[1].startsAt"),
                (
                    "{\"alerts\":[" + Array(repeating: "{\"labels\":{\"a\":\"1\"}}", count: 10_001).joined(separator: ",") + "]}",
                    "at most 10000"
                ),
            ]
            for (body, words) in cases {
                // when
                let reply = try await api.send(.post, "/ingest/alertmanager/\(key)", body: body)
                // then
                let detail = reply.expectProblem(.badRequest)
                #expect(detail.contains(words), "\(body.prefix(60)): \(detail)")
            }
            #expect(try await api.send(.get, "/api/v1/alerts", token: api.viewer).array.isEmpty)
            #expect(try await api.send(.post, "/ingest/alertmanager/\(key)", body: Self.alertmanagerBody).status == .ok)
        }
    }

    @Test(
        "oversized texts from Alertmanager and PagerDuty senders are cut to fit, not refused; a blank summary falls back to the description",
        arguments: TestBackend.all)
    func cutToFit(backend: TestBackend) async throws {
        try await APIHarness.run(backend) { api in
            // given: what real templates render
            let alertmanager = try await api.integration("alertmanager")
            let pagerDuty = try await api.integration("pagerduty")
            let trace = String(repeating: "at Frame.run (frame.swift:12)\\n", count: 700)
            let notification = #"""
                {"version":"4","status":"firing","alerts":[
                 {"status":"firing","labels":{"alertname":"Crash","instance":"a"},"annotations":{"summary":"","description":"Worker crashed"},"fingerprint":"c1"},
                 {"status":"firing","labels":{"alertname":"Crash","instance":"b"},"annotations":{"summary":"Worker crashed on b","trace":"\#(trace)"},"fingerprint":"c2"}]}
                """#
            let firing = String(repeating: "Labels:\\n - alertname = NodeDown\\n", count: 1_000)
            let event =
                #"{"routing_key":"\#(pagerDuty)","event_action":"trigger","dedup_key":"g1","payload":{"summary":"[FIRING:300] NodeDown","source":"am","severity":"critical","custom_details":{"firing":"\#(firing)","num_firing":"300"}}}"#
            // when
            let delivered = try await api.send(.post, "/ingest/alertmanager/\(alertmanager)", body: notification)
            let paged = try await api.send(.post, "/v2/enqueue", body: event)
            // then
            #expect(delivered.status == .ok, "\(delivered.text)")
            #expect(paged.status == .accepted, "\(paged.text)")
            let alerts = try await api.store.alerts(AlertQuery(service: "web"))
            let byKey = Dictionary(uniqueKeysWithValues: alerts.map { ($0.dedupKey, $0) })
            #expect(byKey["c1"]?.summary == "Worker crashed")
            #expect(byKey["c2"]?.annotations["trace"]?.count == AlertEvent.maxLabelValueLength)
            #expect(byKey["g1"]?.annotations["firing"]?.hasSuffix("…") == true)
            #expect(byKey["g1"]?.annotations["num_firing"] == "300")
        }
    }

    @Test("oversized bodies get 413, floods get 429 with Retry-After", arguments: TestBackend.all)
    func limits(backend: TestBackend) async throws {
        try await APIHarness.run(backend, maxBodyBytes: 4_096, maxIngestBodyBytes: 4_096, ingestRate: 2) { api in
            let key = try await api.integration("generic")
            let big = #"{"summary":"\#(String(repeating: "x", count: 5_000))","dedupKey":"big"}"#
            try await api.send(.post, "/ingest/generic/\(key)", body: big).expectProblem(.contentTooLarge)
            var statuses: [Int] = []
            for index in 0..<6 {
                let reply = try await api.send(.post, "/ingest/generic/\(key)", body: #"{"summary":"s","dedupKey":"k\#(index)"}"#)
                statuses.append(reply.status.code)
                if reply.status == .tooManyRequests { #expect(reply.headers[.retryAfter] != nil) }
            }
            #expect(statuses.prefix(4) == [202, 202, 202, 202])
            #expect(statuses.last == 429)
            api.clock.advance(by: 5)
            #expect(try await api.send(.post, "/ingest/generic/\(key)", body: #"{"summary":"s","dedupKey":"later"}"#).status == .accepted)
        }
    }

    @Test(
        "over its rate limit, Alertmanager's endpoint answers 503 (which Alertmanager retries) and PagerDuty's 429 in PagerDuty's shape",
        arguments: TestBackend.all)
    func throttledSenders(backend: TestBackend) async throws {
        try await APIHarness.run(backend, ingestRate: 1) { api in
            // given: a bucket of two events each
            let alertmanager = try await api.integration("alertmanager")
            let pagerDuty = try await api.integration("pagerduty")
            let event =
                #"{"routing_key":"\#(pagerDuty)","event_action":"trigger","payload":{"summary":"s","source":"h","severity":"info"}}"#
            // when
            let accepted = try await api.send(.post, "/ingest/alertmanager/\(alertmanager)", body: Self.alertmanagerBody)
            let throttled = try await api.send(.post, "/ingest/alertmanager/\(alertmanager)", body: Self.alertmanagerBody)
            for _ in 0..<2 { _ = try await api.send(.post, "/v2/enqueue", body: event) }
            let paged = try await api.send(.post, "/v2/enqueue", body: event)
            // then
            #expect(accepted.status == .ok)
            #expect(throttled.expectProblem(.serviceUnavailable).contains("over its limit of 1 events a second"))
            #expect(throttled.object["type"] as? String == "urn:muster:problem:rate-limited")
            #expect(throttled.headers[.retryAfter] == "2")
            #expect(paged.status == .tooManyRequests)
            #expect(paged.object["status"] as? String == "throttle exceeded")
            #expect(paged.headers[.retryAfter] == "1")
        }
    }

    @Test("silences over the API hold alerts back and can be expired", arguments: TestBackend.all)
    func silences(backend: TestBackend) async throws {
        try await APIHarness.run(backend) { api in
            let key = try await api.integration("generic")
            let created = try await api.write(
                "/api/v1/silences",
                #"{"matchers":["job=nightly",{"name":"env","operator":"=~","value":"stag.*"}],"duration":"2h","comment":"migration"}"#)
            #expect(created.status == .created, "\(created.text)")
            let silenced = try await api.send(
                .post, "/ingest/generic/\(key)", body: #"{"summary":"noise","labels":{"job":"nightly","env":"staging"}}"#)
            #expect((silenced.object["outcomes"] as? [[String: Any]])?.first?["silenced"] as? Bool == true)
            #expect((try await api.send(.get, "/api/v1/incidents", token: api.viewer).object["total"] as? Int) == 0)
            let id = try #require(created.object["id"] as? String)
            #expect(try await api.send(.delete, "/api/v1/silences/\(id)", token: api.responder).status == .ok)
            #expect(try await api.send(.get, "/api/v1/silences", token: api.viewer).array.isEmpty)
            try await api.write("/api/v1/silences", #"{"matchers":["env=~("],"duration":"1h","comment":"x"}"#).expectProblem(
                .badRequest, field: "matchers.value")
            try await api.write("/api/v1/silences", #"{"matchers":["a=b"],"comment":"x"}"#).expectProblem(.badRequest, field: "endsAt")
        }
    }

    @Test("a silence's regular expression cannot stall ingestion, whatever label a sender crafts", arguments: TestBackend.all)
    func silenceRegexInLinearTime(backend: TestBackend) async throws {
        try await APIHarness.run(backend) { api in
            // given: (a+)+ takes a backtracking engine exponential time on a's followed by a b
            let key = try await api.integration("generic")
            let created = try await api.write(
                "/api/v1/silences", #"{"matchers":["job=nightly","host=~(a+)+"],"duration":"2h","comment":"batch hosts"}"#)
            #expect(created.status == .created, "\(created.text)")
            let crafted = String(repeating: "a", count: 10_000) + "b"

            // when
            let held = try await api.send(
                .post, "/ingest/generic/\(key)", body: #"{"summary":"noise","labels":{"job":"nightly","host":"aaaa"}}"#)
            let passed = try await api.send(
                .post, "/ingest/generic/\(key)", body: #"{"summary":"real","labels":{"job":"nightly","host":"\#(crafted)"}}"#)

            // then
            #expect((held.object["outcomes"] as? [[String: Any]])?.first?["silenced"] as? Bool == true)
            #expect(passed.status == .accepted, "\(passed.text)")
            #expect((passed.object["outcomes"] as? [[String: Any]])?.first?["silenced"] as? Bool == false)
            #expect((try await api.send(.get, "/api/v1/incidents", token: api.viewer).object["total"] as? Int) == 1)
            let refused = try await api.write("/api/v1/silences", #"{"matchers":["host=~(?!db).*"],"duration":"1h","comment":"x"}"#)
            refused.expectProblem(.badRequest, field: "matchers.value")
            #expect(refused.text.contains("lookahead and lookbehind are not supported"))
        }
    }

    @Test("a silence answers with the firing alerts it takes; a dry run shows them and stores nothing", arguments: TestBackend.all)
    func silencePreview(backend: TestBackend) async throws {
        try await APIHarness.run(backend) { api in
            // given: two staging alerts firing, one resolved, one in production
            let key = try await api.integration("generic")
            let body =
                #"{"alerts":[{"summary":"Disk full","labels":{"env":"staging","host":"a"}},{"summary":"Disk slow","labels":{"env":"staging","host":"b"}},{"summary":"Disk full","labels":{"env":"prod"}},{"summary":"Old","dedupKey":"old","labels":{"env":"staging"}},{"action":"resolve","dedupKey":"old"}]}"#
            #expect(try await api.send(.post, "/ingest/generic/\(key)", body: body).status == .accepted)
            let request = #"{"matchers":["env=staging"],"duration":"1h","comment":"migration"}"#

            // when
            let preview = try await api.write("/api/v1/silences?dryRun=true", request)
            let listedAfterPreview = try await api.send(.get, "/api/v1/silences", token: api.viewer)
            let created = try await api.write("/api/v1/silences", request)
            let typo = try await api.write("/api/v1/silences", #"{"matchers":["enviroment=staging"],"duration":"1h","comment":"x"}"#)

            // then
            #expect(preview.status == .ok, "\(preview.text)")
            #expect(preview.object["dryRun"] as? Bool == true)
            let previewed = try #require(preview.object["preview"] as? [String: Any])
            #expect(previewed["firingAlerts"] as? Int == 2)
            #expect(previewed["complete"] as? Bool == true)
            let sample = try #require(previewed["sample"] as? [[String: Any]])
            #expect(Set(sample.compactMap { ($0["labels"] as? [String: String])?["host"] }) == ["a", "b"])
            #expect(listedAfterPreview.array.isEmpty)
            #expect(created.status == .created)
            #expect(created.object["dryRun"] == nil)
            #expect((created.object["preview"] as? [String: Any])?["firingAlerts"] as? Int == 2)
            #expect(try await api.send(.get, "/api/v1/silences", token: api.viewer).array.count == 2)
            #expect((typo.object["preview"] as? [String: Any])?["firingAlerts"] as? Int == 0)
            try await api.write("/api/v1/silences?dryRun=yes", request).expectProblem(.badRequest, field: "dryRun")
        }
    }
}
