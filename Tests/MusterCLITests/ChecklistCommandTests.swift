import Foundation
import MusterTestSupport
import Testing

/// `muster checklist` against a `muster serve` process.
@Suite("CLI checklists", .serialized)
struct ChecklistCommandTests {
    @Test("a P2's checklists are shown with keys; items are ticked, skipped with a reason, reopened and added from the shell")
    func checklist() async throws {
        // given a P2
        let database = try await TestBackend(kind: .sqlite).makeDatabase()
        defer { Task { await database.remove() } }
        let token = try await MusterProcess.responderToken(database: database.url, name: "ann")
        let server = try await ServerProcess(database: database.url)
        defer { _ = server.stop() }
        func muster(_ arguments: String...) async throws -> MusterProcess.Result {
            try await MusterProcess.run(arguments, environment: ["MUSTER_URL": server.url, "MUSTER_TOKEN": token])
        }
        let declared = try await muster("incident", "declare", "--title", "Login slow", "--severity", "P2", "--json")
        let reference = try #require(
            (try JSONSerialization.jsonObject(with: Data(declared.stdout.utf8)) as? [String: Any])?["reference"] as? String)

        // when the checklists are shown, items marked and one added
        let shown = try await muster("checklist", "show", reference)
        let done = try await muster("checklist", "done", reference, "sev2-protocol/acknowledge-and-assess")
        let noReason = try await muster("checklist", "skip", reference, "investigation/queue-depths")
        let skipped = try await muster("checklist", "skip", reference, "investigation/queue-depths", "--reason", "no queues here")
        let reopened = try await muster("checklist", "reopen", reference, "investigation/queue-depths")
        let added = try await muster("checklist", "add", reference, "Check the identity provider")
        let after = try await muster("checklist", "show", reference)

        // then each step says what it did, and the list shows where each item stands
        #expect(shown.status == 0 && shown.stdout.contains("Second level: response protocol [response]"), "\(shown.stderr)")
        #expect(shown.stdout.contains("[ ] Acknowledge and assess  sev2-protocol/acknowledge-and-assess"), "\(shown.stdout)")
        #expect(!shown.stdout.contains("Most severe level"))
        #expect(done.status == 0 && done.stdout.contains("1 of"), "\(done.stderr)")
        #expect(noReason.status == 2, "\(noReason.status) \(noReason.stderr)")
        #expect(skipped.status == 0 && reopened.status == 0 && added.status == 0, "\(skipped.stderr)\(reopened.stderr)\(added.stderr)")
        #expect(after.stdout.contains("[x] Acknowledge and assess  sev2-protocol/acknowledge-and-assess · done by ann"), "\(after.stdout)")
        #expect(after.stdout.contains("[ ] Queue depths") && after.stdout.contains("[ ] Check the identity provider"), "\(after.stdout)")
    }

    @Test("a runbook is saved from standard input, matched to an incident of its service, and its task list added to the checklist")
    func runbook() async throws {
        // given a server, service api and a P2 of it
        let database = try await TestBackend(kind: .sqlite).makeDatabase()
        defer { Task { await database.remove() } }
        let token = try await MusterProcess.responderToken(database: database.url, name: "ann")
        let server = try await ServerProcess(database: database.url)
        defer { _ = server.stop() }
        let environment = ["MUSTER_URL": server.url, "MUSTER_TOKEN": token]
        func muster(_ arguments: String...) async throws -> MusterProcess.Result {
            try await MusterProcess.run(arguments, environment: environment)
        }
        _ = try await muster("service", "create", "api")
        let declared = try await muster("incident", "declare", "--title", "API errors", "--severity", "P2", "--service", "api", "--json")
        let reference = try #require(
            (try JSONSerialization.jsonObject(with: Data(declared.stdout.utf8)) as? [String: Any])?["reference"] as? String)

        // when a runbook for api is saved from standard input, looked up and made a checklist
        let saved = try await MusterProcess.run(
            ["runbook", "save", "api-errors", "--title", "API errors", "--service", "api", "--file", "-"], environment: environment,
            input: "## First\n- [ ] Error rate by endpoint\n- [ ] Recent deploys\n")
        let found = try await muster("runbook", "for", reference)
        let checklist = try await muster("runbook", "checklist", reference, "api-errors")
        let shown = try await muster("checklist", "show", reference)

        // then
        #expect(saved.status == 0 && saved.stdout.contains("Saved runbook api-errors (API errors), 2 checklist items."), "\(saved.stderr)")
        #expect(found.stdout.contains("api-errors  API errors  (service api)"), "\(found.stdout)")
        #expect(checklist.status == 0, "\(checklist.stderr)")
        #expect(shown.stdout.contains("[ ] Error rate by endpoint  added/1") && shown.stdout.contains("[ ] Recent deploys  added/2"), "\(shown.stdout)")
    }

    @Test("runbooks in a folder are loaded at start; a file with a bad header stops the start, naming it")
    func runbookFolder() async throws {
        // given a folder with one runbook, and a database
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("muster-runbooks-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try "---\ntitle: Disk full\nlabels: alertname=DiskFull\n---\n- [ ] Free the logs\n".write(
            to: folder.appendingPathComponent("disk-full.md"), atomically: true, encoding: .utf8)
        let database = try await TestBackend(kind: .sqlite).makeDatabase()
        defer { Task { await database.remove() } }
        let token = try await MusterProcess.responderToken(database: database.url, name: "ann")
        // when the server starts with the folder
        let server = try await ServerProcess(database: database.url, environment: ["MUSTER_RUNBOOKS_FOLDER": folder.path])
        let listed = try await MusterProcess.run(["runbook", "list"], environment: ["MUSTER_URL": server.url, "MUSTER_TOKEN": token])
        _ = server.stop()
        // then it is there
        #expect(listed.stdout.contains("disk-full") && listed.stdout.contains("Disk full") && listed.stdout.contains("alertname=DiskFull"), "\(listed.stdout)")
        // and a bad header stops the next start with the file's name
        try "---\nowner: ann\n---\nx\n".write(to: folder.appendingPathComponent("bad.md"), atomically: true, encoding: .utf8)
        let refused = try await MusterProcess.run(
            ["serve", "--port", "0", "--database", database.url], environment: ["MUSTER_RUNBOOKS_FOLDER": folder.path])
        #expect(refused.status != 0 && refused.stderr.contains("bad.md") && refused.stderr.contains("owner"), "\(refused.stderr)")
    }
}
