import Foundation
import MusterCore
import MusterTestSupport
import SQLKit
import Testing

@testable import MusterStore

@Suite("Alert documents written by hand")
struct AlertDocumentTests {
    static var alerts: [Alert] {
        let event = AlertEvent(
            action: .trigger, dedupKey: "fp-\"quoted\"\\", summary: "Disk 97% full on db-1\nsecond line \u{1}", source: "alertmanager",
            severity: .critical, labels: ["alertname": "DiskFull", "instance": "db-1:9100", "ünïcode": "漢字 🚨"],
            annotations: ["summary": "</script>", "runbook_url": "https://runbooks.example.com/disk"],
            links: [AlertLink(href: "https://grafana.example.com/d/1", text: "dashboard"), AlertLink(href: "http://prom/graph")],
            startsAt: Date(timeIntervalSince1970: 1_795_000_000.123_456))
        let now = Date(timeIntervalSince1970: 1_795_000_100.987)
        var plain = Alert(id: UUID(), integrationID: UUID(), service: "checkout", event: event, at: now)
        var joined = plain
        joined.incidentID = UUID()
        joined.incidentReference = "INC-2026-0042"
        joined.occurrences = 12_345
        joined.lastSeen = now.addingTimeInterval(0.000_1)
        var resolved = joined
        _ = resolved.receive(AlertEvent(action: .resolve, dedupKey: event.dedupKey, summary: "", source: "x", severity: .info), at: now)
        resolved.silenceID = UUID()
        plain.links = []
        plain.labels = [:]
        plain.annotations = [:]
        let old = Alert(
            id: UUID(), integrationID: UUID(), service: "s",
            event: AlertEvent(
                action: .trigger, dedupKey: "k", summary: "s", source: "t", severity: .info, startsAt: Date(timeIntervalSince1970: 0)),
            at: Date(timeIntervalSinceReferenceDate: -1e-7))
        return [plain, joined, resolved, old]
    }

    static func columns(of alert: Alert) -> AlertDocument.Columns {
        AlertDocument.Columns(
            id: alert.id.text, integrationID: alert.integrationID.text, service: alert.service, dedupKey: alert.dedupKey,
            status: alert.status.rawValue, incidentID: alert.incidentID?.text, silenceID: alert.silenceID?.text)
    }

    @Test("with its row's columns, decodes to the same alert, with the same fields, as Codable would", arguments: alerts)
    func roundTrip(alert: Alert) throws {
        // when
        let text = AlertDocument.encode(alert)
        let read = try AlertDocument.decode(text, columns: Self.columns(of: alert))
        // then
        #expect(read == alert)
        let byEncoder = try JSONSerialization.jsonObject(with: Data(DocumentCoding.encode(read).utf8)) as? NSDictionary
        let expected = try JSONSerialization.jsonObject(with: Data(DocumentCoding.encode(alert).utf8)) as? NSDictionary
        #expect(byEncoder == expected)
    }

    @Test("the second form leaves out what the columns hold", arguments: alerts)
    func leavesOutColumns(alert: Alert) throws {
        // when
        let text = AlertDocument.encode(alert)
        let fields = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        // then
        #expect(text.hasPrefix(AlertDocument.secondForm))
        for column in ["id", "integrationID", "service", "dedupKey", "status", "incidentID", "silenceID"] {
            #expect(fields[column] == nil, "\(column) is in the document")
        }
        #expect(!text.contains(alert.id.text))
    }

    @Test("a document of the first form, as stored before, still reads as it is", arguments: alerts)
    func firstForm(alert: Alert) throws {
        // given
        let stored = try DocumentCoding.encode(alert)
        // when
        let read = try AlertDocument.decode(stored, columns: Self.columns(of: alert))
        // then
        #expect(read == alert)
    }

    @Test("a packed lookup gives back the alert; a malformed one is refused as corrupt", arguments: alerts)
    func packed(alert: Alert) throws {
        // given
        let columns = Self.columns(of: alert)
        let packed = [
            columns.id, columns.integrationID, columns.status, columns.incidentID ?? "-", columns.silenceID ?? "-",
            AlertDocument.encode(alert),
        ]
        .joined(separator: " ")
        // when
        let read = try AlertDocument.decode(packed: packed, service: alert.service, dedupKey: alert.dedupKey)
        // then
        #expect(read == alert)
        #expect(throws: StoreError.self) { try AlertDocument.decode(packed: "only two", service: "s", dedupKey: "k") }
    }

    @Test("the fixture sets every field of an alert, so a new field must be written and read back too")
    func fixtureIsComplete() {
        // given
        let alert = Self.alerts[2]
        // when
        let empty = Mirror(reflecting: alert).children.compactMap { child -> String? in
            let value = Mirror(reflecting: child.value)
            let isEmpty =
                (value.displayStyle == .optional || value.displayStyle == .collection || value.displayStyle == .dictionary)
                && value.children.isEmpty
            return isEmpty ? child.label ?? "?" : nil
        }
        // then
        #expect(empty == [])
    }

    @Test("an alert stored in the first form is found, counted and rewritten in the second", arguments: TestBackend.all)
    func storedFirstForm(backend: TestBackend) async throws {
        try await backend.withStore { store in
            // given
            let store = try #require(store as? SQLStore)
            let t0 = Date(timeIntervalSince1970: 1_795_000_000)
            _ = try await store.createService(ServiceRecord(id: "web", name: "Web", createdAt: t0))
            let integration = try await store.createIntegration(service: "web", kind: .alertmanager, name: "am", at: t0).0
            let event = AlertEvent(
                action: .trigger, dedupKey: "disk", summary: "Disk full", source: "test", severity: .critical, labels: ["a": "b"])
            let mapping = SeverityMapping.standard(for: .standard)
            _ = try await store.ingest([event], via: integration, scheme: .standard, mapping: mapping, at: t0)
            let stored = try await store.alerts(AlertQuery())[0]
            let firstForm = try DocumentCoding.encode(stored)
            try await store.transaction { db in try await db.raw("UPDATE alerts SET document = \(bind: firstForm)").run() }
            // when
            let listed = try await store.alerts(AlertQuery())
            let again = try await store.ingest([event], via: integration, scheme: .standard, mapping: mapping, at: t0.addingTimeInterval(5))
            let after = try await store.alerts(AlertQuery())
            let document = try await store.read { db in
                try await db.raw("SELECT document FROM alerts").all()[0].decode(column: "document", as: String.self)
            }
            // then
            #expect(listed == [stored])
            #expect(again[0].change == .repeated)
            #expect(after.count == 1 && after[0].id == stored.id && after[0].occurrences == 2 && after[0].incidentID == stored.incidentID)
            #expect(document.hasPrefix(AlertDocument.secondForm))
        }
    }
}
