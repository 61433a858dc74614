import Foundation
import MusterTestSupport
import Testing

/// `muster incident update` against a `muster serve` process.
@Suite("CLI status updates", .serialized)
struct UpdateCommandTests {
    @Test("an update is previewed, published, and the show command tells when the next one is due")
    func previewPublishShow() async throws {
        // given a P1 on a server
        let database = try await TestBackend(kind: .sqlite).makeDatabase()
        defer { Task { await database.remove() } }
        let token = try await MusterProcess.responderToken(database: database.url, name: "oncall")
        let server = try await ServerProcess(database: database.url)
        let env = ["MUSTER_URL": server.url, "MUSTER_TOKEN": token]
        func muster(_ arguments: String...) async throws -> MusterProcess.Result {
            try await MusterProcess.run(arguments, environment: env)
        }
        let declared = try await muster("incident", "declare", "--title", "Card payments fail", "--severity", "P1")
        let id = try #require(declared.stdout.split(separator: " ").dropFirst().first.map(String.init))

        // when an external update is previewed, then an internal one published with a promise
        let preview = try await muster(
            "incident", "update", id, "--external", "--phase", "investigating", "Some payments fail.", "--preview")
        let published = try await muster("incident", "update", id, "--phase", "identified", "Rolling back.", "--next", "10m")
        let show = try await muster("incident", "show", id)
        let list = try await muster("incident", "list")
        let typo = try await muster("incident", "update", id, "--phase", "fixed", "x")
        let both = try await muster("incident", "update", id, "--internal", "--external", "--phase", "identified", "x")
        _ = server.stop()

        // then the preview reads in the external wording and publishes nothing; the update is on the timeline
        #expect(preview.status == 0, "\(preview.stderr)")
        #expect(preview.stdout.contains("Preview, not published (external):") && preview.stdout.contains("We are looking into a problem"))
        #expect(published.status == 0 && published.stdout.contains("Published (internal):"), "\(published.stderr)")
        #expect(published.stdout.contains("Now: Rolling back.") && published.stdout.contains("Next update promised by"))
        #expect(show.stdout.contains("update_published") && show.stdout.contains("Internal update"), "\(show.stdout)")
        #expect(show.stdout.contains("due in 9m") || show.stdout.contains("due in 10m"), "\(show.stdout)")
        #expect(
            list.stdout.contains("NEXT UPDATE") && (list.stdout.contains("internal in 9m") || list.stdout.contains("internal in 10m")),
            "\(list.stdout)")
        // and mistakes are named
        #expect(typo.status != 0 && typo.stderr.contains("--phase"), "\(typo.stderr)")
        #expect(both.status != 0, "one audience flag at a time: \(both.stdout)")
    }
}
