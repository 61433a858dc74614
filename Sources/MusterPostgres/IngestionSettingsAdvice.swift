/// Compares a PostgreSQL server's settings with those README.md recommends for alert storms, so
/// that the server can say at start which are below them. Nothing here changes a setting.
public enum IngestionSettingsAdvice {
    /// A setting, the least value recommended for ingestion (in bytes), and that value as written.
    struct Recommendation: Sendable {
        var name: String
        var bytes: Int64
        var text: String
    }

    static let recommendations = [
        Recommendation(name: "min_wal_size", bytes: 2 << 30, text: "2GB"),
        Recommendation(name: "max_wal_size", bytes: 4 << 30, text: "4GB"),
        Recommendation(name: "shared_buffers", bytes: 1 << 30, text: "1GB"),
    ]

    /// The names `pg_settings` is asked for.
    static var names: [String] { recommendations.map(\.name) }

    /// One sentence naming each setting below its recommendation, or nil when none is.
    /// `settings` maps a name to `pg_settings`' `setting` and `unit` columns.
    public static func advice(for settings: [String: (setting: String, unit: String?)]) -> String? {
        var low: [String] = []
        var wanted: [String] = []
        for recommendation in recommendations {
            guard let found = settings[recommendation.name], let bytes = bytes(found.setting, unit: found.unit),
                bytes < recommendation.bytes
            else { continue }
            low.append("\(recommendation.name) is \(readable(bytes))")
            wanted.append("\(recommendation.name) = \(recommendation.text)")
        }
        guard !low.isEmpty else { return nil }
        return "PostgreSQL's \(low.joined(separator: ", ")): during an alert storm, commits may wait while PostgreSQL "
            + "creates log files, runs checkpoints or writes out pages itself. For heavy ingestion Muster's README recommends "
            + "\(wanted.joined(separator: ", "))."
    }

    /// A `pg_settings` value in bytes: `setting` counts `unit`s (such as `8kB` or `MB`).
    static func bytes(_ setting: String, unit: String?) -> Int64? {
        guard let count = Int64(setting) else { return nil }
        guard let unit, !unit.isEmpty else { return count }
        let digits = unit.prefix { $0.isNumber }
        let multiple = Int64(digits) ?? 1
        let scale: Int64? =
            switch unit.dropFirst(digits.count) {
            case "B": 1
            case "kB": 1 << 10
            case "MB": 1 << 20
            case "GB": 1 << 30
            case "TB": 1 << 40
            default: nil
            }
        guard let scale else { return nil }
        let (product, overflow) = count.multipliedReportingOverflow(by: multiple * scale)
        return overflow ? nil : product
    }

    /// Bytes as PostgreSQL writes sizes: the largest unit that divides them.
    static func readable(_ bytes: Int64) -> String {
        for (unit, scale) in [("TB", Int64(1) << 40), ("GB", 1 << 30), ("MB", 1 << 20), ("kB", 1 << 10)]
        where bytes >= scale && bytes % scale == 0 {
            return "\(bytes / scale)\(unit)"
        }
        return "\(bytes)B"
    }
}
