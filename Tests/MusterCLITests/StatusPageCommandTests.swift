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
}
