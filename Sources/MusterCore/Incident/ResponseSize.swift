import Foundation

/// How many people a service's team brings to an incident, as the process names the three
/// modes: one person alone, a small team (two to four), a large team (five or more).
public enum ResponseSize: String, StrictStringEnum, Comparable {
    case solo, small, large

    public static func < (lhs: ResponseSize, rhs: ResponseSize) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }

    /// The roles a response of this size should fill at severity rank `rank` (1 is the most
    /// severe): alone, one person holds them all as commander; a small team splits command,
    /// technical lead and communications on the two most severe levels; a large team fills all
    /// five there, and three below.
    public func roles(atRank rank: Int?) -> [IncidentRole] {
        let severe = (rank ?? 99) <= 2
        switch self {
        case .solo: return [.commander]
        case .small: return severe ? [.commander, .techLead, .communications] : [.commander]
        case .large:
            return severe ? [.commander, .techLead, .operations, .communications, .scribe] : [.commander, .techLead, .communications]
        }
    }
}

/// The roles an incident's response needs and who holds them.
public struct RoleCoverage: Sendable, Equatable {
    public struct Need: Sendable, Equatable {
        public var role: IncidentRole
        public var holders: [String]
        public var isOpen: Bool { holders.isEmpty }
    }

    public var size: ResponseSize
    public var needs: [Need]

    /// The roles still open, in the order they matter.
    public var open: [IncidentRole] { needs.filter(\.isOpen).map(\.role) }

    /// Whether nobody commands the incident yet: part of triage.
    public var commanderNeeded: Bool { open.contains(.commander) }
}

extension Incident {
    /// The roles a response of `size` needs at this incident's severity rank, and who holds them.
    public func roleCoverage(size: ResponseSize, severityRank: Int?) -> RoleCoverage {
        RoleCoverage(size: size, needs: size.roles(atRank: severityRank).map { RoleCoverage.Need(role: $0, holders: holders(of: $0)) })
    }
}
