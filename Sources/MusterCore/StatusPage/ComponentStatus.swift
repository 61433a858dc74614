/// A component's status on the public page, with Statuspage's names.
public enum ComponentStatus: String, StrictStringEnum {
    case operational
    case degradedPerformance = "degraded_performance"
    case partialOutage = "partial_outage"
    case majorOutage = "major_outage"
    case underMaintenance = "under_maintenance"

    /// How bad it is for customers, to pick the worst of several: maintenance is planned and
    /// announced, so it ranks below any unplanned trouble.
    public var badness: Int {
        switch self {
        case .operational: 0
        case .underMaintenance: 1
        case .degradedPerformance: 2
        case .partialOutage: 3
        case .majorOutage: 4
        }
    }

    /// The status in words, as the page shows it.
    public var words: String {
        switch self {
        case .operational: "operational"
        case .degradedPerformance: "degraded performance"
        case .partialOutage: "partial outage"
        case .majorOutage: "major outage"
        case .underMaintenance: "under maintenance"
        }
    }
}

/// The page's overall indicator, with Statuspage's names and descriptions.
public enum StatusIndicator: String, StrictStringEnum {
    case none, minor, major, critical

    /// What Statuspage says beside each indicator.
    public var description: String {
        switch self {
        case .none: "All Systems Operational"
        case .minor: "Minor Service Outage"
        case .major: "Partial System Outage"
        case .critical: "Major Service Outage"
        }
    }
}
