import Configuration
import Foundation
import Logging
import MusterCore
import MusterEngine
import MusterHTTP

/// Resolves the configuration: flags, then `MUSTER_*` environment variables, then the YAML file,
/// then defaults. Every scalar setting is one `ConfigSetting`.
public struct ConfigLoader {
    /// Values given as command-line flags; nil means not given.
    public struct Flags: Sendable {
        public var config: String?
        public var host: String?
        public var port: Int?
        public var database: String?
        public var logLevel: String?

        public init(config: String? = nil, host: String? = nil, port: Int? = nil, database: String? = nil, logLevel: String? = nil) {
            self.config = config
            self.host = host
            self.port = port
            self.database = database
            self.logLevel = logLevel
        }

        /// The flags given, by their names.
        var values: [String: String] {
            var values: [String: String] = [:]
            values["--host"] = host
            values["--port"] = port.map(String.init)
            values["--database"] = database
            values["--log-level"] = logLevel
            return values
        }
    }

    public var environment: [String: String]

    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.environment = environment
    }

    /// The configuration, and where each setting came from.
    public struct Resolved: Sendable {
        public var config: MusterConfig
        /// By setting key: `default`, `file PATH`, `environment NAME` or `flag --NAME`.
        public var sources: [String: String]
    }

    public func load(_ flags: Flags) throws -> MusterConfig {
        try resolve(flags).config
    }

    /// Reads every source in order (defaults, file, environment, flags), each over the one
    /// before, through swift-configuration's reader; a key no setting has, in the file or the
    /// environment, is an error.
    public func resolve(_ flags: Flags) throws -> Resolved {
        try ConfigKeys.checkEnvironment(environment)
        var config = MusterConfig()
        var sources: [String: String] = [:]
        let path = flags.config ?? environment["MUSTER_CONFIG"]
        let file = try path.map { try ConfigFile.load(path: $0) }
        var fileValues = file?.scalars ?? [:]
        var environment = environment
        // Secrets kept in files of their own are read first, into the settings they stand for.
        var readFrom: [String: (file: String?, environment: String?)] = [:]
        for setting in ConfigSetting.all where setting.secret {
            if let secretFile = fileValues.removeValue(forKey: setting.key + "_file") {
                guard fileValues[setting.key] == nil else {
                    throw ConfigError(setting.key, "and \(setting.key)_file are both set in '\(path!)'; keep one.")
                }
                fileValues[setting.key] = try Self.secret(from: secretFile, key: setting.key + "_file")
                readFrom[setting.key, default: (nil, nil)].file = secretFile
            }
            if let name = setting.environment, let secretFile = environment[name + "_FILE"] {
                guard environment[name] == nil else { throw ConfigError(name, "and \(name)_FILE are both set; keep one.") }
                environment[name] = try Self.secret(from: secretFile, key: name + "_FILE")
                readFrom[setting.key, default: (nil, nil)].environment = secretFile
            }
        }
        let reporter = AnsweringProvider()
        let reader = ConfigReader(
            providers: Self.providers(flags: flags.values, environment: environment, file: fileValues), accessReporter: reporter)
        for setting in ConfigSetting.all {
            guard let text = reader.string(forKey: ConfigKey(setting.key), isSecret: setting.secret) else { continue }
            let (name, source): (String, String) =
                switch reporter.place(of: setting.key) {
                case 0: (setting.flag ?? setting.key, "flag \(setting.flag ?? setting.key)")
                case 1:
                    (
                        setting.environment ?? setting.key,
                        readFrom[setting.key]?.environment.map { "environment \(setting.environment!)_FILE, read from \($0)" }
                            ?? "environment \(setting.environment ?? setting.key)"
                    )
                default:
                    (setting.key, readFrom[setting.key]?.file.map { "file \(path ?? ""), read from \($0)" } ?? "file \(path ?? "")")
                }
            try setting.apply(text, name, &config)
            sources[setting.key] = source
        }
        // The scheme first, then the alert severity map, which must name its levels.
        if let scheme = try file?.scheme() {
            config.scheme = scheme
            sources["severities"] = "file \(path!)"
        }
        if let preset = environment["MUSTER_SEVERITY_PRESET"] {
            guard let scheme = SeverityScheme.preset(named: preset) else {
                throw ConfigError("MUSTER_SEVERITY_PRESET", "is '\(preset)'; use p1-p4, sev1-sev4 or p0-p3.")
            }
            config.scheme = scheme
            sources["severities"] = "environment MUSTER_SEVERITY_PRESET"
        }
        if let map = try file?.severityMap(scheme: config.scheme) {
            config.alertSeverityMap = map
            sources["ingest.severity_map"] = "file \(path!)"
        }
        if let threshold = config.announceAlertsAt, config.scheme.rank(of: threshold) == nil {
            throw ConfigError(
                "updates.announce_alerts_at",
                "is '\(threshold.prefix(40))', which is not a severity of the scheme in force; use one of \(config.scheme.names.joined(separator: ", ")), or none."
            )
        }
        let unknownLevels = config.postmortemPolicy.required.subtracting(config.scheme.names).sorted()
        if let level = unknownLevels.first {
            throw ConfigError(
                "postmortems.required",
                "names '\(level.prefix(40))', which is not a severity of the scheme in force; use some of \(config.scheme.names.joined(separator: ", ")), or none."
            )
        }
        if let templates = file?.updates?.templates {
            do {
                config.updateTemplates = try UpdateTemplates.check(templates, key: "updates.templates")
            } catch let error as UpdateTemplates.TemplateError {
                throw ConfigError(error.key, "in '\(path!)' \(error.reason)")
            }
            sources["updates.templates"] = "file \(path!)"
        }
        if let lists = try file?.checklistTemplates(path: path!) {
            config.checklistTemplates = lists
            sources["checklists"] = "file \(path!)"
        }
        if let hooks = file?.mitigations?.hooks {
            do {
                config.mitigationHooks = try MitigationHooks(hooks)
            } catch {
                guard case .invalidField(let field, let reason) = error else { throw error }
                throw ConfigError(field, "in '\(path!)' \(reason)")
            }
            sources["mitigations.hooks"] = "file \(path!)"
        }
        if let template = try file?.postmortemTemplate(path: path!) {
            config.postmortemTemplate = template
            sources["postmortems.template"] = "file \(path!)"
        }
        if (config.tlsCertFile == nil) != (config.tlsKeyFile == nil) {
            throw ConfigError("tls", "needs both cert_file and key_file (MUSTER_TLS_CERT_FILE and MUSTER_TLS_KEY_FILE), or neither.")
        }
        return Resolved(config: config, sources: sources)
    }

    /// The sources, most important first: flags, the settings' `MUSTER_*` variables, the file.
    static func providers(flags: [String: String], environment: [String: String], file: [String: String]) -> [any ConfigProvider] {
        func values(_ texts: [String: String]) -> [AbsoluteConfigKey: ConfigValue] {
            var values: [AbsoluteConfigKey: ConfigValue] = [:]
            for (key, text) in texts {
                let secret = ConfigSetting.all.first { $0.key == key }?.secret ?? false
                values[AbsoluteConfigKey(ConfigKey(key))] = ConfigValue(.string(text), isSecret: secret)
            }
            return values
        }
        var flagged: [String: String] = [:]
        for setting in ConfigSetting.all {
            if let flag = setting.flag, let text = flags[flag] { flagged[setting.key] = text }
        }
        // Each setting's key is looked up in the environment under its own variable's name
        // (listen.port as MUSTER_PORT), never under a name derived from the key.
        let names = Dictionary(
            uniqueKeysWithValues: ConfigSetting.all.compactMap { setting in setting.environment.map { (setting.key, $0) } })
        let variables = KeyMappingProvider(upstream: EnvironmentVariablesProvider(environmentVariables: environment)) { key in
            AbsoluteConfigKey([names[key.components.joined(separator: ".")]?.lowercased() ?? "muster_no_such_setting"])
        }
        return [InMemoryProvider(name: "flags", values: values(flagged)), variables, InMemoryProvider(name: "file", values: values(file))]
    }

    /// A secret kept in a file of its own (mounted by an orchestrator, say), without its final newline.
    static func secret(from path: String, key: String) throws -> String {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ConfigError(key, "names '\(path)', which cannot be read.")
        }
        let text = String(decoding: data, as: UTF8.self)
        let trimmed = text.hasSuffix("\r\n") ? String(text.dropLast(2)) : text.hasSuffix("\n") ? String(text.dropLast()) : text
        guard !trimmed.isEmpty else { throw ConfigError(key, "names '\(path)', which is empty.") }
        return trimmed
    }

    /// Comma-separated IP addresses.
    static func addresses(_ text: String, key: String) throws -> [String] {
        let addresses = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        for address in addresses where !IPAddressText.isValid(address) {
            throw ConfigError(key, "must list IP addresses, such as 10.0.0.5, 10.0.0.6; '\(address)' is not one.")
        }
        return addresses
    }

    static func flag(_ text: String, key: String) throws -> Bool {
        guard let value = ["true": true, "false": false, "1": true, "0": false, "yes": true, "no": false][text.lowercased()] else {
            throw ConfigError(key, "must be true or false; got '\(text)'.")
        }
        return value
    }

    static func bytes(_ text: String, key: String, range: ClosedRange<Int>) throws -> Int {
        guard let value = Int(text), range.contains(value) else {
            throw ConfigError(key, "must be between \(range.lowerBound) and \(range.upperBound).")
        }
        return value
    }

    static func smtp(_ text: String, key: String) throws -> String {
        guard SMTPSettings.parse(text) != nil else {
            throw ConfigError(key, "must look like smtp://user:password@mail.example.com:587?from=muster@example.com&starttls=required.")
        }
        return text
    }

    static func signingKey(_ text: String, key: String) throws -> String {
        guard text.utf8.count >= 32 else { throw ConfigError(key, "must be at least 32 characters long.") }
        return text
    }

    static func metricsToken(_ text: String, key: String) throws -> String {
        guard text.utf8.count >= 16, !text.contains(where: { $0.isWhitespace }) else {
            throw ConfigError(key, "must be at least 16 characters, without spaces.")
        }
        return text
    }

    static func url(_ text: String, key: String) throws -> String {
        guard let url = URL(string: text), ["http", "https"].contains(url.scheme ?? ""), url.host != nil else {
            throw ConfigError(key, "must be an http:// or https:// URL; got '\(text)'.")
        }
        return text
    }

    /// A share written as a percentage, such as `33%`, from 1 % to 200 %.
    static func share(_ text: String, key: String) throws -> Double {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard trimmed.hasSuffix("%"), let percent = Double(trimmed.dropLast().trimmingCharacters(in: .whitespaces)),
            (1...200).contains(percent)
        else {
            throw ConfigError(key, "must be a percentage of the cadence from 1% to 200%, such as 33%; got '\(text)'.")
        }
        return percent / 100
    }

    static func rate(_ text: String, key: String) throws -> Double {
        guard let rate = Double(text), rate >= 0, rate.isFinite else {
            throw ConfigError(key, "must be a number of events a second, 0 for no limit; got '\(text)'.")
        }
        return rate
    }

    static func connections(_ text: String, key: String) throws -> Int {
        guard let count = Int(text), (0...1_000_000).contains(count) else {
            throw ConfigError(key, "must be a number of connections from 0 (no limit) to 1000000; got '\(text)'.")
        }
        return count
    }

    static func port(_ text: String, key: String) throws -> Int {
        guard let port = Int(text), (0...65_535).contains(port) else {
            throw ConfigError(key, "must be a port number from 0 to 65535; got '\(text)'.")
        }
        return port
    }

    static func logLevel(_ text: String, key: String = "log_level") throws -> Logger.Level {
        guard let level = Logger.Level(rawValue: text.lowercased()) else {
            throw ConfigError(key, "must be one of trace, debug, info, notice, warning, error, critical; got '\(text)'.")
        }
        return level
    }

    static func headTimeout(_ text: String, key: String) throws -> Int {
        let seconds = try duration(text, key: key)
        guard seconds <= 300 else { throw ConfigError(key, "must be at most 5m; got '\(text)'.") }
        return seconds
    }

    static func bodyRate(_ text: String, key: String) throws -> Int {
        guard let rate = Int(text), (0...100_000_000).contains(rate) else {
            throw ConfigError(key, "must be a number of bytes a second, 0 for no minimum; got '\(text)'.")
        }
        return rate
    }

    static func logFormat(_ text: String, key: String) throws -> LogFormat {
        guard let format = LogFormat(rawValue: text.lowercased()) else {
            throw ConfigError(key, "must be text or json; got '\(text)'.")
        }
        return format
    }

    static func duration(_ text: String, key: String, allowZero: Bool = false) throws -> Int {
        guard let seconds = DurationText.parse(text), seconds > 0 || (allowZero && seconds == 0) else {
            throw ConfigError(key, "must be \(DurationText.forms); got '\(text)'.")
        }
        return seconds
    }
}
