import Foundation
import Hummingbird
import HummingbirdTesting
import MusterTestSupport
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Levels paged, as a loopback webhook receiver saw them.
actor LevelLog {
    private(set) var levels: [Int] = []
    func add(_ level: Int) { levels.append(level) }
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
                await log.add(level)
            }
            return .ok
        }
        let receiver = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await receiver.test(.live) { client in
            let hook = "http://127.0.0.1:\(client.port!)/hook"
            let database = try await TestBackend(kind: .postgres).makeDatabase()
            defer { Task { await database.remove() } }
            let created = try MusterProcess.run(["token", "create", "--name", "ops", "--role", "responder", "--json", "--database", database.url])
            let token = try #require((try JSONSerialization.jsonObject(with: Data(created.stdout.utf8)) as? [String: String])?["secret"])
            let first = try ServerProcess(database: database.url)
            let second = try ServerProcess(database: database.url)
            defer { _ = second.stop() }
            func muster(_ server: ServerProcess, _ arguments: String...) throws {
                let result = try MusterProcess.run(arguments, environment: ["MUSTER_URL": server.url, "MUSTER_TOKEN": token])
                #expect(result.status == 0, "muster \(arguments.joined(separator: " ")): \(result.stderr)")
            }
            try muster(first, "user", "create", "ann", "--name", "Ann", "--email", "ann@example.com")
            try muster(first, "user", "contact", "ann", "--kind", "webhook", "--address", hook)
            try muster(first, "policy", "create", "web", "--name", "Web", "--level", "user:ann@10s", "--level", "user:ann@10s", "--level", "user:ann@10s")
            try muster(first, "service", "create", "web")
            try muster(first, "policy", "assign", "web", "web")
            // when: the incident opens through the second server; the first dies after level 1
            try muster(second, "incident", "declare", "--title", "Checkout down", "--severity", "P1", "--service", "web")
            try await waitUntil(seconds: 20) { await log.levels.contains(1) }
            try await Task.sleep(for: .seconds(1))
            kill(first.process.processIdentifier, SIGKILL)
            first.process.waitUntilExit()
            try await waitUntil(seconds: 60) { await log.levels.contains(3) }
            try await Task.sleep(for: .seconds(3))
            // then
            let levels = await log.levels
            #expect(levels.sorted() == [1, 2, 3], "levels seen: \(levels)")
        }
    }

    private func waitUntil(seconds: Double, _ condition: () async -> Bool) async throws {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if await condition() { return }
            try await Task.sleep(for: .milliseconds(200))
        }
        throw ServerFailure(output: "condition not met within \(seconds) s")
    }
}
