import Foundation
import MusterStore
import MusterTestSupport
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// Drives a whole incident through the `muster` binary against a `muster serve` process.
@Suite("CLI end to end", .serialized)
struct CLIEndToEndTests {
    @Test("a whole incident, from token to close, through the CLI", arguments: TestBackend.all)
    func wholeIncident(backend: TestBackend) async throws {
        // given: a database with an admin token, and a server on it
        let database = try await backend.makeDatabase()
        defer { Task { await database.remove() } }
        let token = try await MusterProcess.responderToken(database: database.url, name: "oncall")
        let server = try await ServerProcess(database: database.url)
        let env = ["MUSTER_URL": server.url, "MUSTER_TOKEN": token]
        func muster(_ arguments: String...) async throws -> MusterProcess.Result {
            try await MusterProcess.run(arguments, environment: env)
        }

        // when
        let service = try await muster("service", "create", "checkout", "--name", "Checkout API")
        _ = try await muster("user", "create", "alice", "--name", "Alice", "--email", "alice@example.com")
        let declared = try await muster(
            "incident", "declare", "--title", "Checkout returns 500", "--service", "checkout",
            "--user-impact", "many", "--business-impact", "significant", "--commander", "alice")
        let id = try #require(declared.stdout.split(separator: " ").dropFirst().first.map(String.init))
        let steps = [
            try await muster("incident", "ack", id, "--note", "paged in"),
            try await muster("incident", "status", id, "investigating"),
            try await muster("incident", "note", id, "Connection pool exhausted", "--kind", "hypothesis"),
            try await muster("incident", "role", id, "scribe", "bob", "--outside"),
            try await muster("incident", "severity", id, "P1", "--reason", "all EU traffic affected"),
            try await muster("incident", "note", id, "Raised pool size", "--kind", "action", "--result", "succeeded"),
            try await muster("incident", "status", id, "monitoring", "--note", "errors falling"),
        ]
        let held = try await muster("incident", "resolve", id, "--resolution", "Pool size raised")
        let closing = [
            try await muster(
                "incident", "resolve", id, "--resolution", "Pool size raised", "--root-cause", "Leak in retry path", "--force",
                "Error rate flat since the change"),
            try await muster("incident", "close", id),
        ]
        let list = try await muster("incident", "list", "--status", "closed")
        let show = try await muster("incident", "show", id)
        let json = try await muster("incident", "show", id, "--json")
        let refused = try await muster("incident", "status", id, "investigating")
        let badToken = try await MusterProcess.run(
            ["incident", "list"], environment: ["MUSTER_URL": server.url, "MUSTER_TOKEN": "mst_wrong"])
        let noToken = try await MusterProcess.run(["incident", "list", "--url", server.url], environment: ["MUSTER_TOKEN": ""])
        let badValue = try await muster("incident", "status", id, "fixed")
        let exit = server.stop()

        // then
        #expect(service.status == 0, "\(service.stderr)")
        #expect(declared.status == 0, "\(declared.stderr)")
        #expect(declared.stdout.hasPrefix("Declared INC-"))
        #expect(declared.stdout.contains("[P2, triggered]"))
        #expect(declared.stdout.contains("Nobody was paged: no escalation policy is set for checkout"))
        for step in steps + closing { #expect(step.status == 0, "\(step.stderr)") }
        #expect(held.status == 5 && held.stderr.contains("resolution checklist items are open"), "\(held.stderr)")
        #expect(held.stderr.contains("give the reason with --force"), "\(held.stderr)")
        #expect(list.stdout.contains(id))
        #expect(list.stdout.contains("closed"))
        #expect(show.stdout.contains("Severity raised from P2 to P1: all EU traffic affected"))
        #expect(show.stdout.contains("Connection pool exhausted [open]"))
        #expect(show.stdout.contains("Scribe"))
        let detail = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect((detail["incident"] as? [String: Any])?["status"] as? String == "closed")
        #expect((detail["timeline"] as? [Any])?.count == 14, "with the note on resolving over open checklist items")
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("The incident is closed"))
        #expect(badToken.status != 0)
        #expect(badToken.stderr.contains("not valid, has been revoked or has expired"))
        #expect(noToken.status != 0)
        #expect(noToken.stderr.contains("MUSTER_TOKEN"))
        #expect(badValue.status != 0)
        #expect(badValue.stderr.contains("must be one of"))
        #expect(exit == 0)
    }

    @Test("a scribe records times as they happened and edits the incident from the CLI")
    func timesAsTheyHappened() async throws {
        // given a server and a clock time a few minutes ago, as a scribe would type it
        let database = try await TestBackend.sqlite.makeDatabase()
        defer { Task { await database.remove() } }
        let token = try await MusterProcess.responderToken(database: database.url, name: "scribe")
        let server = try await ServerProcess(database: database.url)
        defer { _ = server.stop() }
        let env = ["MUSTER_URL": server.url, "MUSTER_TOKEN": token, "TZ": "UTC"]
        func muster(_ arguments: String...) async throws -> MusterProcess.Result {
            try await MusterProcess.run(arguments, environment: env)
        }
        let clock = DateFormatter()
        clock.timeZone = TimeZone(identifier: "UTC")
        clock.dateFormat = "HH:mm"
        // Stay inside today: near midnight the earlier clock time would be yesterday's.
        let base = max(Date().addingTimeInterval(-600), Calendar(identifier: .gregorian).startOfDay(for: Date()).addingTimeInterval(60))
        let detected = clock.string(from: base)
        let acknowledged = clock.string(from: base.addingTimeInterval(60))

        // when
        let declared = try await muster("incident", "declare", "--title", "Checkout slow", "--severity", "P3", "--detected-at", detected)
        let id = try #require(declared.stdout.split(separator: " ").dropFirst().first.map(String.init))
        let ack = try await muster("incident", "ack", id, "--at", acknowledged)
        let edit = try await muster("incident", "edit", id, "--title", "Checkout down")
        let typo = try await muster("incident", "note", id, "late", "--at", "25:00")
        let json = try await muster("incident", "show", id, "--json")
        let sorted = try await muster("incident", "list", "--sort", "-acknowledgedAt")
        let badSort = try await muster("incident", "list", "--sort", "acked")

        // then
        for step in [declared, ack, edit, sorted] { #expect(step.status == 0, "\(step.stderr)") }
        #expect(edit.stdout.contains("Checkout down"))
        #expect(typo.status != 0)
        #expect(typo.stderr.contains("a time today such as 14:38"))
        let incident = try #require(
            (try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])?["incident"] as? [String: Any])
        #expect((incident["detectedAt"] as? String)?.contains("T\(detected):00") == true, "\(incident)")
        #expect((incident["acknowledgedAt"] as? String)?.contains("T\(acknowledged):00") == true, "\(incident)")
        #expect(badSort.status != 0)
        #expect(badSort.stderr.contains("acknowledgedAt"))
    }

    @Test("services, integrations, silences and people are edited and removed from the CLI")
    func editingFromTheCLI() async throws {
        // given a server with a service, an integration, a silence and two people on a policy
        let database = try await TestBackend.sqlite.makeDatabase()
        defer { Task { await database.remove() } }
        let token = try await MusterProcess.responderToken(database: database.url, name: "admin")
        let server = try await ServerProcess(database: database.url)
        defer { _ = server.stop() }
        let env = ["MUSTER_URL": server.url, "MUSTER_TOKEN": token]
        func muster(_ arguments: String...) async throws -> MusterProcess.Result {
            try await MusterProcess.run(arguments, environment: env)
        }
        let setUp = [
            try await muster("service", "create", "web", "--name", "Web"),
            try await muster("service", "create", "spare"),
            try await muster("user", "create", "ann", "--name", "Ann", "--email", "ann@example.com"),
            try await muster("user", "create", "bob", "--name", "Bob", "--email", "bob@example.com"),
            try await muster("policy", "create", "web", "--name", "Web", "--level", "user:ann@5m", "--level", "user:bob@5m"),
        ]
        for step in setUp { #expect(step.status == 0, "\(step.stderr)") }
        let integration = try await muster("integration", "create", "web", "--kind", "generic", "--json")
        let integrationID = try #require(
            ((try JSONSerialization.jsonObject(with: Data(integration.stdout.utf8)) as? [String: Any])?["integration"] as? [String: Any])?[
                "id"]
                as? String, "\(integration.stdout) \(integration.stderr)")
        let silence = try await muster("silence", "create", "env=staging", "--duration", "1h", "--comment", "upgrade", "--json")
        let silenceID = try #require(
            (try JSONSerialization.jsonObject(with: Data(silence.stdout.utf8)) as? [String: Any])?["id"] as? String, "\(silence.stderr)")

        // when
        let edited = try await muster("service", "edit", "web", "--name", "Storefront")
        let deleted = try await muster("service", "delete", "spare")
        let refused = try await muster("service", "delete", "web")
        let renamed = try await muster("integration", "rename", integrationID, "Prometheus EU")
        let shown = try await muster("integration", "show", integrationID)
        let extended = try await muster("silence", "extend", silenceID, "--duration", "3h")
        let bareNumber = try await muster("silence", "extend", silenceID, "--duration", "90")
        let userEdited = try await muster("user", "edit", "ann", "--time-zone", "Europe/Lisbon")
        let declared = try await muster("incident", "declare", "--title", "Web slow", "--severity", "P2", "--service", "web")
        let reference = try #require(declared.stdout.split(separator: " ").dropFirst().first.map(String.init))
        let reassigned = try await muster("incident", "reassign", reference, "--user", "bob")
        let policyUpdated = try await muster("policy", "update", "web", "--name", "Web", "--level", "user:ann@5m", "--level", "team:ops@5m")
        let teamMade = try await muster("team", "create", "ops", "--name", "Ops", "--member", "bob")
        let policyWithTeam = try await muster(
            "policy", "update", "web", "--name", "Web", "--level", "user:ann@5m", "--level", "team:ops@5m")
        let teamEdited = try await muster("team", "edit", "ops", "--member", "ann", "--member", "bob")
        let teamInUse = try await muster("team", "delete", "ops")
        let deactivated = try await muster("user", "deactivate", "ann")

        // then
        for step in [edited, deleted, renamed, shown, extended, userEdited, teamMade, policyWithTeam, teamEdited, deactivated] {
            #expect(step.status == 0, "\(step.stderr)")
        }
        #expect(declared.stdout.contains("Nobody was paged: no escalation policy is set for web"), "\(declared.stdout)")
        #expect(reassigned.stdout.contains("Paging now: user bob."), "\(reassigned.stdout) \(reassigned.stderr)")
        #expect(policyUpdated.status != 0)
        #expect(policyUpdated.stderr.contains("team 'ops', which does not exist"), "\(policyUpdated.stderr)")
        #expect(policyWithTeam.stdout.contains("version 2"))
        #expect(teamInUse.status != 0)
        #expect(teamInUse.stderr.contains("1 escalation policy (web)"))
        #expect(edited.stdout.contains("Storefront"))
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("1 integration"))
        #expect(shown.stdout.contains("Prometheus EU"))
        #expect(extended.stdout.contains("now ends at"))
        #expect(bareNumber.status != 0)
        #expect(bareNumber.stderr.contains("with its unit"))
        #expect(userEdited.stdout.contains("Europe/Lisbon"))
        #expect(deactivated.stdout.contains("policy web: level 1 removed, it paged only ann"))
        #expect(deactivated.stdout.contains("left team ops"))
    }

    @Test("the build names its version: the CLI, GET /version, the start-up line and the Server header")
    func version() async throws {
        // given a server
        let database = try await TestBackend.sqlite.makeDatabase()
        defer { Task { await database.remove() } }
        let server = try await ServerProcess(database: database.url)
        defer { _ = server.stop() }
        // when
        let cli = try await MusterProcess.run(["--version"], environment: [:])
        let (body, answer) = try await URLSession.shared.data(from: URL(string: "\(server.url)/version")!)
        // then all four name the same version
        let version = cli.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(!version.isEmpty)
        #expect((try JSONSerialization.jsonObject(with: body) as? [String: String])?["version"] == version)
        #expect((answer as? HTTPURLResponse)?.value(forHTTPHeaderField: "Server") == "Muster/\(version)")
        #expect(server.logs.text.contains("Muster \(version) listening on"), "\(server.logs.text)")
    }

    @Test(
        "SIGTERM stops the server at once, with a client's connection open, rather than after its engines' intervals",
        arguments: TestBackend.all)
    func promptStop(backend: TestBackend) async throws {
        // given: a server that has answered a client, whose kept-alive connection stays open
        let database = try await backend.makeDatabase()
        defer { Task { await database.remove() } }
        let server = try await ServerProcess(database: database.url)
        let (_, answer) = try await URLSession.shared.data(from: URL(string: "\(server.url)/readyz")!)
        #expect((answer as? HTTPURLResponse)?.statusCode == 200)
        // when
        let asked = Date()
        let exit = try await offThePool { server.stop() }
        let took = Date().timeIntervalSince(asked)
        // then: well inside the handoff notifier's 15-s interval, which used to hold it 13 s
        #expect(exit == 0)
        #expect(took < 5, "the server took \(took) s to stop")
    }

    @Test("the server raises its open-file limit to the hard one, so a thousand idle connections do not lock everyone out")
    func openFileLimit() async throws {
        // given: a server started with a soft limit of 256 open files
        let database = try await TestBackend(kind: .sqlite).makeDatabase()
        defer { Task { await database.remove() } }
        let server = try await ServerProcess(database: database.url, softFileLimit: 256)
        defer { _ = server.stop() }
        // when
        let limits = try String(contentsOfFile: "/proc/\(server.process.processIdentifier)/limits", encoding: .utf8)
        let line = try #require(limits.split(separator: "\n").first { $0.hasPrefix("Max open files") })
        let figures = line.split(separator: " ").compactMap { Int($0) }
        // then: soft equals hard, and both are above what the shell set
        #expect(figures.count == 2 && figures[0] == figures[1] && figures[0] > 256, "\(line)")
        let (_, answer) = try await URLSession.shared.data(from: URL(string: "\(server.url)/healthz")!)
        #expect((answer as? HTTPURLResponse)?.statusCode == 200)
    }

    @Test("a CLI command with no server at its URL says so plainly")
    func noServer() async throws {
        // given: a port nothing listens on
        let url = "http://127.0.0.1:\(try freePort())"
        // when
        let result = try await MusterProcess.run(["incident", "list", "--url", url, "--token", "mst_none"])
        // then
        #expect(result.status != 0)
        #expect(result.stderr.contains("Cannot reach Muster at \(url): nothing listens there"), "\(result.stderr)")
    }

    @Test("a port already in use is reported plainly, and the second server exits")
    func portInUse() async throws {
        // given: a server on a port
        let first = try await TestBackend(kind: .sqlite).makeDatabase()
        let second = try await TestBackend(kind: .sqlite).makeDatabase()
        defer {
            Task {
                await first.remove()
                await second.remove()
            }
        }
        let server = try await ServerProcess(database: first.url)
        defer { _ = server.stop() }
        // when: another starts on the same port
        let result = try await MusterProcess.run(["serve", "--port", String(server.port), "--database", second.url])
        // then
        #expect(result.status != 0)
        #expect(
            result.stderr.contains("Configuration 'listen' cannot use 127.0.0.1:\(server.port): another process listens there"),
            "\(result.stderr)")
    }

    @Test("a server on a fresh database says how to create the first token", arguments: TestBackend.all)
    func firstTokenHint(backend: TestBackend) async throws {
        let database = try await backend.makeDatabase()
        defer { Task { await database.remove() } }
        let server = try await ServerProcess(database: database.url)
        let ready = try await MusterProcess.run(["incident", "list", "--url", server.url, "--token", "mst_none"])
        let exit = server.stop()
        #expect(server.logs.text.contains("muster token create --name admin --role admin"), "\(server.logs.text)")
        #expect(ready.stderr.contains("not valid"))
        #expect(exit == 0)
    }

    @Test("an unreachable PostgreSQL is reported plainly")
    func unreachableDatabase() async throws {
        let port = 1  // nothing listens on port 1
        let result = try await MusterProcess.run(["migrate", "--database", "postgres://muster:secret@127.0.0.1:\(port)/muster"])
        #expect(result.status != 0)
        #expect(result.stderr.contains("Cannot use PostgreSQL at 127.0.0.1:1/muster"), "\(result.stderr)")
        #expect(!result.stderr.contains("secret"))
    }

    @Test("people, a schedule and who is on call, through the CLI")
    func onCall() async throws {
        let database = try await TestBackend(kind: .sqlite).makeDatabase()
        defer { Task { await database.remove() } }
        let server = try await ServerProcess(database: database.url)
        defer { _ = server.stop() }
        let muster = try await CLIClient(server: server, database: database.url)
        let start = ISO8601DateFormatter().string(from: Date().addingTimeInterval(-3_600))
        let steps = [
            try await muster("user", "create", "ann", "--name", "Ann", "--email", "ann@example.com", "--time-zone", "Europe/Berlin"),
            try await muster("user", "create", "bob", "--name", "Bob", "--email", "bob@example.com"),
            try await muster("user", "contact", "bob", "--kind", "webhook", "--address", "https://hooks.example/bob"),
            try await muster("team", "create", "payments", "--name", "Payments", "--member", "ann", "--member", "bob"),
            try await muster(
                "schedule", "create", "primary", "--name", "Primary", "--user", "ann", "--user", "bob", "--shift", "1d", "--start", start),
        ]
        let oncall = try await muster("oncall")
        let shifts = try await muster("schedule", "shifts", "primary", "--days", "3")
        let handoff = try await muster("schedule", "handoff", "primary")
        let bad = try await muster("schedule", "create", "other", "--name", "Other", "--user", "zed", "--start", start)
        for step in steps { #expect(step.status == 0, "\(step.stderr)") }
        #expect(oncall.stdout.contains("Primary"))
        #expect(oncall.stdout.split(separator: "\n").last?.contains("ann") == true, "\(oncall.stdout)")
        #expect(shifts.stdout.contains("bob"))
        #expect(handoff.stdout.contains("Now on call: ann"), "\(handoff.stdout)\(handoff.stderr)")
        #expect(handoff.stdout.contains("Open incidents: none."))
        #expect(bad.status != 0)
        #expect(bad.stderr.contains("'zed', who is not a user"))

        // and the schedule's calendar feed URL works until it is revoked
        let feed = try await muster("schedule", "feed", "primary")
        let url = try #require(feed.stdout.split(separator: "\n").last.map(String.init))
        #expect(url.hasPrefix("\(server.url)/calendars/primary.ics?secret=cal_"), "\(feed.stdout)\(feed.stderr)")
        let (calendar, answer) = try await URLSession.shared.data(from: URL(string: url)!)
        #expect((answer as? HTTPURLResponse)?.statusCode == 200 && String(decoding: calendar, as: UTF8.self).contains("BEGIN:VCALENDAR"))
        #expect(try await muster("schedule", "feed", "primary", "--revoke").status == 0)
        let (_, revoked) = try await URLSession.shared.data(from: URL(string: url)!)
        #expect((revoked as? HTTPURLResponse)?.statusCode == 401)
    }

    @Test("maintenance windows through the CLI: planned ahead, until resolved, listed and ended")
    func silences() async throws {
        // given
        let database = try await TestBackend(kind: .sqlite).makeDatabase()
        defer { Task { await database.remove() } }
        let server = try await ServerProcess(database: database.url)
        defer { _ = server.stop() }
        let muster = try await CLIClient(server: server, database: database.url)
        let hour = 3_600.0
        let start = Date().addingTimeInterval(24 * hour).formatted(.iso8601)
        let end = Date().addingTimeInterval(26 * hour).formatted(.iso8601)

        // when
        let planned = try await muster(
            "silence", "create", "env=staging", "alertname=~Disk.*", "--start", start, "--end", end, "--comment", "storage upgrade",
            "--json")
        let held = try await muster(
            "silence", "create", "service=checkout", "team!=db", "--duration", "30m", "--until-resolved", "--comment", "noisy deploy")
        let listed = try await muster("silence", "list")
        let plannedID = try #require(
            (try JSONSerialization.jsonObject(with: Data(planned.stdout.utf8)) as? [String: Any])?["id"] as? String)
        let ended = try await muster("silence", "expire", plannedID)
        let afterwards = try await muster("silence", "list")
        let badStart = try await muster("silence", "create", "env=x", "--start", "tomorrow", "--comment", "c")
        let both = try await muster("silence", "create", "env=x", "--end", end, "--duration", "1h", "--comment", "c")
        let backwards = try await muster("silence", "create", "env=x", "--start", end, "--end", start, "--comment", "c")

        // then
        for step in [planned, held, listed, ended, afterwards] { #expect(step.status == 0, "\(step.stderr)") }
        let window = try #require(try JSONSerialization.jsonObject(with: Data(planned.stdout.utf8)) as? [String: Any])
        #expect(window["startsAt"] as? String == start)
        #expect(window["endsAt"] as? String == end)
        #expect(held.stdout.contains("until"), "\(held.stdout)")
        #expect(!held.stdout.contains(" from "), "a silence that starts now says only when it ends: \(held.stdout)")
        #expect(listed.stdout.contains(plannedID.uppercased()))
        #expect(listed.stdout.contains("storage upgrade"))
        #expect(listed.stdout.contains("noisy deploy"))
        #expect(ended.stdout.contains("ended"))
        #expect(!afterwards.stdout.contains(plannedID.uppercased()), "\(afterwards.stdout)")
        #expect(afterwards.stdout.contains("noisy deploy"))
        #expect(badStart.status != 0)
        #expect(badStart.stderr.contains("--start must be a date and time"), "\(badStart.stderr)")
        #expect(both.status != 0)
        #expect(both.stderr.contains("Give --end or --duration, not both."), "\(both.stderr)")
        #expect(backwards.status != 0)
        #expect(backwards.stderr.contains("'endsAt' must be later than startsAt"), "\(backwards.stderr)")
    }

    @Test("a silence says which firing alerts it takes, and --dry-run only shows them")
    func silencePreview() async throws {
        // given: one firing alert on staging
        let database = try await TestBackend(kind: .sqlite).makeDatabase()
        defer { Task { await database.remove() } }
        let server = try await ServerProcess(database: database.url)
        defer { _ = server.stop() }
        let muster = try await CLIClient(server: server, database: database.url)
        _ = try await muster("service", "create", "web")
        let created = try await muster("integration", "create", "web", "--kind", "generic", "--json")
        let key = try #require((try JSONSerialization.jsonObject(with: Data(created.stdout.utf8)) as? [String: Any])?["key"] as? String)
        var request = URLRequest(url: URL(string: "\(server.url)/ingest/generic/\(key)")!)
        request.httpMethod = "POST"
        request.httpBody = Data(#"{"summary":"Disk full on db-1","labels":{"env":"staging","host":"db-1"}}"#.utf8)
        let (_, answer) = try await URLSession.shared.data(for: request)
        #expect((answer as? HTTPURLResponse)?.statusCode == 202)

        // when
        let preview = try await muster("silence", "create", "env=staging", "--comment", "migration", "--dry-run")
        let listed = try await muster("silence", "list", "--json")
        let made = try await muster("silence", "create", "env=staging", "--comment", "migration")
        let none = try await muster("silence", "create", "env=stagign", "--comment", "typo")

        // then
        #expect(preview.status == 0, "\(preview.stderr)")
        #expect(preview.stdout.contains("Would silence until"), "\(preview.stdout)")
        #expect(preview.stdout.contains("It matches 1 firing alert now:"), "\(preview.stdout)")
        #expect(preview.stdout.contains("Disk full on db-1"))
        #expect(
            ((try JSONSerialization.jsonObject(with: Data(listed.stdout.utf8)) as? [String: Any])?["items"] as? [Any])?.isEmpty == true,
            "\(listed.stdout)")
        #expect(made.stdout.hasPrefix("Silence "), "\(made.stdout)")
        #expect(made.stdout.contains("It matches 1 firing alert now:"))
        #expect(none.stdout.contains("It matches no alert firing now."), "\(none.stdout)")
    }

    @Test("log_format json writes one JSON object per line; the access log names each request at info")
    func jsonLogs() async throws {
        // given a server logging JSON with its access log on
        let database = try await TestBackend.sqlite.makeDatabase()
        defer { Task { await database.remove() } }
        let server = try await ServerProcess(
            database: database.url, environment: ["MUSTER_LOG_FORMAT": "json", "MUSTER_ACCESS_LOG": "true"])
        // when a request comes, and the server stops
        _ = try await URLSession.shared.data(from: URL(string: "\(server.url)/healthz")!)
        _ = try await offThePool { server.stop() }
        // then every line of its log is a JSON object, and one of them is the request's
        let lines = server.logs.text.split(separator: "\n").map(String.init)
        let objects = lines.compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        #expect(!lines.isEmpty && objects.count == lines.count, "\(server.logs.text)")
        #expect(objects.allSatisfy { $0["time"] is String && $0["level"] is String && $0["message"] is String })
        let access = objects.first { $0["path"] as? String == "/healthz" }
        #expect(access?["status"] as? String == "200" && access?["level"] as? String == "info", "\(server.logs.text)")
        #expect(access?["request_id"] != nil && access?["duration_ms"] != nil)
        #expect(access?["client"] as? String == "127.0.0.1")
    }

    @Test("the binary alone, copied to an empty folder, serves everything, its API description included")
    func selfContained() async throws {
        // given a copy of muster, alone in a new folder
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("muster-alone-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let copy = folder.appendingPathComponent("muster")
        try FileManager.default.copyItem(at: MusterProcess.binary, to: copy)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["muster"])
        // when it serves from there
        let server = try await ServerProcess(database: folder.appendingPathComponent("muster.db").path, binary: copy, directory: folder)
        defer { _ = server.stop() }
        let (json, answer) = try await URLSession.shared.data(from: URL(string: "\(server.url)/openapi.json")!)
        let (yaml, _) = try await URLSession.shared.data(from: URL(string: "\(server.url)/openapi.yaml")!)
        // then the API description is the one in the repository
        #expect((answer as? HTTPURLResponse)?.statusCode == 200)
        #expect((try JSONSerialization.jsonObject(with: json) as? [String: Any])?["openapi"] as? String == "3.1.0")
        let source = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
            "../../Sources/MusterHTTP/Resources/openapi.yaml")
        #expect(String(decoding: yaml, as: UTF8.self) == (try String(contentsOf: source, encoding: .utf8)))
    }

    @Test("muster audit shows who changed what, through the API or on the server")
    func audit() async throws {
        // given a server, an admin token made on it, and a service created and renamed by a responder
        let database = try await TestBackend(kind: .sqlite).makeDatabase()
        defer { Task { await database.remove() } }
        let server = try await ServerProcess(database: database.url)
        defer { _ = server.stop() }
        let muster = try await CLIClient(server: server, database: database.url)
        let admin = try await MusterProcess.run([
            "token", "create", "--name", "boss", "--role", "admin", "--json", "--database", database.url,
        ])
        let secret = try #require((try JSONSerialization.jsonObject(with: Data(admin.stdout.utf8)) as? [String: Any])?["secret"] as? String)
        #expect(try await muster("service", "create", "web").status == 0)
        #expect(try await muster("service", "edit", "web", "--name", "Storefront").status == 0)
        // when
        let log = try await MusterProcess.run(["audit"], environment: ["MUSTER_URL": server.url, "MUSTER_TOKEN": secret])
        let services = try await MusterProcess.run(
            ["audit", "--kind", "service", "--json"], environment: ["MUSTER_URL": server.url, "MUSTER_TOKEN": secret])
        let denied = try await muster("audit")
        // then
        #expect(log.status == 0, "\(log.stderr)")
        #expect(log.stdout.contains("PATCH /api/v1/services/{id}") && log.stdout.contains("name"), "\(log.stdout)")
        #expect(log.stdout.contains("server") && log.stdout.contains("muster token create"), "\(log.stdout)")
        #expect(services.stdout.contains("\"subject\" : \"web\""), "\(services.stdout)")
        #expect(denied.status != 0 && denied.stderr.contains("admin role"))
    }

    @Test("token create --expires takes a duration or a time, and the list says when each token expires")
    func tokenExpiry() async throws {
        // given
        let database = try await TestBackend(kind: .sqlite).makeDatabase()
        defer { Task { await database.remove() } }
        // when
        let created = try await MusterProcess.run([
            "token", "create", "--name", "ci", "--role", "viewer", "--expires", "90d", "--database", database.url,
        ])
        let wrong = try await MusterProcess.run(["token", "create", "--name", "x", "--expires", "soon", "--database", database.url])
        let listed = try await MusterProcess.run(["token", "list", "--database", database.url])
        // then
        #expect(created.status == 0, "\(created.stderr)")
        #expect(created.stdout.contains("with role viewer, expiring "))
        #expect(wrong.status != 0 && wrong.stderr.contains("--expires must be"), "\(wrong.stderr)")
        #expect(listed.stdout.contains("live, expires "), "\(listed.stdout)")
    }

    @Test("migrate applies the schema once and says so")
    func migrate() async throws {
        let database = try await TestBackend(kind: .sqlite).makeDatabase()
        defer { Task { await database.remove() } }
        let first = try await MusterProcess.run(["migrate", "--database", database.url])
        let second = try await MusterProcess.run(["migrate", "--database", database.url])
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.contains("Applied migrations \((1...Schema.latest).map(String.init).joined(separator: ", "));"))
        #expect(second.stdout.contains("up to date"))
        let missingFolder = try await MusterProcess.run(["migrate", "--database", "/nonexistent/folder/muster.db"])
        #expect(missingFolder.status != 0)
        #expect(missingFolder.stderr.contains("does not exist"))
        let other = database.url + ".txt"
        try "not a database, but a file someone pointed Muster at".write(toFile: other, atomically: true, encoding: .utf8)
        let notDatabase = try await MusterProcess.run(["migrate", "--database", other])
        #expect(notDatabase.status != 0)
        #expect(notDatabase.stderr.contains("Cannot use the SQLite database at \(other): file is not a database"), "\(notDatabase.stderr)")
    }
}
