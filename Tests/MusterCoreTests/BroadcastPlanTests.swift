import Foundation
import Testing

@testable import MusterCore

@Suite("Messages to stakeholder groups")
struct BroadcastPlanTests {
    let t0 = Fixtures.t0
    let scheme = SeverityScheme.standard

    func group(_ id: String, _ mode: StakeholderMode, services: [String] = [], minimum: String? = nil, created: Date? = nil) throws
        -> StakeholderGroup
    {
        try StakeholderGroup(
            id: id, name: id.capitalized, mode: mode,
            members: [ContactMethod(id: UUID(), kind: .email, address: "\(id)@example.com")], services: services,
            minimumSeverity: minimum, scheme: scheme, createdAt: created ?? t0.addingTimeInterval(-3_600))
    }

    func entries(_ drafts: [TimelineDraft], of incident: Incident) -> [TimelineEntry] {
        drafts.map { TimelineEntry(id: UUID(), incidentID: incident.id, draft: $0) }
    }

    @Test("a declared P1 is announced to every group; then each hears what its mode asks for, in its words")
    func walkThrough() throws {
        // given a P1 on checkout with a commander and a chat channel, and one group of each mode
        var (incident, drafts) = try Incident.declare(
            IncidentDeclaration(
                title: "Checkout failing", services: ["checkout"], severity: "P1", commander: "alice",
                channel: "https://chat.example.com/inc-7"),
            id: UUID(), number: 7, scheme: scheme, by: "alice", at: t0)
        let groups = [try group("support", .updates), try group("leadership", .summary), try group("announce", .announcements)]
        // when the declaration is told
        var plan = incident.broadcasts(
            after: entries(drafts, of: incident), to: groups, scheme: scheme, announceAlertsAt: "P2", announced: false)
        // then all three hear the announcement, with the facts and the links
        #expect(plan.announced)
        #expect(plan.broadcasts.map(\.group) == ["support", "leadership", "announce"])
        #expect(plan.broadcasts.allSatisfy { $0.kind == .announcement })
        let announcement = plan.broadcasts[0]
        #expect(announcement.subject == "[P1] \(incident.reference) declared: Checkout failing")
        #expect(announcement.text.contains("alice declared \(incident.reference) at P1."))
        #expect(announcement.text.contains("Commander: alice") && announcement.text.contains("Chat: https://chat.example.com/inc-7"))
        #expect(announcement.text.contains("Services: checkout"))

        // when an internal update, an external one and a severity change follow
        drafts = [
            try incident.publishUpdate(
                audience: .internal, phase: .identified, body: "Bad deploy found", nextUpdateAt: nil, by: "alice", at: t0 + 600),
            try incident.publishUpdate(
                audience: .external, phase: .identified, body: "We found it", nextUpdateAt: nil, by: "alice", at: t0 + 660),
        ]
        drafts += try incident.changeSeverity(to: "P2", reason: "Only some users now", scheme: scheme, by: "alice", at: t0 + 720)
        plan = incident.broadcasts(
            after: entries(drafts, of: incident), to: groups, scheme: scheme, announceAlertsAt: "P2", announced: true)
        // then support hears the internal update and the change, leadership the change only; customers' update goes to none
        #expect(plan.broadcasts.map { "\($0.group) \($0.kind.rawValue)" } == ["support update", "support severity", "leadership severity"])
        #expect(plan.broadcasts[0].text == "Bad deploy found" && plan.broadcasts[0].subject.hasSuffix(": internal update, identified"))
        #expect(plan.broadcasts[1].subject == "[P2] \(incident.reference): severity lowered from P1 to P2")
        #expect(plan.broadcasts[1].text.contains("Why: Only some users now"))

        // when it is resolved 47 minutes after it began
        drafts = try incident.resolve(resolution: "Rolled back v2.34", rootCause: "A bad deploy", by: "alice", at: t0 + 2_820)
        plan = incident.broadcasts(
            after: entries(drafts, of: incident), to: groups, scheme: scheme, announceAlertsAt: "P2", announced: true)
        // then support and leadership hear how long it lasted, what fixed it and why it broke
        #expect(plan.broadcasts.map(\.group) == ["support", "leadership"])
        let summary = try #require(plan.broadcasts.last)
        #expect(summary.kind == .resolved && summary.subject == "[P2] \(incident.reference): resolved after 47m 00s")
        #expect(summary.text.contains("It lasted 47m 00s") && summary.text.contains("Resolution: Rolled back v2.34"))
        #expect(summary.text.contains("Root cause: A bad deploy") && summary.text.contains("(counted from detection)"))
    }

    @Test("a group hears only its services, at its minimum severity or worse, and only what came after it was made")
    func filters() throws {
        // given a P2 on checkout
        let (incident, drafts) = try Incident.declare(
            IncidentDeclaration(title: "Slow checkout", services: ["checkout"], severity: "P2"), id: UUID(), number: 8, scheme: scheme,
            by: "alice", at: t0)
        let groups = [
            try group("search-team", .updates, services: ["search"]),
            try group("checkout-team", .updates, services: ["checkout", "search"]),
            try group("p1-only", .summary, minimum: "P1"),
            try group("p3-and-up", .summary, minimum: "P3"),
            try group("newcomer", .announcements, created: t0.addingTimeInterval(1)),
        ]
        // when
        let plan = incident.broadcasts(
            after: entries(drafts, of: incident), to: groups, scheme: scheme, announceAlertsAt: "P2", announced: false)
        // then
        #expect(plan.broadcasts.map(\.group) == ["checkout-team", "p3-and-up"])
    }

    @Test("opened from alerts below the announcing severity it stays quiet, until it is raised to it: then it is announced once")
    func alertOpened() throws {
        // given a P3 incident opened from a warning alert, announced from P2
        let event = AlertEvent(action: .trigger, dedupKey: "k", summary: "Disk filling", source: "am", severity: .warning)
        var (incident, drafts) = Incident.open(
            from: Alert(id: UUID(), integrationID: UUID(), service: "db", event: event, at: t0), id: UUID(), number: 9, severity: "P3",
            groupKey: "db/k", at: t0)
        let groups = [try group("support", .updates), try group("announce", .announcements)]
        var plan = incident.broadcasts(
            after: entries(drafts, of: incident), to: groups, scheme: scheme, announceAlertsAt: "P2", announced: false)
        #expect(plan.broadcasts.isEmpty && !plan.announced)
        // when an internal update is written, nobody hears of it yet
        drafts = [
            try incident.publishUpdate(
                audience: .internal, phase: .investigating, body: "Looking", nextUpdateAt: nil, by: "bob", at: t0 + 60)
        ]
        plan = incident.broadcasts(
            after: entries(drafts, of: incident), to: groups, scheme: scheme, announceAlertsAt: "P2", announced: false)
        #expect(plan.broadcasts.isEmpty)
        // when it is raised to P1, both groups hear one announcement, not a severity change besides
        drafts = try incident.changeSeverity(to: "P1", reason: "Writes failing", scheme: scheme, by: "bob", at: t0 + 120)
        plan = incident.broadcasts(
            after: entries(drafts, of: incident), to: groups, scheme: scheme, announceAlertsAt: "P2", announced: false)
        #expect(plan.announced && plan.broadcasts.map(\.kind) == [.announcement, .announcement])
        #expect(plan.broadcasts[0].subject == "[P1] \(incident.reference) now P1: Disk filling")
        #expect(plan.broadcasts[0].text.contains("was raised from P3 to P1"))
        // when no severity announces alert-opened incidents, nothing is told
        let quiet = incident.broadcasts(
            after: entries(drafts, of: incident), to: groups, scheme: scheme, announceAlertsAt: nil, announced: false)
        #expect(quiet.broadcasts.isEmpty)
    }

    @Test("a group is refused without members, with a member twice, or with a severity the scheme does not have")
    func validation() throws {
        let email = try ContactMethod(id: UUID(), kind: .email, address: "a@example.com")
        #expect(throws: IncidentError.invalidField(field: "members", reason: "must list 1–50 contacts (email, webhook or slack).")) {
            try StakeholderGroup(
                id: "x", name: "X", mode: .updates, members: [], services: [], minimumSeverity: nil, scheme: scheme, createdAt: t0)
        }
        #expect(throws: IncidentError.self) {
            try StakeholderGroup(
                id: "x", name: "X", mode: .updates, members: [email, email], services: [], minimumSeverity: nil, scheme: scheme,
                createdAt: t0)
        }
        #expect(throws: IncidentError.self) {
            try StakeholderGroup(
                id: "x", name: "X", mode: .updates, members: [email], services: [], minimumSeverity: "SEV9", scheme: scheme, createdAt: t0)
        }
        #expect(throws: IncidentError.self) {
            try StakeholderGroup(
                id: "Bad Id", name: "X", mode: .updates, members: [email], services: [], minimumSeverity: nil, scheme: scheme, createdAt: t0
            )
        }
    }
}
