import Foundation
import MusterTestSupport
import Testing

/// `muster postmortem` and `muster action` against a `muster serve` process.
@Suite("CLI post-mortems and action items", .serialized)
struct PostmortemCommandTests {
    @Test("a post-mortem is drafted, edited with the blameless check's word, published over it with a reason and exported")
    func postmortem() async throws {
        // given a resolved P1 and ann, whose token is named after her
        let database = try await TestBackend(kind: .sqlite).makeDatabase()
        defer { Task { await database.remove() } }
        let token = try await MusterProcess.responderToken(database: database.url, name: "ann", role: "admin")
        let server = try await ServerProcess(database: database.url)
        defer { _ = server.stop() }
        func muster(_ arguments: String...) async throws -> MusterProcess.Result {
            try await MusterProcess.run(arguments, environment: ["MUSTER_URL": server.url, "MUSTER_TOKEN": token])
        }
        _ = try await muster("user", "create", "ann", "--name", "Ann Lee", "--email", "ann@example.com")
        _ = try await muster("incident", "declare", "--title", "Checkout down", "--severity", "P1")
        let resolved = try await muster("incident", "resolve", "INC-\(Calendar.current.component(.year, from: Date()))-0001", "--force", "A drill")
        #expect(resolved.status == 0, "\(resolved.stderr)")
        let reference = "INC-\(Calendar.current.component(.year, from: Date()))-0001"

        // when it is drafted, a section is edited with blame in it, and it is published
        let drafted = try await muster("postmortem", "draft", reference)
        let edited = try await muster(
            "postmortem", "edit", reference, "what-could-be-improved", "--text", "The reviewer should have caught it.")
        let refused = try await muster("postmortem", "publish", reference)
        let published = try await muster("postmortem", "publish", reference, "--override", "A quote from the review")
        let markdown = try await muster("postmortem", "export", reference, "--format", "md")
        let item = try await muster(
            "action", "add", "Add connection lifecycle tests", "--owner", "ann", "--priority", "P0", "--incident", reference)
        let mine = try await muster("action", "list", "--mine")
        let report = try await muster("report", "--since", "7d")

        // then each step says what it did
        #expect(drafted.status == 0 && drafted.stdout.contains("## Timeline [timeline]"), "\(drafted.stderr)")
        #expect(
            edited.status == 0 && edited.stdout.contains("The blameless check found 1") && edited.stdout.contains("should have"),
            "\(edited.stdout)")
        #expect(refused.status != 0 && refused.stderr.contains("override"), "\(refused.stderr)")
        #expect(published.status == 0 && published.stdout.contains("published"), "\(published.stderr)")
        #expect(markdown.stdout.contains("## What could be improved\n\nThe reviewer should have caught it."), "\(markdown.stdout)")
        #expect(item.status == 0 && item.stdout.contains("[P0, open] Add connection lifecycle tests"), "\(item.stderr)")
        #expect(mine.stdout.contains("Add connection lifecycle tests") && mine.stdout.contains(reference), "\(mine.stdout)")
        #expect(
            report.status == 0 && report.stdout.contains("1 incidents")
                && report.stdout.contains("Post-mortems: 1 of 1 required published"), "\(report.stdout)\(report.stderr)")
    }
}
