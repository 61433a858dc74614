import Foundation
import MusterTestSupport
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// What an operator does beside serving: backups while serving, and a copy served without paging.
@Suite("Operating Muster", .serialized)
struct OperatingTests {
    @Test("muster backup copies the SQLite file consistently while the server runs; the copy opens and holds the data")
    func backup() async throws {
        // given a serving database with a service in it
        let served = try await ServedMuster.start()
        defer { served.stop() }
        let (database, muster) = (served.database, served.muster)
        #expect(try await muster("service", "create", "web", "--name", "Storefront").status == 0)
        let copy = FileManager.default.temporaryDirectory.appendingPathComponent("muster-backup-\(UUID().uuidString).db").path
        defer { try? FileManager.default.removeItem(atPath: copy) }
        // when it is backed up while serving, and then once more to the same file
        let backup = try await MusterProcess.run(["backup", copy, "--database", database.url])
        let again = try await MusterProcess.run(["backup", copy, "--database", database.url])
        // then the copy is a database that holds the service, and nothing is written over
        #expect(backup.status == 0 && backup.stdout.contains("Backed up"), "\(backup.stderr)")
        #expect(again.status != 0 && again.stderr.contains("exists already"), "\(again.stderr)")
        let restored = try await TestBackend.open(copy)
        let service = try await restored.service("web")
        try await restored.shutdown()
        #expect(service?.name == "Storefront")
        // and the server went on answering
        #expect(try await muster("service", "list").status == 0)
    }

    @Test("serve --no-paging opens incidents and queues their pages, but delivers none")
    func noPaging() async throws {
        // given a server on a copy, with paging off, and a policy paging ann through a webhook
        let served = try await ServedMuster.start(arguments: ["--no-paging"])
        defer { served.stop() }
        let (server, muster) = (served.server, served.muster)
        for command in [
            ["user", "create", "ann", "--name", "Ann", "--email", "ann@example.com"],
            ["user", "contact", "ann", "--kind", "webhook", "--address", "http://127.0.0.1:9/hook"],
            ["policy", "create", "web", "--name", "Web", "--level", "user:ann@1m"], ["service", "create", "web"],
            ["policy", "assign", "web", "web"],
            ["incident", "declare", "--title", "Checkout down", "--severity", "P1", "--service", "web"],
        ] {
            let result = try await MusterProcess.run(command, environment: muster.environment)
            #expect(result.status == 0, "muster \(command.joined(separator: " ")): \(result.stderr)")
        }
        // when a while passes in which a paging server would have tried both pages
        try await Task.sleep(for: .seconds(1))
        let (data, _) = try await URLSession.shared.data(from: URL(string: "\(server.url)/metrics")!)
        let metrics = try PrometheusText(String(decoding: data, as: UTF8.self))
        // then both pages wait in the outbox, untried, and the log says paging is off
        #expect(metrics.value("muster_pages_queued_total", ["channel": "webhook"]) == 1)
        #expect(metrics.value("muster_outbox_pending") == 2)
        #expect(metrics.value("muster_pages_failed_total", ["channel": "webhook"]) == nil)
        #expect(metrics.value("muster_pages_dead_lettered_total", ["channel": "email"]) == nil)
        #expect(metrics.value("muster_engine_rounds_total", ["service": "delivery"]) == nil)
        #expect(server.logs.text.contains("Paging is off"))
    }
}
