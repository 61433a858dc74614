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
}
