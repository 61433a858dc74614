import Foundation
import MusterTestSupport
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// `muster statuspage` against a `muster serve` process.
@Suite("CLI status page", .serialized)
struct StatusPageCommandTests {
    @Test("a component is added, set by hand, cleared and removed from the shell; the public JSON follows")
    func components() async throws {
        // given a server with a payments service
        let database = try await TestBackend(kind: .sqlite).makeDatabase()
        defer { Task { await database.remove() } }
        let token = try await MusterProcess.responderToken(database: database.url, name: "oncall")
        let server = try await ServerProcess(database: database.url)
        defer { _ = server.stop() }
        func muster(_ arguments: String...) async throws -> MusterProcess.Result {
            try await MusterProcess.run(arguments, environment: ["MUSTER_URL": server.url, "MUSTER_TOKEN": token])
        }
        _ = try await muster("service", "create", "payments")

        // when a component is added, then set to major outage for an hour
        let added = try await muster("statuspage", "add-component", "checkout", "--name", "Checkout", "--service", "payments")
        let set = try await muster("statuspage", "set-status", "checkout", "major_outage", "--reason", "Card payments fail", "--for", "1h")
        let listed = try await muster("statuspage", "components")
        let (body, _) = try await URLSession.shared.data(from: URL(string: "\(server.url)/api/v2/status.json")!)
        let cleared = try await muster("statuspage", "clear-status", "checkout")
        let typo = try await muster("statuspage", "set-status", "checkout", "broken", "--reason", "x")
        let removed = try await muster("statuspage", "remove-component", "checkout", "--yes")

        // then each step says what it did, and the public JSON showed the outage
        #expect(added.status == 0 && added.stdout.contains("Added checkout (operational)."), "\(added.stderr)")
        #expect(set.status == 0 && set.stdout.contains("checkout (major outage): Card payments fail for 1h."), "\(set.stderr)")
        #expect(listed.stdout.contains("major outage") && listed.stdout.contains("Card payments fail"), "\(listed.stdout)")
        #expect(String(decoding: body, as: UTF8.self).contains(#""indicator":"critical""#))
        #expect(cleared.status == 0 && cleared.stdout.contains("checkout (operational)."), "\(cleared.stderr)")
        #expect(typo.status != 0 && typo.stderr.contains("major_outage"), "\(typo.stderr)")
        #expect(removed.status == 0 && removed.stdout.contains("Removed checkout from the status page."), "\(removed.stderr)")
    }

    @Test("groups, maintenance, subscribers and settings are managed from the shell; export writes a static copy")
    func everythingElse() async throws {
        // given a server with a payments service and an admin's token
        let database = try await TestBackend(kind: .sqlite).makeDatabase()
        defer { Task { await database.remove() } }
        let token = try await MusterProcess.responderToken(database: database.url, name: "admin", role: "admin")
        let server = try await ServerProcess(database: database.url)
        defer { _ = server.stop() }
        func muster(_ arguments: String...) async throws -> MusterProcess.Result {
            try await MusterProcess.run(arguments, environment: ["MUSTER_URL": server.url, "MUSTER_TOKEN": token])
        }
        _ = try await muster("service", "create", "payments")
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("muster-export-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }

        // when a group, a component in it, a maintenance with its silence, two subscribers and the settings are made
        let group = try await muster("statuspage", "add-group", "payments", "--name", "Payments")
        let component = try await muster(
            "statuspage", "add-component", "checkout", "--name", "Checkout", "--service", "payments", "--group", "payments")
        let scheduled = try await muster(
            "statuspage", "maintenance", "schedule", "--title", "Database upgrade", "--message", "We upgrade the database.",
            "--component", "checkout", "--start", "2099-01-01T22:00:00Z", "--end", "2099-01-01T23:00:00Z", "--silence")
        let badTime = try await muster(
            "statuspage", "maintenance", "schedule", "--title", "x", "--message", "x", "--component", "checkout", "--start", "tonight",
            "--end", "2099-01-01T23:00:00Z")
        let listed = try await muster("statuspage", "maintenance", "list")
        let id = try #require(listed.stdout.split(separator: "\n").dropFirst().first?.split(separator: " ").first.map(String.init))
        let posted = try await muster("statuspage", "maintenance", "post", id, "Moved to the new cluster first.")
        let hook = try await muster("statuspage", "subscribers", "add", "--webhook", "https://hooks.example.com/status")
        let mail = try await muster("statuspage", "subscribers", "add", "--email", "ann@example.com", "--component", "checkout")
        let subscribers = try await muster("statuspage", "subscribers", "list")
        let csv = try await muster("statuspage", "subscribers", "export")
        let settings = try await muster(
            "statuspage", "settings", "--name", "Acme status", "--accent", "#aa3300", "--link", "Home=https://acme.example/")
        let exported = try await muster("statuspage", "export", folder.path)

        // then each step says what it did
        #expect(group.status == 0 && group.stdout.contains("Added group payments (Payments)."), "\(group.stderr)")
        #expect(component.status == 0, "\(component.stderr)")
        #expect(scheduled.status == 0 && scheduled.stdout.contains("alerts silenced meanwhile"), "\(scheduled.stderr)")
        #expect(badTime.status != 0 && badTime.stderr.contains("--start"), "\(badTime.stderr)")
        #expect(posted.status == 0 && posted.stdout.contains("Database upgrade [scheduled]"), "\(posted.stderr)")
        #expect(hook.status == 0 && hook.stdout.contains("confirmed"), "\(hook.stderr)")
        #expect(mail.status == 0 && mail.stdout.contains("asked to confirm by mail"), "\(mail.stderr)")
        #expect(subscribers.stdout.contains("ann@example.com") && subscribers.stdout.contains("pending"), "\(subscribers.stdout)")
        #expect(csv.stdout.hasPrefix("id,kind,address,components,created_at,confirmed_at"), "\(csv.stdout)")
        #expect(settings.status == 0 && settings.stdout.contains("Name: Acme status"), "\(settings.stderr)")
        // and the static copy holds the pages, the JSON and the feeds where their URLs point
        #expect(exported.status == 0 && exported.stdout.hasPrefix("Wrote "), "\(exported.stderr)")
        let index = try String(contentsOf: folder.appendingPathComponent("status/index.html"), encoding: .utf8)
        #expect(index.contains("Acme status") && index.contains("Database upgrade"))
        for file in ["api/v2/summary.json", "history.atom", "history.rss", "assets/status.css", "status/theme.css"] {
            #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent(file).path), "\(file)")
        }
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("status/maintenance/\(id)/index.html").path))
    }
}
