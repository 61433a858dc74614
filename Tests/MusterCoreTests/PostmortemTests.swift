import Foundation
import Testing

@testable import MusterCore

@Suite("Post-mortems and action items")
struct PostmortemTests {
    let t0 = Fixtures.t0

    func postmortem() throws -> Postmortem {
        let incident = try Fixtures.incident()
        return Postmortem(
            id: UUID(), incident: incident,
            sections: [
                PostmortemSection(id: "summary", title: "Summary", body: "Draft"),
                PostmortemSection(id: "impact", title: "Impact", body: ""),
            ],
            owner: "alice", required: true, dueAt: t0 + 172_800, followUpAt: t0 + 14 * 86_400, at: t0)
    }

    @Test("a draft is edited, reviewed and published; open findings need a reason, which is kept")
    func lifecycle() throws {
        var postmortem = try postmortem()
        try postmortem.edit(section: "summary", body: "Checkout failed for 47 minutes.", note: nil, by: "alice", at: t0 + 60)
        #expect(throws: IncidentError.self) { try postmortem.edit(section: "nowhere", body: "x", note: nil, by: "alice", at: t0) }
        try postmortem.submit(reviewers: ["bob"], at: t0 + 120)
        #expect(postmortem.state == .inReview && postmortem.reviewers == ["bob"])
        #expect(throws: IncidentError.self) { try postmortem.publish(findings: 2, override: nil, by: "alice", at: t0 + 180) }
        try postmortem.publish(findings: 2, override: "The quotes are from the chat log, kept as said.", by: "alice", at: t0 + 180)
        #expect(postmortem.state == .published && postmortem.override?.findings == 2 && postmortem.override?.by == "alice")
        #expect(postmortem.revisions.isEmpty && postmortem.markdown().contains("## Summary\n\nCheckout failed for 47 minutes."))
    }

    @Test("once published it is read-only: a correction needs a note and is kept as a revision")
    func corrections() throws {
        var postmortem = try postmortem()
        try postmortem.publish(findings: 0, override: nil, by: "alice", at: t0 + 60)
        #expect(throws: IncidentError.self) {
            try postmortem.edit(section: "impact", body: "50,000 requests", note: nil, by: "bob", at: t0 + 120)
        }
        try postmortem.edit(
            section: "impact", body: "50,000 requests failed.", note: "The count from the load balancer", by: "bob", at: t0 + 120)
        #expect(postmortem.revisions.map(\.note) == ["The count from the load balancer"] && postmortem.revisions[0].before == "")
        #expect(postmortem.markdown().contains("## Corrections"))
    }

    @Test("the Markdown lists the action items under their section, most urgent first, with owner, due date and status")
    func markdownActionItems() throws {
        // given a post-mortem and two items, the less urgent made first
        let postmortem = try postmortem()
        let later = try ActionItem(
            id: UUID(), title: "Document the pool size", owner: "bob", dueAt: nil, priority: .p3, by: "alice", at: t0)
        var urgent = try ActionItem(
            id: UUID(), title: "Alert on pool saturation", owner: "alice", dueAt: t0 + 7 * 86_400, priority: .p1,
            ticketURL: "https://tickets.example/OPS-12", by: "alice", at: t0 + 60)
        urgent.status = .inProgress
        // when it is written as Markdown
        let markdown = postmortem.markdown(actionItems: [later, urgent])
        // then both sit in the Action items section, P1 first
        let listed = String(markdown[try #require(markdown.range(of: "## Action items\n")).upperBound...])
        #expect(listed.contains("- P1 Alert on pool saturation: owner alice, due 2026-11-25, in progress") && listed.contains("ticket https://tickets.example/OPS-12"))
        #expect(try #require(listed.range(of: "P1")).lowerBound < (try #require(listed.range(of: "- P3 Document the pool size: owner bob, open"))).lowerBound)
    }

    @Test("sent to review, each reviewer but the owner is told once; reviewers named later are told then")
    func reviewersTold() throws {
        // given a draft owned by alice
        var postmortem = try postmortem()
        let rules = FollowUpRules()
        #expect(rules.reminders(for: &postmortem, at: t0 + 60).isEmpty)
        // when she sends it to bob and herself for review
        try postmortem.submit(reviewers: ["bob", "alice"], at: t0 + 120)
        // then a message is due at once, for bob alone, and only once
        #expect(rules.nextReminder(for: postmortem) == t0 + 120)
        let told = rules.reminders(for: &postmortem, at: t0 + 121)
        #expect(told.map(\.recipient) == ["bob"] && told.first?.kind == .reviewRequested)
        #expect(told.first?.text.contains("alice asks you to review") == true)
        #expect(rules.reminders(for: &postmortem, at: t0 + 180).isEmpty)
        #expect(rules.nextReminder(for: postmortem) != t0 + 120)
        // and a reviewer added later hears of it then
        postmortem.reviewers.append("carol")
        #expect(rules.reminders(for: &postmortem, at: t0 + 240).map(\.recipient) == ["carol"])
    }

    @Test("the standard policy requires the two most severe levels, due 48 hours after resolution")
    func policy() {
        let policy = PostmortemPolicy.standard(for: .standard)
        #expect(policy.required == ["P1", "P2"])
        #expect(policy.due(severity: "P3", resolvedAt: t0) == t0 + 172_800)
    }

    @Test("an action item is moved through its states; won't do needs a reason; overdue and on time are told apart")
    func actionItems() throws {
        var item = try ActionItem(
            id: UUID(), title: "Add connection lifecycle tests", owner: "alice", dueAt: t0 + 86_400, priority: .p0, by: "bob", at: t0)
        #expect(!item.isOverdue(at: t0 + 86_400) && item.isOverdue(at: t0 + 86_401))
        #expect(throws: IncidentError.self) { try item.move(to: .wontDo, reason: nil, at: t0) }
        try item.move(to: .done, reason: nil, at: t0 + 3_600)
        #expect(item.doneOnTime == true && !item.isOverdue(at: t0 + 999_999))
        #expect(throws: IncidentError.self) {
            try ActionItem(id: UUID(), title: " ", owner: "alice", dueAt: nil, priority: .p1, by: "bob", at: t0)
        }
        #expect(throws: IncidentError.self) {
            try ActionItem(
                id: UUID(), title: "x", owner: "alice", dueAt: nil, priority: .p1, ticketURL: "javascript:alert(1)", by: "bob", at: t0)
        }
        #expect([ActionPriority.p2, .p0, .p1].sorted() == [.p0, .p1, .p2])
    }
}
