private let minute = 60
private let hour = 3_600
private let day = 86_400

extension SeverityScheme {
    /// The default P1–P4 scheme: P1 is a full outage, P4 a minor blemish.
    public static let standard = presetScheme(names: ["P1", "P2", "P3", "P4"])

    /// The same four levels named SEV1–SEV4.
    public static let sev = presetScheme(names: ["SEV1", "SEV2", "SEV3", "SEV4"])

    /// The same four levels named P0–P3, for teams that count from zero.
    public static let zeroBased = presetScheme(names: ["P0", "P1", "P2", "P3"])

    /// A built-in scheme by its config name: `p1-p4`, `sev1-sev4` or `p0-p3`.
    public static func preset(named name: String) -> SeverityScheme? {
        switch name.lowercased() {
        case "p1-p4", "standard", "default": .standard
        case "sev1-sev4", "sev1-4", "sev": .sev
        case "p0-p3": .zeroBased
        default: nil
        }
    }

    // Targets and cadences follow the reference process: acknowledge within 5m/15m/1h/24h,
    // resolve within 1h/4h/24h/1w, internal updates every 15m/30m/1h/end of day.
    private static func presetScheme(names: [String]) -> SeverityScheme {
        let levels = [
            Severity(
                name: names[0], label: "Critical",
                description: "Full outage or data loss: every user or the core of the product is affected.",
                acknowledgeTargetSeconds: 5 * minute, resolveTargetSeconds: hour,
                internalUpdateSeconds: 15 * minute, externalUpdateSeconds: 30 * minute, pageImmediately: true),
            Severity(
                name: names[1], label: "High",
                description: "A major feature is broken for many users, such as payments or sign-in.",
                acknowledgeTargetSeconds: 15 * minute, resolveTargetSeconds: 4 * hour,
                internalUpdateSeconds: 30 * minute, externalUpdateSeconds: hour, pageImmediately: true),
            Severity(
                name: names[2], label: "Medium",
                description: "A feature is degraded for some users; a workaround exists.",
                acknowledgeTargetSeconds: hour, resolveTargetSeconds: day,
                internalUpdateSeconds: hour, externalUpdateSeconds: nil, pageImmediately: false),
            Severity(
                name: names[3], label: "Low",
                description: "A minor or cosmetic problem that touches few users.",
                acknowledgeTargetSeconds: day, resolveTargetSeconds: 7 * day,
                internalUpdateSeconds: day, externalUpdateSeconds: nil, pageImmediately: false),
        ]
        // The preset levels are valid by construction.
        return try! SeverityScheme(levels: levels)
    }
}
