import Foundation

/// The kinds of mitigation the process names, fastest first, each with when it fits and what it
/// risks: responders pick one when they record an action, and the page shows the notes.
public enum MitigationKind: String, StrictStringEnum {
    case rollback
    case featureFlag = "feature_flag"
    case configChange = "config_change"
    case scale
    case restart
    case rateLimit = "rate_limit"
    case failover
    case hotfix
    case other

    public var label: String {
        switch self {
        case .rollback: "Rollback"
        case .featureFlag: "Feature flag"
        case .configChange: "Configuration change"
        case .scale: "Scale up"
        case .restart: "Restart"
        case .rateLimit: "Rate limit"
        case .failover: "Failover"
        case .hotfix: "Hotfix"
        case .other: "Other"
        }
    }

    /// When it fits, and roughly how long it takes.
    public var fits: String {
        switch self {
        case .rollback: "A recent deploy set it off. Usually the fastest way back (5–10 min)."
        case .featureFlag: "One feature misbehaves and sits behind a flag (1–2 min)."
        case .configChange: "A setting is wrong or too tight, such as a pool size (5–15 min)."
        case .scale: "Load outgrows the capacity; buys time while the cause is found (2–5 min)."
        case .restart: "A process is stuck, leaks memory or holds bad state."
        case .rateLimit: "Traffic, or an attack, overwhelms the service."
        case .failover: "A zone or region is down or degraded."
        case .hotfix: "Nothing faster will do and the fix is small (15–30 min)."
        case .other: "Anything else; say what in the text."
        }
    }

    /// What it may cost.
    public var risk: String {
        switch self {
        case .rollback: "New features go with it; no help if the data is the problem."
        case .featureFlag: "Users lose the feature until it is back."
        case .configChange: "A wrong value can make it worse; change one thing at a time."
        case .scale: "Leaves the cause in place and costs more."
        case .restart: "More errors while it restarts; the cause may come back."
        case .rateLimit: "Legitimate users may be turned away."
        case .failover: "Data may be stale and latency higher."
        case .hotfix: "Untested code under pressure; have a rollback ready."
        case .other: "Say what it risks in the text."
        }
    }
}
