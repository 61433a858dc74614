/// How many users an incident touches, the first axis of the severity matrix.
public enum UserImpact: String, StrictStringEnum {
    case all, many, some, few

    /// 0 is the widest impact.
    public var index: Int { Self.allCases.firstIndex(of: self)! }
}

/// What an incident costs the business, the second axis of the severity matrix.
public enum BusinessImpact: String, StrictStringEnum {
    case revenueLoss = "revenue_loss"
    case significant
    case moderate
    case low

    /// 0 is the heaviest impact.
    public var index: Int { Self.allCases.firstIndex(of: self)! }
}
