import Foundation
import Hummingbird
import HummingbirdTesting
import MusterTestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Levels paged, as a loopback webhook receiver saw them, with each page's notification id.
actor LevelLog {
    private(set) var levels: [Int] = []
    private(set) var pages: [String] = []
    func add(_ level: Int, _ notification: String) {
        levels.append(level)
        pages.append("\(level):\(notification)")
    }
}

/// Two `muster serve` processes share one PostgreSQL database; one is killed mid-escalation.
@Suite("Multi-process paging", .serialized, .enabled(if: TestBackend.all.contains { $0.kind == .postgres }))
struct MultiProcessPagingTests {
    @Test("every level is paged exactly once, though one of two servers dies during the escalation")
    func survivesAKilledServer() async throws {
        let log = LevelLog()
        let router = Router()
        router.post("hook") { request, _ -> HTTPResponse.Status in
            var request = request
            let body = try await request.collectBody(upTo: 1 << 20)
            if let json = try? JSONSerialization.jsonObject(with: Data(buffer: body)) as? [String: Any], let level = json["level"] as? Int {
                await log.add(level, json["notification"] as? String ?? "?")
            }
            return .ok
        }
        let receiver = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await receiver.test(.live) { client in
            let hook = "http://127.0.0.1:\(client.port!)/hook"
            let database = try await TestBackend(kind: .postgres).makeDatabase()
            defer { Task { await database.remove() } }
            let token = try await MusterProcess.responderToken(database: database.url)
            let first = try await ServerProcess(database: database.url)
            let second = try await ServerProcess(database: database.url)
            defer { _ = second.stop() }
            func muster(_ server: ServerProcess, _ arguments: String...) async throws {
                let result = try await MusterProcess.run(arguments, environment: ["MUSTER_URL": server.url, "MUSTER_TOKEN": token])
                #expect(result.status == 0, "muster \(arguments.joined(separator: " ")): \(result.stderr)")
            }
            try await muster(first, "user", "create", "ann", "--name", "Ann", "--email", "ann@example.com")
            try await muster(first, "user", "contact", "ann", "--kind", "webhook", "--address", hook)
            try await muster(
                first, "policy", "create", "web", "--name", "Web", "--level", "user:ann@10s", "--level", "user:ann@10s", "--level",
                "user:ann@10s")
            try await muster(first, "service", "create", "web")
            try await muster(first, "policy", "assign", "web", "web")
            // when: the incident opens through the second server; the first dies after level 1
            try await muster(second, "incident", "declare", "--title", "Checkout down", "--severity", "P1", "--service", "web")
            try await waitUntil(seconds: 20) { await log.levels.contains(1) }
            try await Task.sleep(for: .seconds(1))
            kill(first.process.processIdentifier, SIGKILL)
            first.process.waitUntilExit()
            try await waitUntil(seconds: 60) { await log.levels.contains(3) }
            try await Task.sleep(for: .seconds(3))
            // then
            // then: one page per level. Delivery is at least once: a receiver may see the same
            // notification again after an attempt whose answer was lost; a second page for a
            // level would be the engine paging twice.
            let pages = Set(await log.pages)
            let levels = pages.compactMap { $0.split(separator: ":").first.flatMap { Int($0) } }.sorted()
            let survivor = try await MusterProcess.run(
                ["incident", "list", "--json"], environment: ["MUSTER_URL": second.url, "MUSTER_TOKEN": token])
            let seen = await log.pages
            #expect(levels == [1, 2, 3], "pages seen: \(seen); incidents: \(survivor.stdout.prefix(2_000))")
        }
    }
}
