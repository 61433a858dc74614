import Foundation
import MusterCore

/// People, teams, schedules, escalation policies and handoffs.
public protocol OnCallStore: Sendable {
    /// Stores a new user; the id must be unused.
    func createUser(_ user: User) async throws -> User
    func users() async throws -> [User]
    func user(_ id: String) async throws -> User?
    func addContactMethod(_ method: ContactMethod, to user: String) async throws -> User
    /// Changes a person's name, email or time zone.
    func updateUser(_ id: String, _ edit: UserEdit) async throws -> User
    /// Takes a person off on-call duty: they are paged no more and leave every schedule, policy
    /// and team, all in one transaction; returns them with one line per change. Fails, changing
    /// nothing, when a policy would be left paging nobody.
    func deactivateUser(_ id: String, at now: Date) async throws -> (User, [String])
    /// Lets a deactivated person be named again; what they left is not restored.
    func reactivateUser(_ id: String) async throws -> User
    /// Gives a contact method a new address, to be proven again; the same kind and address twice is refused.
    func changeContactMethod(_ id: UUID, of user: String, address: String) async throws -> User
    /// Removes a contact method.
    func removeContactMethod(_ id: UUID, of user: String) async throws -> User
    /// Marks a contact method as proven to work.
    func verifyContactMethod(_ id: UUID, of user: String, at now: Date) async throws -> User
    /// Stores a new team; every member must be a user.
    func createTeam(_ team: Team) async throws -> Team
    func teams() async throws -> [Team]
    func team(_ id: String) async throws -> Team?
    /// Stores a new schedule; everyone it names must be a user.
    func createSchedule(_ schedule: ScheduleRecord) async throws -> ScheduleRecord
    func schedules() async throws -> [ScheduleRecord]
    func schedule(_ id: String) async throws -> ScheduleRecord?
    /// Changes a schedule's layers or overrides in one transaction.
    func updateSchedule(_ id: String, at now: Date, _ change: @escaping @Sendable (inout Schedule) throws -> Void) async throws
        -> ScheduleRecord
    /// Stores an escalation policy; every target must exist.
    func createEscalationPolicy(_ policy: EscalationPolicy, at now: Date) async throws -> EscalationPolicy
    func escalationPolicies() async throws -> [EscalationPolicy]
    func escalationPolicy(_ id: String) async throws -> EscalationPolicy?
    /// The handoff summary for whoever is on call on a schedule at `date`; nil for an unknown schedule.
    func handoffSummary(schedule id: String, at date: Date) async throws -> HandoffSummary?
    /// Queues a summary to the incoming person for every handoff in `(now - lookback, now]` not
    /// queued before; returns the summaries queued by this call.
    func queueHandoffSummaries(at now: Date, lookback: TimeInterval) async throws -> [HandoffSummary]
    /// The handoffs whose summaries were queued for a schedule, newest first.
    func handoffs(schedule id: String, limit: Int) async throws -> [HandoffRecord]
    /// Renames a schedule or changes the zone it is shown in.
    func editSchedule(_ id: String, name: String?, timeZone: String?, at now: Date) async throws -> ScheduleRecord
    /// Removes a schedule no policy or running escalation names; otherwise a conflict names them.
    func deleteSchedule(_ id: String) async throws
    /// Makes a new calendar feed secret for the schedule, replacing any earlier one; the secret
    /// is returned once and only its digest kept.
    func rotateCalendarFeed(schedule id: String, by author: String, at now: Date) async throws -> (CalendarFeed, String)
    /// The schedule's calendar feed, if it has one.
    func calendarFeed(schedule id: String) async throws -> CalendarFeed?
    /// Removes the schedule's calendar feed: its URL stops working.
    func revokeCalendarFeed(schedule id: String) async throws -> CalendarFeed
    /// The schedule, when `secret` is its live calendar feed secret.
    func schedule(id: String, feedSecret secret: String) async throws -> ScheduleRecord?
    /// Changes who stands in, or when, for one override.
    func changeOverride(_ overrideID: UUID, of schedule: String, user: String?, start: Date?, end: Date?, at now: Date) async throws
        -> ScheduleRecord
    /// Removes one override.
    func removeOverride(_ overrideID: UUID, of schedule: String, at now: Date) async throws -> ScheduleRecord
    /// Replaces a policy's name, levels and repeats as its next version; running escalations keep
    /// the version they started with.
    func replaceEscalationPolicy(_ policy: EscalationPolicy) async throws -> EscalationPolicy
    /// Removes a policy no service uses; otherwise a conflict names them.
    func deleteEscalationPolicy(_ id: String) async throws
    /// Renames a team or replaces its members.
    func updateTeam(_ id: String, name: String?, members: [String]?) async throws -> Team
    /// Removes a team no policy or running escalation names; otherwise a conflict names them.
    func deleteTeam(_ id: String) async throws
}
