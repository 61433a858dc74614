import Foundation
import MusterCore
import Yams

/// Every key the configuration knows, in the file and in the environment: anything else is a
/// typo or a setting of another version, and stops the start rather than being ignored.
enum ConfigKeys {
    /// Dotted keys of the YAML file; `severities.levels` and `ingest.severity_map` hold structures
    /// of their own, checked where they are read.
    static let file: Set<String> = [
        "listen.host", "listen.port", "listen.max_connections_per_client", "listen.max_connections", "listen.trusted_proxies",
        "listen.head_timeout",
        "listen.min_body_rate", "tls.cert_file", "tls.key_file", "database", "database_file", "public_url", "signing_key",
        "signing_key_file", "metrics_token", "metrics_token_file", "smtp_url", "smtp_url_file", "page_rate", "log_level",
        "log_format", "access_log", "incidents.reopen_window", "incidents.max_body_bytes", "severities.preset",
        "severities.levels", "ingest.rate_limit", "ingest.severity_map", "ingest.max_body_bytes", "updates.reminder_grace",
        "updates.templates", "updates.announce_alerts_at", "postmortems.required", "postmortems.due", "postmortems.follow_up",
        "postmortems.blameless_phrases", "postmortems.template", "changes.window", "runbooks.folder", "checklists", "incidents.stability_window",
        "mitigations.hooks",
    ]

    /// The keys of one custom severity level.
    /// The settings of one list in `checklists`, and of one of its sections.
    static let checklist: Set<String> = ["id", "title", "phase", "ranks", "sections"]
    static let checklistSection: Set<String> = ["title", "items"]

    /// The settings of one section in `postmortems.template`.
    static let templateSection: Set<String> = ["id", "title", "prompt"]

    static let level: Set<String> = [
        "name", "label", "description", "acknowledge", "resolve", "internal_update", "external_update", "page",
    ]

    /// `MUSTER_*` variables: the server's settings, and the client's (which the server ignores).
    static let environment: Set<String> = [
        "MUSTER_CONFIG", "MUSTER_ANNOUNCE_ALERTS_AT", "MUSTER_HOST", "MUSTER_PORT", "MUSTER_DATABASE", "MUSTER_DATABASE_FILE",
        "MUSTER_LOG_LEVEL",
        "MUSTER_LOG_FORMAT", "MUSTER_ACCESS_LOG", "MUSTER_REOPEN_WINDOW", "MUSTER_PAGE_RATE", "MUSTER_SMTP_URL",
        "MUSTER_SMTP_URL_FILE", "MUSTER_SIGNING_KEY", "MUSTER_SIGNING_KEY_FILE", "MUSTER_PUBLIC_URL",
        "MUSTER_MAX_CONNECTIONS_PER_CLIENT", "MUSTER_MAX_CONNECTIONS", "MUSTER_TRUSTED_PROXIES", "MUSTER_HEAD_TIMEOUT",
        "MUSTER_MIN_BODY_RATE",
        "MUSTER_INGEST_RATE", "MUSTER_SEVERITY_PRESET", "MUSTER_METRICS_TOKEN", "MUSTER_METRICS_TOKEN_FILE",
        "MUSTER_TLS_CERT_FILE", "MUSTER_TLS_KEY_FILE", "MUSTER_UPDATE_REMINDER_GRACE", "MUSTER_POSTMORTEMS_REQUIRED",
        "MUSTER_POSTMORTEM_DUE", "MUSTER_POSTMORTEM_FOLLOW_UP", "MUSTER_BLAMELESS_PHRASES", "MUSTER_CHANGES_WINDOW", "MUSTER_RUNBOOKS_FOLDER", "MUSTER_STABILITY_WINDOW",
        // The client's: where the server is, with which token, from which profile.
        "MUSTER_URL", "MUSTER_TOKEN", "MUSTER_PROFILE",
    ]

    /// Refuses a `MUSTER_*` variable that is no setting, naming the closest one.
    static func checkEnvironment(_ environment: [String: String]) throws {
        for name in environment.keys.sorted() where name.hasPrefix("MUSTER_") && !Self.environment.contains(name) {
            throw ConfigError(name, "is not a Muster setting\(hint(name, among: Self.environment)); unset it.")
        }
    }

    /// Refuses a key of the file that is no setting, naming the closest one; returns the file's
    /// mapping, parsed.
    @discardableResult
    static func checkFile(_ text: String, path: String) throws -> [String: Any] {
        let document: Any?
        do {
            document = try Yams.load(yaml: text)
        } catch {
            throw ConfigError("config", "file '\(path)' is not valid YAML: \(error)")
        }
        guard let document else { return [:] }
        guard let root = document as? [String: Any] else {
            throw ConfigError("config", "file '\(path)' must hold a mapping of settings, such as 'listen: {port: 8080}'.")
        }
        try check(root, prefix: "", path: path)
        return root
    }

    private static func check(_ mapping: [String: Any], prefix: String, path: String) throws {
        for (name, value) in mapping.sorted(by: { $0.key < $1.key }) {
            let key = prefix + name
            if file.contains(key) {
                if key == "severities.levels", let levels = value as? [[String: Any]] {
                    for (index, level) in levels.enumerated() {
                        for field in level.keys.sorted() where !Self.level.contains(field) {
                            throw ConfigError(
                                "severities.levels[\(index)].\(field)",
                                "in '\(path)' is not a level setting\(hint(field, among: Self.level)).")
                        }
                    }
                }
                if key == "checklists", let lists = value as? [[String: Any]] {
                    for (index, list) in lists.enumerated() {
                        for field in list.keys.sorted() where !Self.checklist.contains(field) {
                            throw ConfigError(
                                "checklists[\(index)].\(field)", "in '\(path)' is not a checklist setting\(hint(field, among: Self.checklist)).")
                        }
                        for (number, section) in ((list["sections"] as? [[String: Any]]) ?? []).enumerated() {
                            for field in section.keys.sorted() where !Self.checklistSection.contains(field) {
                                throw ConfigError(
                                    "checklists[\(index)].sections[\(number)].\(field)",
                                    "in '\(path)' is not a section setting\(hint(field, among: Self.checklistSection)).")
                            }
                        }
                    }
                }
                if key == "postmortems.template", let sections = value as? [[String: Any]] {
                    for (index, section) in sections.enumerated() {
                        for field in section.keys.sorted() where !Self.templateSection.contains(field) {
                            throw ConfigError(
                                "postmortems.template[\(index)].\(field)",
                                "in '\(path)' is not a section setting\(hint(field, among: Self.templateSection)).")
                        }
                    }
                }
                continue
            }
            let isSection = file.contains { $0.hasPrefix(key + ".") }
            if isSection, let nested = value as? [String: Any] {
                try check(nested, prefix: key + ".", path: path)
            } else if isSection {
                throw ConfigError(key, "in '\(path)' must be a mapping of settings, such as '\(key): {…}'.")
            } else {
                throw ConfigError(key, "in '\(path)' is not a setting\(hint(key, among: file)).")
            }
        }
    }

    private static func hint(_ name: String, among known: Set<String>) -> String {
        ClosestName.suggestion(for: name, among: known.sorted()).map { "; did you mean '\($0)'?" } ?? ""
    }
}
