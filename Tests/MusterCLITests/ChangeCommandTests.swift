import Foundation
import MusterTestSupport
import Testing

/// Change events from PagerDuty's own Python client library and from `muster change`, against a
/// `muster serve` process.
@Suite("CLI and PagerDuty client change events", .serialized, .enabled(if: TestCA.toolsAvailable))
struct ChangeCommandTests {
    @Test("PagerDuty's client library and the CLI record changes; the incident's suspects are ranked and one is marked")
    func changes() async throws {
        // given a server on HTTPS (PagerDuty's client refuses anything else) with a certificate of
        // an authority the test makes, service api depending on db, and a PagerDuty integration of api
        let ca = try TestCA()
        defer { ca.remove() }
        try ca.issue(name: "server", serial: "2001")
        let database = try await TestBackend(kind: .sqlite).makeDatabase()
        defer { Task { await database.remove() } }
        let token = try await MusterProcess.responderToken(database: database.url, name: "ann")
        let server = try await ServerProcess(
            database: database.url,
            environment: ["MUSTER_TLS_CERT_FILE": ca.path("server.pem"), "MUSTER_TLS_KEY_FILE": ca.path("server.key")])
        defer { _ = server.stop() }
        func muster(_ arguments: String...) async throws -> MusterProcess.Result {
            try await MusterProcess.run(
                arguments, environment: ["MUSTER_URL": server.url, "MUSTER_TOKEN": token, "MUSTER_CA_FILE": ca.path("ca.pem")])
        }
        _ = try await muster("service", "create", "db")
        let api = try await muster("service", "create", "api", "--depends-on", "db")
        #expect(api.status == 0, "\(api.stderr)")
        let created = try await muster("integration", "create", "api", "--kind", "pagerduty", "--json")
        let key = try #require((try JSONSerialization.jsonObject(with: Data(created.stdout.utf8)) as? [String: Any])?["key"] as? String)
        let deployedAt = ISO8601DateFormatter().string(from: Date().addingTimeInterval(-20 * 60))

        // when PagerDuty's client library sends a change event to Muster instead of PagerDuty
        let python = try await PythonScript.run(
            """
            import sys, pagerduty
            client = pagerduty.EventsApiV2Client(sys.argv[1], base_url=sys.argv[2])
            client.send_change_event(
                payload={"summary": "Deploy v2.34", "source": "ci", "timestamp": sys.argv[3], "custom_details": {"build": 8812}},
                links=[{"href": "https://ci.example.com/runs/8812", "text": "Pipeline run"}])
            print("sent")
            """, arguments: [key, server.url, deployedAt], environment: ["SSL_CERT_FILE": ca.path("ca.pem")])
        // and the CLI records a configuration change to db, and one to api long ago
        let recorded = try await muster(
            "change", "record", "--service", "db", "Raise max_connections to 200", "--source", "ops", "--at",
            ISO8601DateFormatter().string(from: Date().addingTimeInterval(-15 * 60)))
        let old = try await muster(
            "change", "record", "--service", "api", "Deploy v2.20", "--at", ISO8601DateFormatter().string(from: Date().addingTimeInterval(-9 * 3_600)))
        let listed = try await muster("change", "list", "--service", "api")
        let reference = try await declare(muster)
        let suspects = try await muster("change", "suspects", reference)

        // then each arrived, and the incident's suspects lead with the deploy, saying why
        #expect(python.status == 0 && python.stdout.contains("sent"), "\(python.stderr)")
        #expect(recorded.status == 0 && recorded.stdout.contains("db: Raise max_connections to 200 (ops)"), "\(recorded.stderr)")
        #expect(old.status == 0, "\(old.stderr)")
        #expect(listed.stdout.contains("Deploy v2.34") && listed.stdout.contains("Deploy v2.20"), "\(listed.stdout)")
        #expect(suspects.status == 0, "\(suspects.stderr)")
        let lines = suspects.stdout.split(separator: "\n").map(String.init)
        try #require(lines.count == 3, "\(suspects.stdout)")
        #expect(lines[1].contains("Deploy v2.34") && lines[1].contains("same service, 10 min before impact"), "\(suspects.stdout)")
        #expect(lines[2].contains("api depends on db, 5 min before impact") && !suspects.stdout.contains("v2.20"), "\(suspects.stdout)")

        // when the deploy is marked as a suspect
        let id = try #require(lines[1].split(separator: " ").first.map(String.init))
        let marked = try await muster("change", "suspect", reference, id, "--reason", "the pool grows from then")
        let again = try await muster("change", "suspect", reference, id)
        // then it is on the timeline, once
        #expect(marked.status == 0 && marked.stdout.contains("is on the timeline"), "\(marked.stderr)")
        #expect(again.status == 5 && again.stderr.contains("already"), "\(again.status) \(again.stderr)")
        let shown = try await muster("incident", "show", reference)
        #expect(shown.stdout.contains("Suspect change: Deploy v2.34"), "\(shown.stdout)")
    }

    /// Declares an incident of api whose impact began ten minutes ago.
    private func declare(_ muster: (String...) async throws -> MusterProcess.Result) async throws -> String {
        let started = ISO8601DateFormatter().string(from: Date().addingTimeInterval(-10 * 60))
        let declared = try await muster(
            "incident", "declare", "--title", "API errors", "--severity", "P2", "--service", "api", "--impact-started", started, "--json")
        #expect(declared.status == 0, "\(declared.stderr)")
        return try #require((try JSONSerialization.jsonObject(with: Data(declared.stdout.utf8)) as? [String: Any])?["reference"] as? String)
    }
}

/// Runs a Python script with `python3`, as a sender outside Muster would.
enum PythonScript {
    static func run(_ script: String, arguments: [String], environment: [String: String]) async throws -> MusterProcess.Result {
        try await offThePool {
            let process = Process()
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["python3", "-c", script] + arguments
            let out = Pipe()
            let err = Pipe()
            process.standardOutput = out
            process.standardError = err
            try process.run()
            let stdout = out.fileHandleForReading.readDataToEndOfFile()
            let stderr = err.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            return MusterProcess.Result(
                status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self), stderr: String(decoding: stderr, as: UTF8.self))
        }
    }
}
