import Foundation
import MusterCore

/// Stakeholder groups, and the messages that tell them of incidents.
public protocol CommunicationStore: Sendable {
    func createStakeholderGroup(_ group: StakeholderGroup) async throws -> StakeholderGroup
    func stakeholderGroups() async throws -> [StakeholderGroup]
    func stakeholderGroup(_ id: String) async throws -> StakeholderGroup?
    /// Replaces a group's settings; its id and creation time stay.
    func replaceStakeholderGroup(_ group: StakeholderGroup) async throws -> StakeholderGroup
    func deleteStakeholderGroup(_ id: String) async throws
    /// Queues, for each member of each group concerned, what the incidents changed since
    /// `changedSince` have to tell since they last told it: announcements, internal updates,
    /// severity changes, resolutions. Each incident is claimed, so that several servers tell
    /// each thing once. Returns the number of messages queued (one per group and event).
    func runBroadcasts(scheme: SeverityScheme, announceAlertsAt: String?, changedSince: Date, at now: Date) async throws -> Int
}
