import Foundation

extension Escalation {
    /// What one look at a due escalation decided.
    public enum Decision: Equatable, Sendable {
        /// Nobody needs paging any more (acknowledged, worked on, resolved): the escalation ended.
        case stopped
        /// Nothing is due yet.
        case waiting
        /// Page this step's targets.
        case page(Step)
        /// The last level's wait passed and nobody acknowledged.
        case ranOut(TimelineDraft)
    }

    /// Decides what the escalation does for `incident` now, changing both as the process says: an
    /// acknowledgement whose timeout passed lets the incident trigger again and paging start over;
    /// an incident nobody needs paged for ends the escalation; otherwise the due step fires.
    /// Returns the decision, with the timeline entries it wrote on the incident.
    public mutating func decide(for incident: inout Incident, at now: Date) -> (Decision, [TimelineDraft]) {
        var entries: [TimelineDraft] = []
        if incident.status == .acknowledged, resumesAfterAcknowledgement {
            entries += incident.acknowledgementLapsed(at: now)
            restart(at: now)
        }
        let wanted = incident.status == .triggered || (forced && incident.status.isOpen)
        guard wanted else {
            stop()
            return (.stopped, entries)
        }
        guard let step = fire(at: now) else { return (.waiting, entries) }
        guard step.ranOut else { return (.page(step), entries) }
        let rounds = policy.repeats + 1
        let text = "Escalation ran out: nobody acknowledged after \(rounds) round\(rounds == 1 ? "" : "s") of policy \(policy.id)"
        return (.ranOut(TimelineDraft(kind: .page, at: now, author: "muster", text: text, details: ["unpaged": "ran-out"])), entries)
    }
}

extension Escalation.Step {
    /// Who a step pages: each person its targets stand for, once (someone named in person and
    /// through a schedule is paged once, for the target that named them first), with the
    /// timeline entry of each page; and an entry for each target that stood for nobody.
    /// `people` holds the active people each target stands for now.
    public func recipients(
        _ people: [EscalationTarget: [String]], at now: Date
    ) -> (paged: [(user: String, target: EscalationTarget)], entries: [TimelineDraft]) {
        var paged: [(user: String, target: EscalationTarget)] = []
        var seen = Set<String>()
        var entries: [TimelineDraft] = []
        for target in targets {
            let named = people[target] ?? []
            if named.isEmpty {
                entries.append(
                    TimelineDraft(
                        kind: .page, at: now, author: "muster", text: "Level \(level + 1): nobody to page for \(target) (no one on call)",
                        details: ["level": String(level + 1), "target": target.description]))
            }
            for user in named where seen.insert(user).inserted {
                paged.append((user, target))
                let via = target == .user(user) ? "" : " via \(target)"
                entries.append(
                    TimelineDraft(
                        kind: .page, at: now, author: "muster",
                        text: "Paged \(user)\(via) (level \(level + 1)\(round > 0 ? ", repeat \(round)" : ""))",
                        details: ["level": String(level + 1), "user": user, "round": String(round)]))
            }
        }
        return (paged, entries)
    }
}
