import Foundation
import Testing

@testable import MusterCore

@Suite("Alert notes: alerts that change together share one timeline entry")
struct AlertChangeNoteTests {
    let t0 = Fixtures.t0

    private func alert(_ key: String, _ summary: String, _ severity: AlertSeverity = .critical, source: String = "am") -> Alert {
        let event = AlertEvent(action: .trigger, dedupKey: key, summary: summary, source: source, severity: severity)
        return Alert(id: UUID(), integrationID: UUID(), service: "web", event: event, at: t0)
    }

    private func decoded(_ list: String?) throws -> [String] {
        try JSONDecoder().decode([String].self, from: Data(try #require(list).utf8))
    }

    @Test("one alert reads as before and lists itself")
    func single() throws {
        // given one alert joining
        let one = alert("k1", "Disk full on db-1", .warning)
        // when its note is written
        let draft = AlertChangeNote(one, change: .opened, at: t0).draft
        // then the text names it and the details list its id and key
        #expect(draft.text == "Alert joined (warning): Disk full on db-1")
        #expect(draft.kind == .alert)
        #expect(draft.author == "am")
        #expect(draft.details["change"] == "opened")
        #expect(draft.details["count"] == "1")
        #expect(try decoded(draft.details["alerts"]) == [one.id.uuidString])
        #expect(try decoded(draft.details["dedupKeys"]) == ["k1"])
    }

    @Test("alerts whose silence ended say so, one or many")
    func released() throws {
        // given alerts that a silence held back, still firing when it ended
        let first = alert("k1", "Replication lag", .error)
        var note = AlertChangeNote(first, change: .released, at: t0)
        let alone = note.draft
        // when a second one is released at the same moment
        let absorbed = note.absorb(AlertChangeNote(alert("k2", "Replication lag", .error), change: .released, at: t0))
        #expect(absorbed)
        // then the entry says why they arrive late
        #expect(alone.text == "Alert joined when its silence ended (error): Replication lag")
        #expect(note.draft.text == "2 alerts joined when their silence ended (error): Replication lag (×2)")
        #expect(note.draft.details["change"] == "released")
    }

    @Test("a storm's alerts share an entry that counts levels, names the common summaries and lists every alert")
    func storm() throws {
        // given six alerts joining at once, most of them with one summary
        let alerts = [
            alert("a", "5xx rate high"), alert("b", "5xx rate high"), alert("c", "Disk \"full\"", .warning),
            alert("d", "5xx rate high"), alert("e", "Latency p99"), alert("f", "Queue depth", .info),
        ]
        var note = AlertChangeNote(alerts[0], change: .opened, at: t0)
        // when the others are absorbed in arrival order
        let absorbed = alerts.dropFirst().map { note.absorb(AlertChangeNote($0, change: .opened, at: t0)) }
        #expect(absorbed.allSatisfy { $0 })
        let draft = note.draft
        // then
        #expect(draft.text == "6 alerts joined (critical 4, warning 1, info 1): 5xx rate high (×3); Disk \"full\"; Latency p99; and 1 more")
        #expect(draft.details["count"] == "6")
        #expect(try decoded(draft.details["alerts"]) == alerts.map(\.id.uuidString))
        #expect(try decoded(draft.details["dedupKeys"]) == ["a", "b", "c", "d", "e", "f"])
    }

    @Test("only alerts that changed the same way at the same moment, and fit, share a note; the author names their sources")
    func boundaries() {
        // given a note of one alert that joined
        var note = AlertChangeNote(alert("a", "x"), change: .opened, at: t0)
        // then a resolve or a later moment needs a note of its own, another source does not
        let others = [
            AlertChangeNote(alert("b", "x"), change: .resolved, at: t0),
            AlertChangeNote(alert("c", "x"), change: .opened, at: t0.addingTimeInterval(1)),
            AlertChangeNote(alert("d", "x", source: "grafana"), change: .opened, at: t0),
        ]
        #expect(others.map { note.absorb($0) } == [false, false, true])
        // and a note holds at most `capacity` alerts
        let fits = (2..<AlertChangeNote.capacity).map { note.absorb(AlertChangeNote(alert("k\($0)", "x"), change: .opened, at: t0)) }
        #expect(fits.allSatisfy { $0 })
        let over = note.absorb(AlertChangeNote(alert("over", "x"), change: .opened, at: t0))
        #expect(!over)
        #expect(note.alerts.count == AlertChangeNote.capacity)
        #expect(note.draft.text == "100 alerts joined (critical): x (×100)")
        #expect(note.draft.author == "am; grafana")
    }

    @Test("the most frequent summaries come first, the earlier among equals")
    func ranking() {
        var note = AlertChangeNote(alert("a", "rare"), change: .opened, at: t0)
        let absorbed = [alert("b", "common"), alert("c", "other"), alert("d", "common"), alert("e", "last")]
            .map { note.absorb(AlertChangeNote($0, change: .opened, at: t0)) }
        #expect(absorbed.allSatisfy { $0 })
        #expect(note.draft.text == "5 alerts joined (critical): common (×2); rare; other; and 1 more")
        #expect(note.draft.author == "am")
    }

    @Test("alerts firing again and resolving say so")
    func verbs() {
        var refired = AlertChangeNote(alert("a", "x"), change: .refired, at: t0)
        #expect(refired.draft.text == "Alert fired again (critical): x")
        _ = refired.absorb(AlertChangeNote(alert("b", "y", .error), change: .refired, at: t0))
        #expect(refired.draft.text == "2 alerts fired again (critical 1, error 1): x; y")
        var resolved = AlertChangeNote(alert("a", "x"), change: .resolved, at: t0)
        _ = resolved.absorb(AlertChangeNote(alert("b", "x"), change: .resolved, at: t0))
        #expect(resolved.draft.text == "2 alerts resolved (critical): x (×2)")
    }
}
