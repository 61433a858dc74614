/// Where an incident stands in its lifecycle, from the first alert to the closed record.
public enum IncidentStatus: String, StrictStringEnum, Comparable {
    case triggered
    case acknowledged
    case investigating
    case identified
    case monitoring
    case resolved
    case closed

    /// True while responders still have work to do (anything before `resolved`).
    public var isOpen: Bool { self != .resolved && self != .closed }

    /// Position in the usual forward order, used for sorting and comparisons.
    public var order: Int { Self.allCases.firstIndex(of: self)! }

    public static func < (lhs: IncidentStatus, rhs: IncidentStatus) -> Bool { lhs.order < rhs.order }
}
