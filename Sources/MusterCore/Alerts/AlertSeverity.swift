/// How loud a monitoring system says an alert is, in the PagerDuty Events v2 vocabulary.
public enum AlertSeverity: String, StrictStringEnum {
    case critical, error, warning, info

    /// Reads the many spellings senders use (`page`, `high`, `warn`, `P1`…); unknown words are nil.
    public static func lenient(_ text: String) -> AlertSeverity? {
        switch text.lowercased() {
        case "critical", "crit", "page", "emergency", "fatal", "disaster", "p1", "sev1": .critical
        case "error", "err", "high", "major", "p2", "sev2": .error
        case "warning", "warn", "medium", "minor", "average", "p3", "sev3": .warning
        case "info", "information", "informational", "low", "notice", "debug", "none", "p4", "sev4": .info
        default: nil
        }
    }
}

/// Which incident severity an alert of each level opens.
public struct SeverityMapping: Codable, Sendable, Equatable {
    public var levels: [AlertSeverity: String]

    public init(levels: [AlertSeverity: String]) {
        self.levels = levels
    }

    /// critical→1st level, error→2nd, warning→3rd, info→4th (clamped to the scheme's size).
    public static func standard(for scheme: SeverityScheme) -> SeverityMapping {
        let names = scheme.names
        var levels: [AlertSeverity: String] = [:]
        for (index, severity) in AlertSeverity.allCases.enumerated() {
            levels[severity] = names[min(index, names.count - 1)]
        }
        return SeverityMapping(levels: levels)
    }

    /// The incident severity for an alert severity.
    public func severity(for alert: AlertSeverity, in scheme: SeverityScheme) -> String {
        levels[alert] ?? SeverityMapping.standard(for: scheme).levels[alert]!
    }
}
