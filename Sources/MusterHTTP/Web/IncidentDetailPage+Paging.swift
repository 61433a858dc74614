import Foundation
import MusterCore
import MusterStore

/// Who the incident paged and which stakeholder groups it told, and how each delivery went; the
/// escalation's next step.
extension IncidentDetailPage {
    static func paged(_ page: Page) -> Paged {
        Paged(
            user: page.user, channel: page.contact.kind.rawValue, level: page.level + 1, status: page.status.rawValue,
            delivered: page.status == .sent, failed: page.status == .dead, error: page.lastError, due: .init(page.dueAt))
    }

    static func view(_ escalation: Escalation, now: Date) -> EscalationView {
        let levels = escalation.policy.levels.count
        let next = escalation.dueAt
        let text: String
        switch (next, escalation.resumesAfterAcknowledgement) {
        case (nil, _): text = "ended"
        case (.some, true): text = "paging starts over if still only acknowledged"
        case (.some, false) where escalation.lastWait: text = "runs out if nobody acknowledges"
        case (.some, false): text = "pages level \(escalation.level + 1) of \(levels)"
        }
        return EscalationView(
            policy: escalation.policy.name, level: "\(min(escalation.level + 1, levels)) of \(levels)",
            next: next.map(PageViews.Time.init), text: text)
    }

    /// Alerts by `alertname` (else by summary), the biggest group first.

    /// A message to a stakeholder group, as the page lists it; nil for a page to a person.
    static func told(_ page: Page) -> Told? {
        page.broadcast.map {
            Told(
                group: $0.group, kind: $0.kind.rawValue, channel: page.contact.kind.rawValue, status: page.status.rawValue,
                delivered: page.status == .sent, failed: page.status == .dead, error: page.lastError)
        }
    }
}
