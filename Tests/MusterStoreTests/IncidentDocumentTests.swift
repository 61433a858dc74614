import Foundation
import MusterCore
import Testing

@testable import MusterStore

@Suite("Incident documents written by hand")
struct IncidentDocumentTests {
    /// Every field set, optionals included, with text that needs escaping.
    static var full: Incident {
        let at = Date(timeIntervalSince1970: 1_795_000_000.123_456)
        let event = AlertEvent(
            action: .trigger, dedupKey: "k", summary: "Checkout \"502\" errors\n\u{1}", source: "alertmanager", severity: .critical)
        let alert = Alert(id: UUID(), integrationID: UUID(), service: "checkout", event: event, at: at)
        var incident = Incident.open(
            from: alert, id: UUID(), number: 42, severity: "P1", groupKey: "alertname=HighErrorRate,cluster=eu", at: at
        ).0
        incident.summary = "</script> 漢字 🚨 \u{2028}"
        incident.services = ["checkout", "payments"]
        incident.status = .monitoring
        incident.impact = Impact(
            usersAffectedCount: 12_345, usersAffectedPercent: 12.5, userImpact: .many, businessImpact: .revenueLoss,
            customerFacing: true, dataLoss: true, security: true)
        incident.roles = [
            RoleAssignment(role: .commander, assignee: "ann", assignedBy: "bob", assignedAt: at),
            RoleAssignment(role: .techLead, assignee: "carl\\", assignedBy: "ann", assignedAt: at.addingTimeInterval(0.000_1)),
        ]
        incident.impactStartedAt = at.addingTimeInterval(-60)
        incident.acknowledgedAt = at.addingTimeInterval(30)
        incident.mitigatedAt = at.addingTimeInterval(600)
        incident.resolvedAt = at.addingTimeInterval(900)
        incident.closedAt = at.addingTimeInterval(86_400)
        incident.rootCause = "a bad deploy"
        incident.resolution = "rolled back"
        incident.reopenCount = 2
        incident.alertsLeftOut = ["{}:{alertname=\"Node\\Down\"}": 1_500, "{}/{team=\"db\"}:{}": 3]
        incident.updatedAt = at.addingTimeInterval(86_400)
        incident.channel = "https://chat.example.com/\"inc\""
        incident.bridge = "zoommtg://zoom.example.com/join?confno=42"
        incident.publicName = "Checkout is \"slow\""
        var record = CommunicationRecord(startedAt: at)
        (record.lastInternalAt, record.lastExternalAt) = (at.addingTimeInterval(60), at.addingTimeInterval(120))
        (record.promisedInternalAt, record.promisedExternalAt) = (at.addingTimeInterval(600), at.addingTimeInterval(1_200))
        (record.remindedInternalFor, record.remindedExternalFor) = (at.addingTimeInterval(900), at.addingTimeInterval(1_800))
        (record.escalatedInternalFor, record.escalatedExternalFor) = (at.addingTimeInterval(900), at.addingTimeInterval(1_800))
        record.lastExternalPhase = .monitoring
        incident.communication = record
        return incident
    }

    static var incidents: [Incident] {
        var bare = full
        bare.impact = Impact()
        bare.roles = []
        bare.services = []
        bare.summary = ""
        (bare.impactStartedAt, bare.acknowledgedAt, bare.mitigatedAt, bare.resolvedAt, bare.closedAt) = (nil, nil, nil, nil, nil)
        (bare.rootCause, bare.resolution, bare.groupKey, bare.alertsLeftOut) = (nil, nil, nil, nil)
        (bare.channel, bare.bridge, bare.communication, bare.publicName) = (nil, nil, nil, nil)
        bare.detectedAt = Date(timeIntervalSinceReferenceDate: -1e-7)
        return [full, bare]
    }

    @Test("decodes to the same incident, with the same fields, as Codable would", arguments: incidents)
    func roundTrip(incident: Incident) throws {
        // when
        let text = try IncidentDocument.encode(incident)
        // then
        #expect(try JSONDecoder().decode(Incident.self, from: Data(text.utf8)) == incident)
        let byEncoder = try JSONSerialization.jsonObject(with: Data(DocumentCoding.encode(incident).utf8)) as? NSDictionary
        let byHand = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? NSDictionary
        #expect(byHand == byEncoder)
    }

    @Test("the full fixture leaves no field empty, so a field added to Incident must be written by hand too")
    func fixtureIsFull() {
        // given
        let incident = Self.full
        // when
        let empty = [("Incident", Mirror(reflecting: incident)), ("Impact", Mirror(reflecting: incident.impact))].flatMap { type, mirror in
            mirror.children.compactMap { child -> String? in
                let value = Mirror(reflecting: child.value)
                let isEmpty =
                    (value.displayStyle == .optional && value.children.isEmpty)
                    || (value.displayStyle == .collection && value.children.isEmpty)
                return isEmpty ? "\(type).\(child.label ?? "?")" : nil
            }
        }
        // then
        #expect(empty == [])
    }

    @Test("a share of users that is not a number is refused, as JSONEncoder refuses it")
    func notFinite() {
        // given
        var incident = Self.full
        incident.impact.usersAffectedPercent = .nan
        // then
        #expect(throws: EncodingError.self) { try IncidentDocument.encode(incident) }
    }
}
