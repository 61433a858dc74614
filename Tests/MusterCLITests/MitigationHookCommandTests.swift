import Foundation
import Hummingbird
import HummingbirdTesting
import MusterTestSupport
import Testing

/// `muster incident note --run-hook` against a `muster serve` process whose configuration names
/// the hooks, and a CI system on loopback.
@Suite("CLI mitigation hooks", .serialized)
struct MitigationHookCommandTests {
    @Test("a rollback's hook is called from the shell; the exit status says whether the hook took the job")
    func runHook() async throws {
        // given a CI system whose rollback job starts and whose restart job is broken
        let router = Router()
        router.post("rollback") { _, _ -> Response in
            Response(status: .accepted, body: .init(byteBuffer: ByteBuffer(string: "Job 4812 queued")))
        }
        router.post("restart") { _, _ -> Response in
            Response(status: .serviceUnavailable, body: .init(byteBuffer: ByteBuffer(string: "runner offline")))
        }
        let receiver = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await receiver.test(.live) { client in
            let base = "http://127.0.0.1:\(client.port!)"
            // and a server configured with both hooks, and a P1
            let config = FileManager.default.temporaryDirectory.appendingPathComponent("muster-hooks-\(UUID().uuidString).yaml")
            try """
            signing_key: a-signing-key-of-at-least-32-bytes!!
            mitigations:
              hooks:
                rollback: \(base)/rollback?token=s3cret
                restart: \(base)/restart
            """.write(to: config, atomically: true, encoding: .utf8)
            defer { try? FileManager.default.removeItem(at: config) }
            let database = try await TestBackend(kind: .sqlite).makeDatabase()
            defer { Task { await database.remove() } }
            let token = try await MusterProcess.responderToken(database: database.url, name: "ann")
            let server = try await ServerProcess(database: database.url, environment: ["MUSTER_CONFIG": config.path])
            defer { _ = server.stop() }
            func muster(_ arguments: String...) async throws -> MusterProcess.Result {
                try await MusterProcess.run(arguments, environment: ["MUSTER_URL": server.url, "MUSTER_TOKEN": token])
            }
            let declared = try await muster("incident", "declare", "--title", "Checkout down", "--severity", "P1", "--json")
            let reference = try #require(
                (try JSONSerialization.jsonObject(with: Data(declared.stdout.utf8)) as? [String: Any])?["reference"] as? String)

            // when a rollback, a restart and a scale-up ask for their hooks
            let rolledBack = try await muster(
                "incident", "note", reference, "Roll back api to v2.33", "--kind", "action", "--mitigation", "rollback", "--target", "api",
                "--run-hook")
            let restarted = try await muster(
                "incident", "note", reference, "Restart the workers", "--kind", "action", "--mitigation", "restart", "--run-hook")
            let scaled = try await muster(
                "incident", "note", reference, "Add nodes", "--kind", "action", "--mitigation", "scale", "--run-hook")
            let timeline = try await muster("incident", "show", reference)

            // then the rollback's hook took the job, the restart's did not, and scale has none
            #expect(rolledBack.status == 0, "\(rolledBack.stderr)")
            #expect(
                rolledBack.stdout.contains("The hook at \(base) took the job: it answered 202 Accepted: Job 4812 queued"),
                "\(rolledBack.stdout)")
            #expect(
                restarted.status == 1
                    && restarted.stderr.contains("did not take the job: it answered 503 Service Unavailable: runner offline"),
                "\(restarted.stderr)")
            #expect(scaled.status != 0 && scaled.stderr.contains("none is configured for scale"), "\(scaled.stderr)")
            // and the timeline keeps both actions and both answers, without the hook's token
            #expect(timeline.stdout.contains("Roll back api to v2.33") && timeline.stdout.contains("Restart the workers"))
            #expect(timeline.stdout.contains("Rollback hook (\(base)) answered 202 Accepted"), "\(timeline.stdout)")
            #expect(!timeline.stdout.contains("Add nodes") && !timeline.stdout.contains("s3cret"))
        }
    }
}
