import Foundation
import MusterCore
import MusterStore
import MusterTestSupport
import Testing

/// Alert ingestion against each real database: dedup, grouping, silences, resolution.
@Suite("Ingest conformance")
struct IngestConformanceTests {
    let t0 = Date(timeIntervalSince1970: 1_795_000_000)
    let mapping = SeverityMapping.standard(for: .standard)

    func fire(_ key: String, _ labels: [String: String] = [:], severity: AlertSeverity = .critical) -> AlertEvent {
        AlertEvent(action: .trigger, dedupKey: key, summary: "Alert \(key)", source: "test", severity: severity, labels: labels)
    }

    func resolve(_ key: String) -> AlertEvent {
        AlertEvent(action: .resolve, dedupKey: key, summary: "", source: "test", severity: .critical)
    }

    /// A service with an integration, ready to ingest.
    func setUp(_ store: any Store, policy: AlertPolicy = .standard) async throws -> Integration {
        _ = try await store.createService(ServiceRecord(id: "web", name: "Web", createdAt: t0, alertPolicy: policy))
        return try await store.createIntegration(service: "web", kind: .alertmanager, name: "am", at: t0).0
    }

    @Test("integration keys authenticate until rotated or revoked", arguments: TestBackend.all)
    func integrationKeys(backend: TestBackend) async throws {
        try await backend.withStore { store in
            _ = try await store.createService(ServiceRecord(id: "web", name: "Web", createdAt: t0))
            let (integration, key) = try await store.createIntegration(service: "web", kind: .pagerduty, name: "pd", at: t0)
            #expect(try await store.integration(forKey: key)?.id == integration.id)
            let (_, newKey) = try await store.rotateIntegration(integration.id, at: t0)
            #expect(try await store.integration(forKey: key) == nil)
            #expect(try await store.integration(forKey: newKey)?.id == integration.id)
            _ = try await store.revokeIntegration(integration.id, at: t0)
            #expect(try await store.integration(forKey: newKey) == nil)
            await #expect(throws: StoreError.self) { try await store.createIntegration(service: "nope", kind: .generic, name: "x", at: t0) }
        }
    }

    @Test("a storm of duplicates is one alert and one incident", arguments: TestBackend.all)
    func dedup(backend: TestBackend) async throws {
        try await backend.withStore { store in
            let integration = try await setUp(store)
            let first = try await store.ingest([fire("a")], via: integration, scheme: .standard, mapping: mapping, at: t0)
            let again = try await store.ingest(
                Array(repeating: fire("a"), count: 20), via: integration, scheme: .standard, mapping: mapping, at: t0.addingTimeInterval(5))
            #expect(first[0].change == .opened)
            #expect(again.allSatisfy { $0.change == .repeated && $0.incident == first[0].incident })
            let alerts = try await store.alerts(AlertQuery())
            #expect(alerts.count == 1)
            #expect(alerts[0].occurrences == 21)
            #expect(alerts[0].lastSeen == t0.addingTimeInterval(5))
            #expect(try await store.listIncidents(IncidentQuery()).total == 1)
        }
    }

    @Test("alert lists page newest activity first; ties keep one order, so pages neither repeat nor skip", arguments: TestBackend.all)
    func paging(backend: TestBackend) async throws {
        try await backend.withStore { store in
            // given: five alerts seen at once, then two of them again later
            let integration = try await setUp(store)
            _ = try await store.ingest((1...5).map { fire("k\($0)") }, via: integration, scheme: .standard, mapping: mapping, at: t0)
            _ = try await store.ingest(
                [fire("k2"), fire("k4")], via: integration, scheme: .standard, mapping: mapping, at: t0.addingTimeInterval(60))
            // when
            let all = try await store.alerts(AlertQuery(limit: 10)).map(\.dedupKey)
            var paged: [String] = []
            for offset in stride(from: 0, to: 6, by: 2) {
                paged += try await store.alerts(AlertQuery(limit: 2, offset: offset)).map(\.dedupKey)
            }
            // then
            #expect(Set(all.prefix(2)) == ["k2", "k4"])
            #expect(Set(all) == ["k1", "k2", "k3", "k4", "k5"])
            #expect(paged == all)
            #expect(try await store.alerts(AlertQuery(limit: 10, offset: 5)).isEmpty)
        }
    }

    @Test("alerts group by the chosen labels within the window; others open their own incident", arguments: TestBackend.all)
    func grouping(backend: TestBackend) async throws {
        try await backend.withStore { store in
            let integration = try await setUp(store, policy: AlertPolicy(groupBy: ["cluster"], groupWindowSeconds: 3_600))
            let out = try await store.ingest(
                [fire("1", ["cluster": "eu"]), fire("2", ["cluster": "eu"], severity: .warning), fire("3", ["cluster": "us"])],
                via: integration, scheme: .standard, mapping: mapping, at: t0)
            let late = try await store.ingest(
                [fire("4", ["cluster": "eu"])], via: integration, scheme: .standard, mapping: mapping, at: t0.addingTimeInterval(3_601))
            #expect(out[0].incident == out[1].incident)
            #expect(out[2].incident != out[0].incident)
            #expect(late[0].incident != out[0].incident)
            let eu = try #require(try await store.incident(out[0].incident!))
            #expect(eu.severity == "P1")
            #expect(eu.groupKey == "cluster=eu")
            let timeline = try await store.timeline(of: eu.id)
            #expect(timeline.map(\.kind) == [.declared, .alert, .page])
        }
    }

    @Test("a changed grouping policy (window or labels) applies from the next alert on", arguments: TestBackend.all)
    func policyChange(backend: TestBackend) async throws {
        try await backend.withStore { store in
            // given: an incident grouped by cluster within a minute
            let integration = try await setUp(store, policy: AlertPolicy(groupBy: ["cluster"], groupWindowSeconds: 60))
            let first = try await store.ingest(
                [fire("1", ["cluster": "eu", "host": "a"])], via: integration, scheme: .standard, mapping: mapping, at: t0)
            // when: the window grows to an hour, and later the policy groups by host as well
            _ = try await store.setAlertPolicy(AlertPolicy(groupBy: ["cluster"], groupWindowSeconds: 3_600), for: "web")
            let wider = try await store.ingest(
                [fire("2", ["cluster": "eu", "host": "b"])], via: integration, scheme: .standard, mapping: mapping,
                at: t0.addingTimeInterval(120))
            _ = try await store.setAlertPolicy(AlertPolicy(groupBy: ["cluster", "host"], groupWindowSeconds: 3_600), for: "web")
            let byHost = try await store.ingest(
                [fire("3", ["cluster": "eu", "host": "b"])], via: integration, scheme: .standard, mapping: mapping,
                at: t0.addingTimeInterval(180))
            // then: each alert follows the policy in force when it arrived
            #expect(wider[0].incident == first[0].incident)
            #expect(byHost[0].incident != first[0].incident)
            let hostB = try #require(try await store.incident(byHost[0].incident!))
            #expect(hostB.groupKey == "cluster=eu,host=b")
            #expect(try await store.listIncidents(IncidentQuery()).total == 2)
        }
    }

    @Test("a storm's alerts share entries of 100; batches larger than one statement keep arrival order", arguments: TestBackend.all)
    func longTimeline(backend: TestBackend) async throws {
        try await backend.withStore { store in
            // given an open incident
            let integration = try await setUp(store)
            let first = try await store.ingest([fire("k-0000")], via: integration, scheme: .standard, mapping: mapping, at: t0)
            let keys = (1...1_350).map { String(format: "k-%04d", $0) }
            // when one batch alternates joins and resolves (900 entries, over several statements of
            // 400), and a second brings 900 alerts at once
            let alternating = keys[..<450].flatMap { [fire($0), resolve($0)] }
            _ = try await store.ingest(alternating, via: integration, scheme: .standard, mapping: mapping, at: t0)
            _ = try await store.ingest(keys[450...].map { fire($0) }, via: integration, scheme: .standard, mapping: mapping, at: t0)
            // then the first batch has an entry per change, the second one per 100 alerts, all in arrival order
            let incident = try #require(try await store.incident(first[0].incident!))
            let notes = try await store.timeline(of: incident.id).filter { $0.kind == .alert }
            let listed = try notes.map { entry in
                let keys = try JSONDecoder().decode([String].self, from: Data(try #require(entry.details["dedupKeys"]).utf8))
                return (entry.details["change"] ?? "", keys)
            }
            let expected =
                keys[..<450].flatMap { [("opened", [$0]), ("resolved", [$0])] }
                + stride(from: 450, to: 1_350, by: 100).map { ("opened", Array(keys[$0..<$0 + 100])) }
            #expect(listed.map(\.0) == expected.map(\.0))
            #expect(listed.map(\.1) == expected.map(\.1))
            #expect(notes.last?.text == "100 alerts joined (critical): Alert k-1251; Alert k-1252; Alert k-1253; and 97 more")
        }
    }

    @Test("a batch of 5,000 alerts that each open an incident stays within the binds one statement may carry", arguments: TestBackend.all)
    func wideBatch(backend: TestBackend) async throws {
        try await backend.withStore { store in
            // given a service that groups by host
            let integration = try await setUp(store, policy: AlertPolicy(groupBy: ["host"]))
            // when one batch brings 5,000 hosts' alerts: written together, its rows would need
            // about 100,000 binds, where PostgreSQL takes 65,535 per statement
            let events = (1...5_000).map { fire("h\($0)", ["host": "h\($0)"]) }
            let outcomes = try await store.ingest(events, via: integration, scheme: .standard, mapping: mapping, at: t0)
            // then every alert opened its own incident, and all of them were stored
            #expect(Set(outcomes.compactMap(\.incident)).count == 5_000)
            #expect(try await store.listIncidents(IncidentQuery()).total == 5_000)
        }
    }

    @Test("silenced alerts are stored but open nothing; the silence can end when they resolve", arguments: TestBackend.all)
    func silences(backend: TestBackend) async throws {
        try await backend.withStore { store in
            let integration = try await setUp(store)
            let silence = try await store.createSilence(
                try Silence(
                    id: UUID(), matchers: [LabelMatcher.parse("env=staging")], startsAt: t0, endsAt: t0.addingTimeInterval(7_200),
                    createdBy: "ops", comment: "load test", expireWhenResolved: true, createdAt: t0))
            let out = try await store.ingest(
                [fire("s", ["env": "staging"]), fire("p", ["env": "prod"])], via: integration, scheme: .standard, mapping: mapping, at: t0)
            #expect(out[0].silenced)
            #expect(out[0].incident == nil)
            #expect(!out[1].silenced)
            #expect(try await store.listIncidents(IncidentQuery()).total == 1)
            #expect(try await store.silences(includeExpired: false, at: t0).count == 1)
            _ = try await store.ingest([resolve("s")], via: integration, scheme: .standard, mapping: mapping, at: t0.addingTimeInterval(60))
            #expect(try await store.silences(includeExpired: false, at: t0.addingTimeInterval(61)).isEmpty)
            #expect(try await store.silences(includeExpired: true, at: t0.addingTimeInterval(61)).map(\.id) == [silence.id])
        }
    }

    @Test("a maintenance window called off before it begins never holds an alert back", arguments: TestBackend.all)
    func calledOffWindow(backend: TestBackend) async throws {
        try await backend.withStore { store in
            // given a window planned for tomorrow
            let integration = try await setUp(store)
            let tomorrow = t0.addingTimeInterval(86_400)
            let window = try await store.createSilence(
                try Silence(
                    id: UUID(), matchers: [LabelMatcher.parse("env=staging")], startsAt: tomorrow,
                    endsAt: tomorrow.addingTimeInterval(3_600),
                    createdBy: "ops", comment: "storage upgrade", expireWhenResolved: false, createdAt: t0))
            // when it is expired today
            let ended = try await store.expireSilence(window.id, at: t0)
            // then it is over, neither listed as to come nor in force tomorrow
            #expect(ended.startsAt == t0)
            #expect(ended.endsAt == t0)
            #expect(try await store.silences(includeExpired: false, at: t0).isEmpty)
            #expect(try await store.silences(includeExpired: true, at: t0).map(\.id) == [window.id])
            let out = try await store.ingest(
                [fire("s", ["env": "staging"])], via: integration, scheme: .standard, mapping: mapping, at: tomorrow.addingTimeInterval(60))
            #expect(!out[0].silenced)
            #expect(out[0].incident != nil)
        }
    }

    @Test(
        "an alert still firing when its silence ends joins an incident, at its next delivery or when released", arguments: TestBackend.all)
    func outlivesSilence(backend: TestBackend) async throws {
        try await backend.withStore { store in
            // given: a one-hour window over staging; db alerts get a second window that starts later and lasts longer
            let integration = try await setUp(store)
            let hour = 3_600.0
            let window = try await store.createSilence(
                try Silence(
                    id: UUID(), matchers: [LabelMatcher.parse("env=staging")], startsAt: t0, endsAt: t0.addingTimeInterval(hour),
                    createdBy: "ops", comment: "upgrade", expireWhenResolved: false, createdAt: t0))
            let longer = try await store.createSilence(
                try Silence(
                    id: UUID(), matchers: [LabelMatcher.parse("team=db")], startsAt: t0.addingTimeInterval(hour / 2),
                    endsAt: t0.addingTimeInterval(3 * hour),
                    createdBy: "ops", comment: "db work", expireWhenResolved: false, createdAt: t0))
            let staging = ["env": "staging"]
            let held = try await store.ingest(
                [fire("quiet", staging), fire("loud", staging), fire("fixed", staging), fire("db", ["env": "staging", "team": "db"])],
                via: integration, scheme: .standard, mapping: mapping, at: t0)
            _ = try await store.ingest(
                [resolve("fixed")], via: integration, scheme: .standard, mapping: mapping, at: t0.addingTimeInterval(60))
            #expect(held.allSatisfy { $0.silenced && $0.incident == nil })
            #expect(
                try await store.releaseHeldAlerts(scheme: .standard, mapping: mapping, at: t0.addingTimeInterval(hour / 2), limit: 100)
                    .isEmpty)

            // when: after the window, one alert is delivered again, then the rest are released
            let after = t0.addingTimeInterval(2 * hour)
            let redelivered = try await store.ingest(
                [fire("loud", staging)], via: integration, scheme: .standard, mapping: mapping, at: after)
            let released = try await store.releaseHeldAlerts(scheme: .standard, mapping: mapping, at: after, limit: 100)
            let again = try await store.releaseHeldAlerts(scheme: .standard, mapping: mapping, at: after, limit: 100)

            // then: both firing alerts are in one incident, the resolved one stays out, the db alert is held by the longer window
            let incident = try #require(redelivered[0].incident)
            #expect(redelivered[0].change == .repeated)
            #expect(!redelivered[0].silenced)
            #expect(released.map(\.dedupKey).sorted() == ["db", "quiet"])
            #expect(released.allSatisfy { $0.change == .released })
            #expect(released.first { $0.dedupKey == "quiet" }?.incident == incident)
            #expect(released.first { $0.dedupKey == "db" }.map { $0.silenced && $0.incident == nil } == true)
            #expect(again.isEmpty)
            let alerts = try await store.alerts(AlertQuery())
            #expect(alerts.first { $0.dedupKey == "db" }?.silenceID == longer.id)
            #expect(alerts.first { $0.dedupKey == "fixed" }.map { $0.incidentID == nil && $0.silenceID == window.id } == true)
            let stored = try #require(try await store.listIncidents(IncidentQuery()).items.first)
            #expect(stored.reference == incident)
            #expect(try await store.listIncidents(IncidentQuery()).total == 1)
            let texts = try await store.timeline(of: stored.id).map(\.text)
            #expect(texts.contains("Alert joined when its silence ended (critical): Alert quiet"), "\(texts)")
        }
    }

    @Test("resolving every alert is noted, and auto-resolve follows the service policy", arguments: TestBackend.all)
    func resolution(backend: TestBackend) async throws {
        try await backend.withStore { store in
            let integration = try await setUp(store, policy: AlertPolicy(autoResolve: true))
            let out = try await store.ingest([fire("x"), fire("y")], via: integration, scheme: .standard, mapping: mapping, at: t0)
            _ = try await store.ingest([resolve("x")], via: integration, scheme: .standard, mapping: mapping, at: t0.addingTimeInterval(60))
            #expect(try await store.incident(out[0].incident!)?.status == .triggered)
            _ = try await store.ingest(
                [resolve("y"), resolve("y")], via: integration, scheme: .standard, mapping: mapping, at: t0.addingTimeInterval(120))
            let incident = try #require(try await store.incident(out[0].incident!))
            #expect(incident.status == .resolved)
            let texts = try await store.timeline(of: incident.id).map(\.text)
            #expect(texts.contains("Every alert of this incident has resolved."))
            // A resolve for an alert never seen is ignored, not stored.
            let unknown = try await store.ingest([resolve("never")], via: integration, scheme: .standard, mapping: mapping, at: t0)
            #expect(unknown[0].change == .ignored)
            #expect(try await store.alerts(AlertQuery()).count == 2)
        }
    }

    @Test("a batch of resolve events counts the alerts still firing as the batch leaves them", arguments: TestBackend.all)
    func resolutionInBatches(backend: TestBackend) async throws {
        try await backend.withStore { store in
            // given an incident of three alerts, on a service whose incidents resolve by themselves
            let integration = try await setUp(store, policy: AlertPolicy(autoResolve: true))
            let out = try await store.ingest(
                [fire("x"), fire("y"), fire("z")], via: integration, scheme: .standard, mapping: mapping, at: t0)
            let id = try #require(out[0].incident)
            // when one batch resolves all three but x fires again in between
            _ = try await store.ingest(
                [resolve("x"), resolve("y"), fire("x"), resolve("z")], via: integration, scheme: .standard, mapping: mapping,
                at: t0.addingTimeInterval(60))
            // then x still fires: nothing says every alert resolved
            #expect(try await store.incident(id)?.status == .triggered)
            #expect(
                try await store.timeline(of: try #require(try await store.incident(id)).id).filter { $0.details["allResolved"] != nil }
                    .isEmpty)
            // when x resolves, and a second incident's 300 alerts resolve in one batch
            _ = try await store.ingest(
                [resolve("x")], via: integration, scheme: .standard, mapping: mapping, at: t0.addingTimeInterval(120))
            let keys = (1...300).map { "w\($0)" }
            let wide = try await store.ingest(
                keys.map { fire($0) }, via: integration, scheme: .standard, mapping: mapping, at: t0.addingTimeInterval(180))
            _ = try await store.ingest(
                keys.map { resolve($0) }, via: integration, scheme: .standard, mapping: mapping, at: t0.addingTimeInterval(240))
            // then each incident says so once, after its last alert, and resolves
            for key in [id, try #require(wide[0].incident)] {
                let incident = try #require(try await store.incident(key))
                #expect(incident.status == .resolved)
                let timeline = try await store.timeline(of: incident.id)
                #expect(timeline.filter { $0.details["allResolved"] != nil }.count == 1)
                let lastResolved = try #require(timeline.lastIndex { $0.details["change"] == "resolved" })
                #expect(timeline.firstIndex { $0.details["allResolved"] != nil }! > lastResolved)
            }
        }
    }

    @Test("alerts a batch sent to the database before its end keep every later change of the batch", arguments: TestBackend.all)
    func changesAfterWritingAhead(backend: TestBackend) async throws {
        try await backend.withStore { store in
            // given a service whose incidents resolve by themselves
            let integration = try await setUp(store, policy: AlertPolicy(autoResolve: true))
            let keys = (1...60).map { "k\($0)" }
            // when one batch opens 60 alerts (PostgreSQL sends them ahead in parts while the batch
            // goes on), repeats the first, then resolves them all
            let events = keys.map { fire($0) } + [fire("k1")] + keys.map { resolve($0) }
            let outcomes = try await store.ingest(events, via: integration, scheme: .standard, mapping: mapping, at: t0)
            // then every change is kept, and the incident saw its last alert resolve once
            #expect(outcomes.map(\.change) == Array(repeating: .opened, count: 60) + [.repeated] + Array(repeating: .resolved, count: 60))
            let alerts = try await store.alerts(AlertQuery(limit: 100))
            #expect(alerts.count == 60)
            #expect(alerts.allSatisfy { $0.status == .resolved })
            #expect(alerts.first { $0.dedupKey == "k1" }?.occurrences == 3)  // fired, repeated, resolved
            let id = try #require(outcomes[0].incident)
            let incident = try #require(try await store.incident(id))
            #expect(incident.status == .resolved)
            let timeline = try await store.timeline(of: incident.id)
            #expect(timeline.filter { $0.details["allResolved"] != nil }.count == 1)
        }
    }

    @Test(
        "requests sharing a transaction see each other's alerts and incidents, as if ingested one after another", arguments: TestBackend.all
    )
    func requestsInOneBatch(backend: TestBackend) async throws {
        try await backend.withStore { store in
            // given: open alerts in the groups cluster=eu and cluster=jp, whose incidents resolve with their alerts
            let policy = AlertPolicy(groupBy: ["cluster"], groupWindowSeconds: 3_600, autoResolve: true)
            let integration = try await setUp(store, policy: policy)
            let before = try await store.ingest(
                [fire("x", ["cluster": "eu"]), fire("z", ["cluster": "jp"])], via: integration, scheme: .standard, mapping: mapping, at: t0)
            let (eu, jp) = (before[0].incident, before[1].incident)
            // Each request also fires alerts of its own, enough for PostgreSQL to look it up apart.
            var fillers = 0
            func request(_ events: AlertEvent...) -> IngestRequest {
                let filling = (0..<64).map { _ in
                    fillers += 1
                    return fire("filler-\(fillers)", ["cluster": "fill"])
                }
                return IngestRequest(events: events + filling, integration: integration)
            }
            // when: four requests in one transaction name the same alerts, groups and incidents
            let outcomes = try await store.ingest(
                [
                    request(fire("a", ["cluster": "eu"]), fire("b", ["cluster": "us"]), resolve("z")),
                    request(fire("a", ["cluster": "eu"]), fire("x", ["cluster": "eu"]), fire("c", ["cluster": "us"])),
                    request(resolve("b"), resolve("x"), fire("d", ["cluster": "ap"])),
                    request(fire("w", ["cluster": "jp"])),
                ], scheme: .standard, mapping: mapping, at: t0.addingTimeInterval(60)
            ).map { $0.dropLast(64) }
            // then
            #expect(
                outcomes.map { $0.map(\.change) } == [
                    [.opened, .opened, .resolved], [.repeated, .repeated, .opened], [.resolved, .resolved, .opened], [.opened],
                ])
            // the jp incident resolved with z in the first request, so w in the last opens another
            let (us, ap, jpAgain) = (outcomes[0][1].incident, outcomes[2][2].incident, outcomes[3][0].incident)
            #expect(outcomes.map { $0.map(\.incident) } == [[eu, us, jp], [eu, eu, us], [us, eu, ap], [jpAgain]])
            #expect(Set([eu, us, ap, jp, jpAgain]).count == 5)
            let alerts = Dictionary(uniqueKeysWithValues: try await store.alerts(AlertQuery(limit: 500)).map { ($0.dedupKey, $0) })
                .filter { !$0.key.hasPrefix("filler-") }
            #expect(alerts.mapValues(\.occurrences) == ["x": 3, "z": 2, "a": 2, "b": 2, "c": 1, "d": 1, "w": 1])
            #expect(alerts.filter { $0.value.status == .resolved }.keys.sorted() == ["b", "x", "z"])
            #expect(try await store.incident(jp ?? "")?.status == .resolved)
            #expect(try await store.incident(eu ?? "")?.status == .triggered)
            #expect(try await store.listIncidents(IncidentQuery()).total == 6)  // and the fillers' one
        }
    }

    @Test("requests sharing a transaction follow a grouping policy changed since the last batch", arguments: TestBackend.all)
    func policyChangeInBatch(backend: TestBackend) async throws {
        try await backend.withStore { store in
            // given: an incident of the group cluster=eu, then a policy that groups by host as well
            let integration = try await setUp(store, policy: AlertPolicy(groupBy: ["cluster"], groupWindowSeconds: 3_600))
            let first = try await store.ingest(
                [fire("1", ["cluster": "eu", "host": "a"])], via: integration, scheme: .standard, mapping: mapping, at: t0)
            _ = try await store.setAlertPolicy(AlertPolicy(groupBy: ["cluster", "host"], groupWindowSeconds: 3_600), for: "web")
            // when: two requests in one transaction
            let outcomes = try await store.ingest(
                [
                    IngestRequest(events: [fire("2", ["cluster": "eu", "host": "b"])], integration: integration),
                    IngestRequest(events: [fire("3", ["cluster": "eu", "host": "b"])], integration: integration),
                ], scheme: .standard, mapping: mapping, at: t0.addingTimeInterval(60))
            // then: both open and join one incident of the new group, not the old one
            let incident = try #require(outcomes[0][0].incident)
            #expect(incident != first[0].incident)
            #expect(outcomes[1][0].incident == incident)
            #expect(try await store.incident(incident)?.groupKey == "cluster=eu,host=b")
        }
    }

    @Test(
        "a request joins an incident that only a grouping window widened since the last batch reaches, alone in its transaction or sharing it",
        arguments: TestBackend.all, [1, 2])
    func widenedWindow(backend: TestBackend, requests count: Int) async throws {
        try await backend.withStore { store in
            // given: an incident of the group cluster=eu, ten minutes old, under a window of one minute, then widened to an hour
            let integration = try await setUp(store, policy: AlertPolicy(groupBy: ["cluster"], groupWindowSeconds: 60))
            let first = try await store.ingest(
                [fire("1", ["cluster": "eu"])], via: integration, scheme: .standard, mapping: mapping, at: t0)
            _ = try await store.setAlertPolicy(AlertPolicy(groupBy: ["cluster"], groupWindowSeconds: 3_600), for: "web")
            // when: one request, or two in one transaction
            let requests = (0..<count).map { IngestRequest(events: [fire("\($0 + 2)", ["cluster": "eu"])], integration: integration) }
            let outcomes = try await store.ingest(requests, scheme: .standard, mapping: mapping, at: t0.addingTimeInterval(600))
            // then: each joins the first incident, as the new window allows
            #expect(outcomes.map { $0[0].incident } == Array(repeating: first[0].incident, count: count))
            #expect(try await store.listIncidents(IncidentQuery()).total == 1)
        }
    }

    @Test("acknowledge events acknowledge the incident; a bad event stores nothing of its batch", arguments: TestBackend.all)
    func acknowledgeAndAtomicity(backend: TestBackend) async throws {
        try await backend.withStore { store in
            let integration = try await setUp(store)
            let out = try await store.ingest([fire("k")], via: integration, scheme: .standard, mapping: mapping, at: t0)
            _ = try await store.ingest(
                [AlertEvent(action: .acknowledge, dedupKey: "k", summary: "", source: "pd", severity: .critical)],
                via: integration, scheme: .standard, mapping: mapping, at: t0.addingTimeInterval(30))
            #expect(try await store.incident(out[0].incident!)?.status == .acknowledged)
            await #expect(throws: IncidentError.self) {
                try await store.ingest([fire("new"), fire("")], via: integration, scheme: .standard, mapping: mapping, at: t0)
            }
            #expect(try await store.alerts(AlertQuery()).map(\.dedupKey) == ["k"])
        }
    }

    @Test("a notification spanning many incidents tells at most 50 of them what its sender left out", arguments: TestBackend.all)
    func leftOutSpansIncidents(backend: TestBackend) async throws {
        try await backend.withStore { store in
            // given: a service whose alerts group by instance, and a cut notification of 60 instances
            let integration = try await setUp(store, policy: AlertPolicy(groupBy: ["instance"]))
            let events = (0..<60).map { fire("node-\($0)", ["instance": "node-\($0)"]) }
            let request = IngestRequest(events: events, integration: integration, leftOut: LeftOutAlerts(count: 40, group: "{}:{}"))
            // when
            _ = try await store.ingest([request], scheme: .standard, mapping: mapping, at: t0)
            // then
            let incidents = try await store.listIncidents(IncidentQuery(limit: 100)).items
            #expect(incidents.count == 60)
            #expect(incidents.filter { $0.alertsLeftOut == ["{}:{}": 40] }.count == IngestRequest.maxIncidentsNoted)
        }
    }
}
