/// What the incident does to users and the business, as known so far.
public struct Impact: Codable, Sendable, Equatable {
    /// Users affected as a head count, when known.
    public var usersAffectedCount: Int?
    /// Users affected as a share of all users (0–100), when known.
    public var usersAffectedPercent: Double?
    public var userImpact: UserImpact?
    public var businessImpact: BusinessImpact?
    public var customerFacing: Bool
    public var dataLoss: Bool
    public var security: Bool

    public init(
        usersAffectedCount: Int? = nil, usersAffectedPercent: Double? = nil,
        userImpact: UserImpact? = nil, businessImpact: BusinessImpact? = nil,
        customerFacing: Bool = false, dataLoss: Bool = false, security: Bool = false
    ) {
        self.usersAffectedCount = usersAffectedCount
        self.usersAffectedPercent = usersAffectedPercent
        self.userImpact = userImpact
        self.businessImpact = businessImpact
        self.customerFacing = customerFacing
        self.dataLoss = dataLoss
        self.security = security
    }

    enum CodingKeys: String, CodingKey {
        case usersAffectedCount, usersAffectedPercent, userImpact, businessImpact, customerFacing, dataLoss, security
    }

    /// Missing yes/no flags read as no, so clients send only what they know.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        usersAffectedCount = try container.decodeIfPresent(Int.self, forKey: .usersAffectedCount)
        usersAffectedPercent = try container.decodeIfPresent(Double.self, forKey: .usersAffectedPercent)
        userImpact = try container.decodeIfPresent(UserImpact.self, forKey: .userImpact)
        businessImpact = try container.decodeIfPresent(BusinessImpact.self, forKey: .businessImpact)
        customerFacing = try container.decodeIfPresent(Bool.self, forKey: .customerFacing) ?? false
        dataLoss = try container.decodeIfPresent(Bool.self, forKey: .dataLoss) ?? false
        security = try container.decodeIfPresent(Bool.self, forKey: .security) ?? false
    }

    /// Rejects counts below zero and percentages outside 0–100.
    public func validate() throws(IncidentError) {
        if let count = usersAffectedCount, count < 0 {
            throw .invalidField(field: "impact.usersAffectedCount", reason: "must be zero or more.")
        }
        if let percent = usersAffectedPercent, !(0...100).contains(percent) {
            throw .invalidField(field: "impact.usersAffectedPercent", reason: "must be between 0 and 100.")
        }
    }
}

extension Impact {
    /// The impact in a few words, e.g. "many users, revenue loss, customer-facing".
    public var words: String {
        var parts: [String] = []
        if let users = userImpact { parts.append("\(users.rawValue) users") }
        if let business = businessImpact { parts.append(business.rawValue.replacingOccurrences(of: "_", with: " ")) }
        if let count = usersAffectedCount { parts.append("\(count) users affected") }
        if let percent = usersAffectedPercent { parts.append("\(percent.formatted()) % of users") }
        if customerFacing { parts.append("customer-facing") }
        if dataLoss { parts.append("data loss") }
        if security { parts.append("security") }
        return parts.isEmpty ? "not assessed" : parts.joined(separator: ", ")
    }
}
