import Foundation

/// What an update clock calls for: a reminder when an update falls due, and an escalation when it
/// is missed by the grace.
public struct UpdateReminder: Sendable, Equatable {
    public enum Kind: String, Sendable {
        /// The update is due: the person who writes updates is reminded.
        case due
        /// The update is overdue past the grace: the commander is paged and the escalation moves on.
        case overdue
    }

    public var kind: Kind
    /// `internal` or `external`.
    public var audience: String
    public var dueAt: Date
    /// Who is told.
    public var recipients: [String]
    /// What they are told, in one line.
    public var text: String
}

extension Incident {
    /// The reminders the update clocks call for at `now`, each once per due time: when an update
    /// falls due, the communications lead is reminded (else the commander, else `responders`,
    /// such as those paged); when it is `graceFraction` of its cadence late, the commander (else
    /// the same people) is told it is overdue, and the escalation should page its next level.
    /// Returns them with the timeline entries that record them, and marks them sent.
    public mutating func dueUpdateReminders(
        severity: Severity, graceFraction: Double, responders: [String], at now: Date
    ) -> (reminders: [UpdateReminder], entries: [TimelineDraft]) {
        var record = communication ?? CommunicationRecord()
        var reminders: [UpdateReminder] = []
        let writer = holders(of: .communications).first ?? holders(of: .commander).first
        let commander = holders(of: .commander).first
        for clock in updateClocks(severity: severity, now: now) where clock.late || clock.seconds == 0 {
            let isInternal = clock.audience == "internal"
            let grace = Double(clock.cadenceSeconds) * graceFraction
            let reminded = isInternal ? record.remindedInternalFor : record.remindedExternalFor
            let escalated = isInternal ? record.escalatedInternalFor : record.escalatedExternalFor
            if reminded != clock.dueAt {
                let people = writer.map { [$0] } ?? responders
                reminders.append(
                    UpdateReminder(
                        kind: .due, audience: clock.audience, dueAt: clock.dueAt, recipients: people,
                        text: "The \(clock.audience) update on \(reference) is due now."))
                if isInternal { record.remindedInternalFor = clock.dueAt } else { record.remindedExternalFor = clock.dueAt }
            }
            if clock.seconds >= grace, escalated != clock.dueAt {
                let people = commander.map { [$0] } ?? responders
                reminders.append(
                    UpdateReminder(
                        kind: .overdue, audience: clock.audience, dueAt: clock.dueAt, recipients: people,
                        text: "The \(clock.audience) update on \(reference) is overdue by \(Int(clock.seconds / 60)) min."))
                if isInternal { record.escalatedInternalFor = clock.dueAt } else { record.escalatedExternalFor = clock.dueAt }
            }
        }
        guard !reminders.isEmpty else { return ([], []) }
        communication = record
        updatedAt = now
        let entries = reminders.map { reminder in
            let who = reminder.recipients.isEmpty ? "nobody to tell" : reminder.recipients.joined(separator: ", ")
            let text =
                reminder.kind == .due
                ? "\(reminder.text) Reminded \(who)."
                : "\(reminder.text) Told \(who); the escalation moves to its next level."
            return TimelineDraft(
                kind: .page, at: now, author: "muster", text: text,
                details: ["reminder": reminder.kind.rawValue, "audience": reminder.audience, "dueAt": RFC3339.format(reminder.dueAt)])
        }
        return (reminders, entries)
    }
}
