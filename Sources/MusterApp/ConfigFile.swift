import Foundation
import MusterCore
import Yams

/// The YAML configuration file's structured settings: custom severity levels and the alert
/// severity map. Its scalar settings are read by `scalars(path:)` into `ConfigSetting`s, and
/// `ConfigKeys` refuses keys that are neither.
struct ConfigFile: Decodable {
    struct Level: Decodable {
        var name: String
        var label: String?
        var description: String?
        var acknowledge: String
        var resolve: String
        var internalUpdate: String?
        var externalUpdate: String?
        var page: Bool?

        enum CodingKeys: String, CodingKey {
            case name, label, description, acknowledge, resolve, page
            case internalUpdate = "internal_update"
            case externalUpdate = "external_update"
        }
    }

    struct Severities: Decodable {
        var preset: String?
        var levels: [Level]?
    }

    struct Ingest: Decodable {
        /// e.g. `{critical: P1, error: P2, warning: P3, info: P4}`.
        var severityMap: [String: String]?

        enum CodingKeys: String, CodingKey {
            case severityMap = "severity_map"
        }
    }

    struct Updates: Decodable {
        /// Status update templates by name (`internal`, `external-identified`, …), replacing the shipped ones.
        var templates: [String: String]?
    }

    struct Postmortems: Decodable {
        struct Section: Decodable {
            var id: String
            var title: String
            var prompt: String?
        }
        /// The post-mortem's sections in order, replacing the standard ones.
        var template: [Section]?
    }

    struct Mitigations: Decodable {
        /// The hook each mitigation kind calls, by the kind's name.
        var hooks: [String: String]?
    }

    var ingest: Ingest?
    var severities: Severities?
    var mitigations: Mitigations?
    var updates: Updates?
    var postmortems: Postmortems?
    /// The checklists attached to incidents, replacing the shipped ones.
    var checklists: [Checklist]?

    struct Checklist: Decodable {
        struct Section: Decodable {
            var title: String
            var items: [String]
        }
        var id: String
        var title: String
        var phase: String
        var ranks: [Int]?
        var sections: [Section]
    }
    /// The scalar settings by dotted key, as text (`listen.port` → `8080`).
    var scalars: [String: String] = [:]

    private enum CodingKeys: String, CodingKey {
        case ingest, severities, updates, postmortems, checklists, mitigations
    }

    /// The file's scalar settings by dotted key, from its parsed mapping.
    static func scalars(of root: [String: Any], path: String) throws -> [String: String] {
        var found: [String: String] = [:]
        func walk(_ mapping: [String: Any], _ prefix: String) throws {
            for (name, value) in mapping {
                let key = prefix + name
                guard ConfigKeys.file.contains(key) else {
                    if let nested = value as? [String: Any] { try walk(nested, key + ".") }
                    continue
                }
                guard !["severities.levels", "ingest.severity_map", "severities.preset", "updates.templates", "postmortems.template", "checklists", "mitigations.hooks"].contains(key) else {
                    continue
                }
                switch value {
                case let text as String: found[key] = text
                case let flag as Bool: found[key] = String(flag)
                case let number as Int: found[key] = String(number)
                case let number as Double: found[key] = String(number)
                case let list as [Any] where list.allSatisfy({ $0 is String }):
                    found[key] = list.compactMap { $0 as? String }.joined(separator: ",")
                default: throw ConfigError(key, "in '\(path)' must be a single value.")
                }
            }
        }
        try walk(root, "")
        return found
    }

    static func load(path: String) throws -> ConfigFile {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ConfigError("config", "names '\(path)', which cannot be read.")
        }
        let text = String(decoding: data, as: UTF8.self)
        // Read once: its keys checked and its scalars taken from one parse, its structures decoded.
        let root = try ConfigKeys.checkFile(text, path: path)
        do {
            var file = try YAMLDecoder().decode(ConfigFile.self, from: text)
            file.scalars = try scalars(of: root, path: path)
            return file
        } catch let error as ConfigError {
            throw error
        } catch let error as DecodingError {
            throw ConfigError("config", "file '\(path)' is not valid: \(Self.explain(error))")
        } catch {
            throw ConfigError("config", "file '\(path)' is not valid YAML: \(error)")
        }
    }

    /// The checklists the file describes, or nil when it keeps the shipped ones.
    func checklistTemplates(path: String) throws -> [ChecklistTemplate]? {
        guard let checklists else { return nil }
        do {
            return try checklists.map { list in
                guard let phase = ChecklistTemplate.Phase(rawValue: list.phase) else {
                    throw IncidentError.invalidField(
                        field: "phase", reason: "is '\(list.phase.prefix(30))'; use \(ChecklistTemplate.Phase.allowedValues).")
                }
                return try ChecklistTemplate(
                    id: list.id, title: list.title, phase: phase, ranks: list.ranks ?? [],
                    sections: list.sections.map { ChecklistTemplate.Section(title: $0.title, items: $0.items) })
            }
        } catch let error as IncidentError {
            throw ConfigError("checklists", "in '\(path)': \(error.message)")
        }
    }

    /// The post-mortem template the file describes, or nil when it keeps the standard one.
    func postmortemTemplate(path: String) throws -> PostmortemTemplate? {
        guard let sections = postmortems?.template else { return nil }
        do {
            return try PostmortemTemplate(
                sections: sections.map { PostmortemTemplate.Section(id: $0.id, title: $0.title, prompt: $0.prompt ?? "") })
        } catch {
            throw ConfigError("postmortems.template", "in '\(path)': \(error.message)")
        }
    }

    /// The scheme the file describes, or nil when it says nothing about severities.
    func scheme() throws -> SeverityScheme? {
        guard let severities else { return nil }
        if let levels = severities.levels {
            let parsed = try levels.map { level -> Severity in
                func seconds(_ text: String?, _ key: String) throws -> Int? {
                    guard let text else { return nil }
                    guard let value = DurationText.parse(text), value > 0 else {
                        throw ConfigError("severities.\(level.name).\(key)", "must be \(DurationText.forms); got '\(text)'.")
                    }
                    return value
                }
                return Severity(
                    name: level.name, label: level.label ?? level.name, description: level.description ?? "",
                    acknowledgeTargetSeconds: try seconds(level.acknowledge, "acknowledge")!,
                    resolveTargetSeconds: try seconds(level.resolve, "resolve")!,
                    internalUpdateSeconds: try seconds(level.internalUpdate, "internal_update"),
                    externalUpdateSeconds: try seconds(level.externalUpdate, "external_update"),
                    pageImmediately: level.page ?? true)
            }
            do { return try SeverityScheme(levels: parsed) } catch { throw ConfigError(error.field ?? "severities", error.message) }
        }
        if let preset = severities.preset {
            guard let scheme = SeverityScheme.preset(named: preset) else {
                throw ConfigError("severities.preset", "is '\(preset)'; use p1-p4, sev1-sev4 or p0-p3.")
            }
            return scheme
        }
        return nil
    }

    /// The alert-to-incident severity map, checked against the scheme.
    func severityMap(scheme: SeverityScheme) throws -> SeverityMapping? {
        guard let map = ingest?.severityMap else { return nil }
        var levels: [AlertSeverity: String] = [:]
        for (alert, incident) in map {
            guard let severity = AlertSeverity(rawValue: alert) else {
                throw ConfigError("ingest.severity_map.\(alert)", "is not an alert severity; use critical, error, warning or info.")
            }
            guard let level = try? scheme.level(named: incident) else {
                throw ConfigError(
                    "ingest.severity_map.\(alert)", "names '\(incident)', which is not one of \(scheme.names.joined(separator: ", ")).")
            }
            levels[severity] = level.name
        }
        return SeverityMapping(levels: levels)
    }

    private static func explain(_ error: DecodingError) -> String {
        switch error {
        case .keyNotFound(let key, let context): "'\((context.codingPath + [key]).map(\.stringValue).joined(separator: "."))' is required."
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            "'\(context.codingPath.map(\.stringValue).joined(separator: "."))' has the wrong type."
        @unknown default: "\(error)"
        }
    }
}
