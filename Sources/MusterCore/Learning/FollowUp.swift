import Foundation

/// A reminder about what follows an incident: a post-mortem due or overdue, its follow-up review,
/// an action item due or overdue.
public struct FollowUp: Codable, Sendable, Equatable {
    public enum Kind: String, StrictStringEnum {
        case postmortemDueSoon = "postmortem_due_soon"
        case postmortemOverdue = "postmortem_overdue"
        case followUpReview = "follow_up_review"
        case reviewRequested = "review_requested"
        case actionDueSoon = "action_due_soon"
        case actionOverdue = "action_overdue"
    }

    public var kind: Kind
    /// The person to tell.
    public var recipient: String
    public var subject: String
    public var text: String
    /// Where to act: the post-mortem's or the incident's page, relative to the public URL.
    public var path: String

    public init(kind: Kind, recipient: String, subject: String, text: String, path: String) {
        self.kind = kind
        self.recipient = recipient
        self.subject = subject
        self.text = text
        self.path = path
    }
}

/// When the people after an incident are reminded, and of what. Pure: each rule takes the record
/// and the moment, and returns the reminders due and the record marked so none goes out twice.
public struct FollowUpRules: Sendable {
    /// How long before a due date the owner hears it is coming.
    public var soon: TimeInterval
    /// After how many days of an overdue action item the incident commander hears of it too.
    public var escalateAfterDays: Int

    public init(soon: TimeInterval = 86_400, escalateAfterDays: Int = 3) {
        self.soon = soon
        self.escalateAfterDays = escalateAfterDays
    }

    /// The messages a post-mortem owes now: to each reviewer once when it is sent to review; to
    /// its owner once as its due date nears, once when it passes unpublished, once at the
    /// follow-up review.
    public func reminders(for postmortem: inout Postmortem, at now: Date) -> [FollowUp] {
        var due: [FollowUp] = []
        let path = "/incidents/\(postmortem.incidentReference)/postmortem"
        let name = "\(postmortem.incidentReference) (\(postmortem.title))"
        if postmortem.state == .inReview {
            for reviewer in postmortem.reviewersToTell {
                due.append(
                    FollowUp(
                        kind: .reviewRequested, recipient: reviewer, subject: "Review requested: post-mortem of \(name)",
                        text:
                            "\(postmortem.owner) asks you to review the post-mortem of \(name); it is due at \(RFC3339.format(postmortem.dueAt)).",
                        path: path))
            }
            postmortem.reviewersTold = (postmortem.reviewersTold ?? []) + postmortem.reviewersToTell
        }
        if postmortem.state != .published {
            if now >= postmortem.dueAt, postmortem.remindedOverdue != true {
                postmortem.remindedOverdue = true
                postmortem.remindedDueSoon = true
                due.append(
                    FollowUp(
                        kind: .postmortemOverdue, recipient: postmortem.owner, subject: "Post-mortem overdue: \(name)",
                        text:
                            "The post-mortem of \(name) was due at \(RFC3339.format(postmortem.dueAt)) and is still \(postmortem.state.rawValue).",
                        path: path))
            } else if now >= postmortem.dueAt.addingTimeInterval(-soon), now < postmortem.dueAt, postmortem.remindedDueSoon != true {
                postmortem.remindedDueSoon = true
                due.append(
                    FollowUp(
                        kind: .postmortemDueSoon, recipient: postmortem.owner, subject: "Post-mortem due soon: \(name)",
                        text:
                            "The post-mortem of \(name) is due at \(RFC3339.format(postmortem.dueAt)); it is \(postmortem.state.rawValue).",
                        path: path))
            }
        } else if now >= postmortem.followUpAt, postmortem.remindedFollowUp != true {
            postmortem.remindedFollowUp = true
            due.append(
                FollowUp(
                    kind: .followUpReview, recipient: postmortem.owner, subject: "Follow-up review: \(name)",
                    text: "It is time to review the action items that came out of \(name)'s post-mortem.", path: path))
        }
        return due
    }

    /// The reminders an action item owes now: once as its due date nears; once a day while it is
    /// overdue, to its owner, and from `escalateAfterDays` days late to `commander` too.
    public func reminders(for item: inout ActionItem, commander: String?, at now: Date) -> [FollowUp] {
        guard item.status.isOpen, let dueAt = item.dueAt else { return [] }
        let path = item.incidentReference.map { "/incidents/\($0)" } ?? "/actions"
        if now >= dueAt {
            if let last = item.lastOverdueReminderAt, now.timeIntervalSince(last) < 86_400 { return [] }
            item.lastOverdueReminderAt = now
            item.remindedDueSoon = true
            let days = Int(now.timeIntervalSince(dueAt) / 86_400)
            let text =
                "“\(item.title)” (\(item.priority.rawValue)) was due at \(RFC3339.format(dueAt)) and is still \(item.status.rawValue)."
            var due = [
                FollowUp(kind: .actionOverdue, recipient: item.owner, subject: "Action item overdue: \(item.title)", text: text, path: path)
            ]
            if days >= escalateAfterDays, let commander, commander != item.owner {
                due.append(
                    FollowUp(
                        kind: .actionOverdue, recipient: commander, subject: "Action item \(days) days overdue: \(item.title)",
                        text: text + " It belongs to \(item.owner).", path: path))
            }
            return due
        }
        guard now >= dueAt.addingTimeInterval(-soon), item.remindedDueSoon != true else { return [] }
        item.remindedDueSoon = true
        return [
            FollowUp(
                kind: .actionDueSoon, recipient: item.owner, subject: "Action item due soon: \(item.title)",
                text: "“\(item.title)” (\(item.priority.rawValue)) is due at \(RFC3339.format(dueAt)).", path: path)
        ]
    }
}

extension FollowUpRules {
    /// The next moment a post-mortem may owe a reminder; nil when none is left to send.
    public func nextReminder(for postmortem: Postmortem) -> Date? {
        if postmortem.state == .inReview, !postmortem.reviewersToTell.isEmpty { return postmortem.updatedAt }
        if postmortem.state == .published { return postmortem.remindedFollowUp == true ? nil : postmortem.followUpAt }
        if postmortem.remindedOverdue == true { return nil }
        return postmortem.remindedDueSoon == true ? postmortem.dueAt : postmortem.dueAt.addingTimeInterval(-soon)
    }

    /// The next moment an action item may owe a reminder; nil when none is left to send.
    public func nextReminder(for item: ActionItem) -> Date? {
        guard item.status.isOpen, let dueAt = item.dueAt else { return nil }
        if let last = item.lastOverdueReminderAt { return last.addingTimeInterval(86_400) }
        return item.remindedDueSoon == true ? dueAt : dueAt.addingTimeInterval(-soon)
    }
}
