import Foundation
import Testing

@testable import MusterCore

/// Seed 001's example, recorded as it happened: v2.34 deployed at 14:15, the first alert at 14:23,
/// SEV-1 declared and acknowledged at 14:25, the leak found at 14:32, the rollback decided at 14:35
/// and done at 14:38, recovery at 14:45, resolved at 15:10.
@Suite("Post-mortem drafts and an incident's figures")
struct PostmortemDraftTests {
    func at(_ time: String) -> Date { RFC3339.parse("2025-01-25T\(time):00Z")! }

    func seedIncident() throws -> (Incident, [TimelineEntry]) {
        var incident = try Incident.declare(
            IncidentDeclaration(title: "API outage", services: ["api"], severity: "P1", commander: "alice"), id: UUID(), number: 1,
            scheme: .standard, by: "alice", at: at("14:25")
        ).0
        incident.impactStartedAt = at("14:23")
        incident.detectedAt = at("14:23")
        incident.acknowledgedAt = at("14:25")
        incident.mitigatedAt = at("14:45")
        incident.resolvedAt = at("15:10")
        incident.status = .resolved
        incident.rootCause = "Deployment v2.34 left database connections open on error paths; under load the pool of 100 ran out."
        incident.resolution = "rolling back to v2.33."
        func entry(_ kind: TimelineKind, _ time: String, _ text: String, _ details: [String: String] = [:], by author: String = "alice")
            -> TimelineEntry
        {
            TimelineEntry(
                id: UUID(), incidentID: incident.id,
                draft: TimelineDraft(kind: kind, at: at(time), author: author, text: text, details: details))
        }
        let timeline = [
            entry(.alert, "14:23", "API health checks failing", by: "alertmanager"),
            entry(.alert, "14:24", "Error rate above 50 %", by: "alertmanager"),
            entry(.declared, "14:25", "Declared at P1"),
            entry(.statusChange, "14:25", "Acknowledged", ["from": "triggered", "to": "acknowledged"]),
            entry(.note, "14:28", "Investigation started, logs reviewed", by: "bob"),
            entry(.hypothesis, "14:30", "The cache is cold", ["state": "ruled_out"], by: "bob"),
            entry(.hypothesis, "14:32", "A connection leak in v2.34", ["state": "confirmed"], by: "bob"),
            entry(.decision, "14:35", "Roll back to v2.33"),
            entry(.action, "14:38", "Rollback to v2.33", ["result": "succeeded"], by: "charlie"),
            entry(.statusChange, "14:45", "Recovery confirmed", ["from": "identified", "to": "monitoring"]),
            entry(.statusChange, "15:10", "Resolved", ["from": "monitoring", "to": "resolved"]),
        ]
        return (incident, timeline)
    }

    @Test("seed 001's record yields its own figures: a 47-minute outage, detected 8 minutes after the deploy")
    func seedFigures() throws {
        // given the record of seed 001's outage and the deploy that triggered it
        let (incident, timeline) = try seedIncident()
        // when its figures are computed
        let figures = IncidentFigures(
            incident: incident, timeline: timeline, severity: try SeverityScheme.standard.level(named: "P1"), alerts: 2, pages: 1,
            changeAt: at("14:15"), now: at("16:00"))
        // then they are the seed's
        #expect(figures.duration.seconds == 47 * 60 && figures.duration.fallback == nil && figures.duration.fromLabel == "impact start")
        #expect(figures.detectedAfterChange?.seconds == 480.0)
        #expect(figures.timeToDetect.seconds == 0 && figures.timeToAcknowledge.seconds == 2 * 60)
        #expect(figures.timeToMitigate.seconds == 22 * 60 && figures.timeToResolve.seconds == 47 * 60)
        #expect(figures.people == ["alice", "bob", "charlie"], "machines are not people")
        #expect(figures.targets?.acknowledge.state == .met)
    }

    @Test("without an impact start the duration runs from detection and says so; time to detect is unknown")
    func fallbacks() throws {
        var (incident, timeline) = try seedIncident()
        incident.impactStartedAt = nil
        incident.resolvedAt = nil
        let figures = IncidentFigures(incident: incident, timeline: timeline, severity: nil, alerts: 0, pages: 0, now: at("16:00"))
        #expect(figures.duration.fromLabel == "detection" && figures.duration.fallback != nil && figures.duration.seconds == nil)
        #expect(figures.timeToDetect.seconds == nil && figures.timeToDetect.fallback != nil && figures.targets == nil)
        _ = timeline
    }

    @Test("a backfilled time counts as when it happened, not when it was written down")
    func backfilled() throws {
        var (incident, timeline) = try seedIncident()
        // the scribe wrote the mitigation down at 15:00, dated 14:45
        timeline[9].recordedAt = at("15:00")
        incident.mitigatedAt = at("14:45")
        let figures = IncidentFigures(incident: incident, timeline: timeline, severity: nil, alerts: 0, pages: 0, now: at("16:00"))
        #expect(figures.timeToMitigate.seconds == 1_320.0)
    }

    @Test("the draft fills every section of the template from the record, its timeline in order")
    func seedDraft() throws {
        // given seed 001's record, with the note about the logs starred
        let (incident, timeline) = try seedIncident()
        let figures = IncidentFigures(
            incident: incident, timeline: timeline, severity: try SeverityScheme.standard.level(named: "P1"), alerts: 2, pages: 1,
            changeAt: at("14:15"), now: at("16:00"))
        let draft = PostmortemDraft(incident: incident, timeline: timeline, figures: figures, starred: [timeline[4].id])
        // when it is drafted
        let sections = draft.sections()
        // then there is one section per section of the template, in its order
        #expect(sections.map(\.id) == PostmortemTemplate.standard.sections.map(\.id))
        let body = Dictionary(uniqueKeysWithValues: sections.map { ($0.id, $0.body) })
        #expect(
            body["summary"]?.contains("INC-2025-0001, P1 on api: API outage. From 2025-01-25 14:23 UTC for 47m 00s.") == true,
            "\(body["summary"] ?? "")")
        #expect(body["summary"]?.contains("detected 8m 00s after the triggering change") == true)
        #expect(body["impact"]?.contains("- Duration: 47m 00s (impact start to resolution)") == true, "\(body["impact"] ?? "")")
        #expect(body["impact"]?.contains("- Alerts: 2; pages sent: 1") == true)
        #expect(body["root-cause"]?.hasPrefix("Deployment v2.34 left database connections open") == true)
        #expect(body["contributing-factors"]?.contains("A connection leak in v2.34 (confirmed during the response)") == true)
        #expect(body["what-went-well"]?.contains("The acknowledge target") == true)
        #expect(body["where-we-got-lucky"]?.hasPrefix("_What went right by chance") == true)
        // and the timeline lists the key moments in order: the first alert only, the starred note, not the ruled-out cache idea's absence
        let rows = (body["timeline"] ?? "").split(separator: "\n").dropFirst(2).map(String.init)
        #expect(
            rows == [
                "| 2025-01-25 14:23 | First alert: API health checks failing |",
                "| 2025-01-25 14:25 | Declared at P1 |",
                "| 2025-01-25 14:25 | Acknowledged |",
                "| 2025-01-25 14:28 | Investigation started, logs reviewed |",
                "| 2025-01-25 14:30 | Hypothesis ruled out: The cache is cold |",
                "| 2025-01-25 14:32 | Hypothesis confirmed: A connection leak in v2.34 |",
                "| 2025-01-25 14:35 | Decision: Roll back to v2.33 |",
                "| 2025-01-25 14:38 | Action (succeeded): Rollback to v2.33 |",
                "| 2025-01-25 14:45 | Recovery confirmed |",
                "| 2025-01-25 15:10 | Resolved |",
            ], "\(rows)")
        // and unstarring a moment leaves it out
        let fewer = PostmortemDraft(incident: incident, timeline: timeline, figures: figures, unstarred: [timeline[7].id])
        #expect(!fewer.keyMoments.contains { $0.id == timeline[7].id })
        // and the draft itself passes the blameless check
        let check = BlamelessCheck(people: ["alice", "bob", "charlie"])
        #expect(
            sections.flatMap { check.findings(in: $0.body) }.isEmpty, "\(sections.flatMap { check.findings(in: $0.body).map(\.excerpt) })")
    }

    @Test("a template of the team's own keeps its sections; unknown ones start from their prompt; mistakes are refused")
    func customTemplate() throws {
        let template = try PostmortemTemplate(sections: [
            .init(id: "summary", title: "TL;DR", prompt: "One paragraph."),
            .init(id: "customer-comms", title: "Customer communication", prompt: "What did customers hear, and when?"),
        ])
        let (incident, timeline) = try seedIncident()
        let figures = IncidentFigures(incident: incident, timeline: timeline, severity: nil, alerts: 0, pages: 0, now: at("16:00"))
        let sections = PostmortemDraft(incident: incident, timeline: timeline, figures: figures).sections(template)
        #expect(sections.map(\.title) == ["TL;DR", "Customer communication"])
        #expect(sections[1].body == "_What did customers hear, and when?_")
        #expect(throws: IncidentError.self) { try PostmortemTemplate(sections: []) }
        #expect(throws: IncidentError.self) {
            try PostmortemTemplate(sections: [.init(id: "a", title: "A", prompt: ""), .init(id: "a", title: "B", prompt: "")])
        }
    }
}
