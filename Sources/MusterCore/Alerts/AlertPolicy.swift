import Foundation

/// How a service turns alerts into incidents.
public struct AlertPolicy: Codable, Sendable, Equatable {
    /// Labels whose values must be equal for alerts to share an incident (Alertmanager's `group_by`);
    /// empty means every alert of the service groups together.
    public var groupBy: [String]
    /// A new alert joins a matching open incident only if that incident was opened this recently.
    public var groupWindowSeconds: Int
    /// Resolve the incident by itself once all its alerts have resolved.
    public var autoResolve: Bool

    public init(groupBy: [String] = [], groupWindowSeconds: Int = 4 * 3_600, autoResolve: Bool = false) {
        self.groupBy = groupBy
        self.groupWindowSeconds = groupWindowSeconds
        self.autoResolve = autoResolve
    }

    public static let standard = AlertPolicy()

    /// The key alerts must share to group: the chosen labels' values, in a fixed order.
    public func groupKey(for labels: [String: String]) -> String {
        groupBy.sorted().map { "\($0)=\(labels[$0] ?? "")" }.joined(separator: ",")
    }

    /// Whether an incident opened at `openedAt` may still take new alerts at `now`.
    public func withinWindow(openedAt: Date, now: Date) -> Bool {
        now.timeIntervalSince(openedAt) <= Double(groupWindowSeconds)
    }

    public func validate() throws(IncidentError) {
        guard groupBy.count <= 16, groupBy.allSatisfy({ !$0.isEmpty && $0.count <= 128 }) else {
            throw .invalidField(field: "alertPolicy.groupBy", reason: "must list at most 16 label names.")
        }
        guard (60...(30 * 86_400)).contains(groupWindowSeconds) else {
            throw .invalidField(field: "alertPolicy.groupWindowSeconds", reason: "must be between 60 and 2592000 seconds.")
        }
    }
}
