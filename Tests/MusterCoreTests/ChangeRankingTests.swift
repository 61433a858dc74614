import Foundation
import MusterCore
import Testing

@Suite("Ranking the changes before an incident")
struct ChangeRankingTests {
    let t0 = Fixtures.t0

    /// An incident of `api` whose impact started at t0, detected eight minutes later, as in the seeds' example.
    func incident(impactStart: Bool = true) throws -> Incident {
        try Incident.declare(
            IncidentDeclaration(
                title: "API errors", services: ["api"], severity: "P1", impactStartedAt: impactStart ? t0 : nil, detectedAt: t0 + 480),
            id: UUID(), number: 1, scheme: .standard, by: "alice", at: t0 + 600
        ).0
    }

    func change(_ service: String, _ summary: String, minutesBefore: Double, from start: Date? = nil) throws -> ChangeEvent {
        let at = (start ?? t0) - minutesBefore * 60
        return try ChangeEvent(id: UUID(), service: service, summary: summary, at: at, receivedAt: at, via: "api")
    }

    @Test("the same service outranks a dependency, a recent change an older one; others and those outside the window are left out")
    func ranking() throws {
        // given changes around the impact's start
        let deploy = try change("api", "Deploy v2.34", minutesBefore: 8)
        let oldDeploy = try change("api", "Deploy v2.33", minutesBefore: 200)
        let database = try change("db", "Raise max_connections", minutesBefore: 5)
        let unrelated = try change("billing", "Deploy billing", minutesBefore: 2)
        let tooOld = try change("api", "Deploy v2.30", minutesBefore: 300)
        let after = try change("api", "Hotfix", minutesBefore: -3)
        // when they are ranked for the incident, api depending on db
        let ranked = ChangeRanking().rank(
            [oldDeploy, unrelated, database, tooOld, after, deploy], for: try incident(), dependencies: ["api": ["db"]])
        // then the same service's recent deploy leads, with its reason
        #expect(ranked.map(\.change.summary) == ["Deploy v2.34", "Raise max_connections", "Deploy v2.33"])
        #expect(ranked[0].reason == "same service, 8 min before impact" && ranked[0].relation == .sameService)
        #expect(ranked[1].reason == "api depends on db, 5 min before impact" && ranked[1].relation == .dependency)
        #expect(ranked[2].reason == "same service, 3 h 20 min before impact")
        #expect(ranked.allSatisfy { $0.score > 0 && $0.score <= 1 })
    }

    @Test("without an impact start, changes are measured from the detection, and the reason says so")
    func fromDetection() throws {
        // given an incident with no impact start, detected at t0 + 8 min
        let detected = try incident(impactStart: false)
        let deploy = try change("api", "Deploy v2.34", minutesBefore: 10, from: t0 + 480)
        // when / then
        let ranked = ChangeRanking(window: 3_600).rank([deploy], for: detected)
        #expect(ranked.map(\.reason) == ["same service, 10 min before detection"])
        #expect(ChangeRanking(window: 3_600).span(of: detected).from == t0 + 480 - 3_600)
    }

    @Test("a change is refused without a summary, with a bad link, or dated in the future")
    func validation() {
        #expect(throws: IncidentError.self) { try ChangeEvent(id: UUID(), service: "api", summary: "  ", at: t0, receivedAt: t0, via: "api") }
        #expect(throws: IncidentError.self) {
            try ChangeEvent(
                id: UUID(), service: "api", summary: "Deploy", at: t0, receivedAt: t0, links: [AlertLink(href: "javascript:alert(1)")],
                via: "api")
        }
        #expect(throws: IncidentError.self) {
            try ChangeEvent(id: UUID(), service: "api", summary: "Deploy", at: t0 + 3_600, receivedAt: t0, via: "api")
        }
        #expect(throws: IncidentError.self) { try ChangeEvent(id: UUID(), service: "Not A Slug", summary: "Deploy", at: t0, receivedAt: t0, via: "api") }
    }

    @Test("a suspect change becomes a finding that names it, and the post-mortem's key moments carry it")
    func suspectOnTimeline() throws {
        // given
        let incident = try incident()
        let deploy = try change("api", "Deploy v2.34", minutesBefore: 8)
        // when
        let draft = try incident.suspect(deploy, reason: "pool graph turns at the deploy", by: "bob", at: t0 + 900)
        // then
        #expect(draft.kind == .finding && draft.details["change"] == deploy.id.uuidString)
        #expect(draft.text.hasPrefix("Suspect change: Deploy v2.34 (api, ") && draft.text.hasSuffix(": pool graph turns at the deploy"))
        let entry = TimelineEntry(id: UUID(), incidentID: incident.id, draft: draft)
        let figures = IncidentFigures(incident: incident, timeline: [entry], severity: nil, alerts: 0, pages: 0, changeAt: nil, now: t0 + 900)
        let moments = PostmortemDraft(incident: incident, timeline: [entry], figures: figures).keyMoments
        #expect(moments.map(\.id) == [entry.id])
    }
}
