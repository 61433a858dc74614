/// One severity level: what it means and the response it demands.
public struct Severity: Codable, Sendable, Equatable {
    /// Short name used everywhere, e.g. `P1` or `SEV2`.
    public var name: String
    /// One-word label, e.g. `Critical`.
    public var label: String
    public var description: String
    /// Time from detection to acknowledgement before the target is breached.
    public var acknowledgeTargetSeconds: Int
    /// Time from detection to resolution before the target is breached.
    public var resolveTargetSeconds: Int
    /// How often responders owe an internal update; nil when none is expected.
    public var internalUpdateSeconds: Int?
    /// How often customers are owed a public update; nil when none is expected.
    public var externalUpdateSeconds: Int?
    /// Whether people are paged at once (later levels wait for working hours).
    public var pageImmediately: Bool

    public init(
        name: String, label: String, description: String,
        acknowledgeTargetSeconds: Int, resolveTargetSeconds: Int,
        internalUpdateSeconds: Int?, externalUpdateSeconds: Int?, pageImmediately: Bool
    ) {
        self.name = name
        self.label = label
        self.description = description
        self.acknowledgeTargetSeconds = acknowledgeTargetSeconds
        self.resolveTargetSeconds = resolveTargetSeconds
        self.internalUpdateSeconds = internalUpdateSeconds
        self.externalUpdateSeconds = externalUpdateSeconds
        self.pageImmediately = pageImmediately
    }
}
