import Foundation
import MusterCore
import MusterHTTP
import MusterStore
import MusterTestSupport
import Testing

@Suite("Live pages")
struct LiveChangesTests {
    /// Counts the changes a page hears.
    actor Heard {
        var count = 0
        func add() { count += 1 }

        /// Whether the count reaches `target` within `seconds`.
        func reaches(_ target: Int, within seconds: Double) async -> Bool {
            let deadline = Date().addingTimeInterval(seconds)
            while count < target, Date() < deadline { try? await Task.sleep(for: .milliseconds(20)) }
            return count >= target
        }
    }

    @Test("a change made through one server wakes the pages watching another on the same database", arguments: TestBackend.all)
    func changeReachesOtherServer(backend: TestBackend) async throws {
        try await backend.withStores(2) { stores, _ in
            // given two servers on one database, and a page watching the second
            let (first, second) = (stores[0], stores[1])
            let live = LiveChanges(store: second, interval: .milliseconds(50))
            let changes = await live.watch()
            let heard = Heard()
            let listener = Task { for await _ in changes { await heard.add() } }
            defer { listener.cancel() }
            try await Task.sleep(for: .milliseconds(300))
            // when nothing changes, nothing is heard
            try await Task.sleep(for: .milliseconds(300))
            #expect(await heard.count == 0)
            // when an incident is declared through the first (again after a while: the watcher's first
            // read may come after the first declaration on a loaded machine)
            var incident = try await first.declareIncident(
                IncidentDeclaration(title: "Checkout down", severity: "P1"), scheme: .standard, by: "ann", at: Date())
            if !(await heard.reaches(1, within: 3)) {
                incident = try await first.declareIncident(
                    IncidentDeclaration(title: "Checkout down again", severity: "P1"), scheme: .standard, by: "ann", at: Date())
            }
            // then the watcher of the second hears of it
            #expect(await heard.reaches(1, within: 5))
            // and an entry on its timeline is heard too
            let before = await heard.count
            _ = try await first.updateIncident(incident.reference, escalation: nil) { incident in
                incident.updatedAt = Date().addingTimeInterval(1)
                return [try incident.record(kind: .note, text: "Looking", hypothesis: nil, result: nil, by: "ann", at: Date())]
            }
            #expect(await heard.reaches(before + 1, within: 5))
        }
    }
}
