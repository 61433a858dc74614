import Foundation
import MusterApp
import MusterCore
import Testing

@Suite("Configuration")
struct ConfigLoaderTests {
    func file(_ text: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("muster-\(UUID().uuidString).yml").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test("defaults need no file at all")
    func defaults() throws {
        let config = try ConfigLoader(environment: [:]).load(.init())
        #expect(config.host == "127.0.0.1")
        #expect(config.port == 8080)
        #expect(config.database == "./muster.db")
        #expect(config.scheme == .standard)
        #expect(config.maxBodyBytes == 1 << 20)
        #expect(config.maxIngestBodyBytes == 16 << 20)
        #expect(config.maxConnectionsPerClient == 512)
        #expect(config.maxConnections == nil)
    }

    @Test("all clients' connections together default to what the open-file limit leaves past a reserve")
    func defaultConnectionLimit() {
        #expect(MusterServer.defaultMaxConnections(openFiles: 1 << 20) == (1 << 20) - 256)
        #expect(MusterServer.defaultMaxConnections(openFiles: 1_024) == 768)
        #expect(MusterServer.defaultMaxConnections(openFiles: 200) == 64)
        #expect(MusterServer.defaultMaxConnections(openFiles: 0) == 0)
    }

    @Test("flags beat the environment, which beats the file")
    func precedence() throws {
        let path = try file(
            """
            listen: {host: 0.0.0.0, port: 9000, max_connections: 20000, max_connections_per_client: 100}
            database: /var/lib/muster/file.db
            incidents: {reopen_window: 48h}
            severities: {preset: sev1-sev4}
            ingest:
              rate_limit: 5
              max_body_bytes: 33554432
              severity_map: {critical: SEV1, error: SEV1, warning: SEV2, info: SEV4}
            """)
        let loader = ConfigLoader(environment: [
            "MUSTER_PORT": "9100", "MUSTER_DATABASE": "/env.db", "MUSTER_MAX_CONNECTIONS_PER_CLIENT": "200",
        ])
        let config = try loader.load(.init(config: path, database: "/flag.db"))
        #expect(config.host == "0.0.0.0")
        #expect(config.port == 9100)
        #expect(config.maxConnections == 20_000)
        #expect(config.maxConnectionsPerClient == 200)
        #expect(config.database == "/flag.db")
        #expect(config.reopenWindowSeconds == 48 * 3_600)
        #expect(config.scheme.names == ["SEV1", "SEV2", "SEV3", "SEV4"])
        #expect(config.ingestRatePerSecond == 5)
        #expect(config.maxIngestBodyBytes == 32 << 20)
        #expect(config.alertSeverityMap?.severity(for: .error, in: config.scheme) == "SEV1")
    }

    @Test("custom severity levels from the file")
    func customLevels() throws {
        let path = try file(
            """
            severities:
              levels:
                - {name: HIGH, acknowledge: 5m, resolve: 2h, internal_update: 15m}
                - {name: LOW, acknowledge: 1d, resolve: 1w}
            """)
        let config = try ConfigLoader(environment: [:]).load(.init(config: path))
        #expect(config.scheme.names == ["HIGH", "LOW"])
        #expect(try config.scheme.level(named: "HIGH").resolveTargetSeconds == 7_200)
    }

    @Test(
        "bad values are named",
        arguments: [
            ("listen: {port: 70000}", "listen.port"),
            ("severities: {preset: p9}", "severities.preset"),
            ("severities: {levels: [{name: A, acknowledge: soon, resolve: 1h}]}", "severities.A.acknowledge"),
            ("ingest: {severity_map: {critical: P9}}", "ingest.severity_map.critical"),
            ("ingest: {max_body_bytes: 10}", "ingest.max_body_bytes"),
            ("incidents: {reopen_window: forever}", "incidents.reopen_window"),
            ("log_level: chatty", "log_level"),
            ("updates: {reminder_grace: 0.3}", "updates.reminder_grace"),
            ("updates: {announce_alerts_at: SEV2}", "updates.announce_alerts_at"),
            ("postmortems: {required: [P1, SEV2]}", "postmortems.required"),
            ("postmortems: {due: 48}", "postmortems.due"),
            ("incidents: {stability_window: 15}", "incidents.stability_window"),
            ("mitigations: {hooks: {rolback: 'https://ci.example/rollback'}}", "mitigations.hooks.rolback"),
            ("mitigations: {hooks: {rollback: 'ftp://ci.example/rollback'}}", "mitigations.hooks.rollback"),
            ("mitigations: {hoks: {rollback: 'https://ci.example/rollback'}}", "mitigations.hoks"),
            ("updates: {templates: {internal-resolved: x}}", "updates.templates.internal-resolved"),
            ("updates: {templates: {internal: '{{#open}} never closed'}}", "updates.templates.internal"),
            ("postmortems: {template: [{id: Summary, title: Summary}]}", "postmortems.template"),
            ("postmortems: {template: [{id: summary, title: Summary, promt: x}]}", "postmortems.template[0].promt"),
            ("postmortems: {template: []}", "postmortems.template"),
            ("checklists: [{id: x, title: X, phase: later, sections: [{title: A, items: [b]}]}]", "checklists"),
            ("checklists: [{id: x, title: X, phase: triage, sections: [{title: A, itmes: [b]}]}]", "checklists[0].sections[0].itmes"),
            ("checklists: [{id: x, title: X, phase: triage, severity: P1, sections: [{title: A, items: [b]}]}]", "checklists[0].severity"),
        ])
    func badValues(text: String, key: String) throws {
        let path = try file(text)
        let error = #expect(throws: ConfigError.self) { try ConfigLoader(environment: [:]).load(.init(config: path)) }
        #expect(error?.key == key)
    }

    @Test("a stability window of 0s turns the hold after mitigation off; the reopen window still needs a span")
    func zeroStabilityWindow() throws {
        // given / when
        let config = try ConfigLoader(environment: [:]).load(.init(config: try file("incidents: {stability_window: 0s}\n")))
        // then
        #expect(config.stabilityWindowSeconds == 0)
        #expect(throws: ConfigError.self) { try ConfigLoader(environment: [:]).load(.init(config: try file("incidents: {reopen_window: 0s}\n"))) }
    }

    @Test("mitigation hooks are read by kind; where they go is shown without their tokens")
    func mitigationHooks() throws {
        // given / when
        let config = try ConfigLoader(environment: [:]).load(
            .init(config: try file("mitigations:\n  hooks:\n    rollback: https://ci.example:8443/job/rollback?token=s3cret\n")))
        // then
        #expect(config.mitigationHooks.url(for: .rollback) == "https://ci.example:8443/job/rollback?token=s3cret")
        #expect(config.mitigationHooks.shownAddress(for: .rollback) == "https://ci.example:8443")
        #expect(config.mitigationHooks.kinds == [.rollback])
        #expect(ConfigAdvice.warnings(config).contains { $0.hasPrefix("mitigations.hooks are set but signing_key is not") })
    }

    @Test("a team's post-mortem template replaces the standard sections, in its order")
    func postmortemTemplate() throws {
        // given
        let path = try file(
            """
            postmortems:
              template:
                - {id: summary, title: Summary, prompt: "What happened, briefly."}
                - {id: timeline, title: Timeline}
                - {id: customer-follow-up, title: Customer follow-up, prompt: Who we owe a call.}
            """)
        // when
        let resolved = try ConfigLoader(environment: [:]).resolve(.init(config: path))
        // then
        #expect(resolved.config.postmortemTemplate.sections.map(\.id) == ["summary", "timeline", "customer-follow-up"])
        #expect(resolved.config.postmortemTemplate.sections[2].prompt == "Who we owe a call.")
        #expect(resolved.sources["postmortems.template"] == "file \(path)")
        #expect(try ConfigLoader(environment: [:]).load(.init()).postmortemTemplate == .standard)
    }

    @Test("a team's checklists replace the shipped ones")
    func checklists() throws {
        // given
        let path = try file(
            """
            checklists:
              - id: payments-triage
                title: Payments triage
                phase: triage
                ranks: [1, 2]
                sections:
                  - {title: First, items: [Call the card processor, Check the fraud rules]}
            """)
        // when
        let config = try ConfigLoader(environment: [:]).load(.init(config: path))
        // then
        #expect(config.checklistTemplates.map(\.id) == ["payments-triage"])
        #expect(config.checklistTemplates[0].ranks == [1, 2] && config.checklistTemplates[0].sections[0].items.count == 2)
        #expect(try ConfigLoader(environment: [:]).load(.init()).checklistTemplates == ChecklistTemplate.standard)
    }

    @Test("the SMTP server comes as a URL, checked at start")
    func smtp() throws {
        let good = try ConfigLoader(environment: [
            "MUSTER_SMTP_URL": "smtp://pager:s%40cret@mail.example.com:587?from=muster@example.com&starttls=required"
        ]).load(.init())
        #expect(good.smtpURL != nil)
        #expect(throws: ConfigError.self) { try ConfigLoader(environment: ["MUSTER_SMTP_URL": "smtp://mail.example.com"]).load(.init()) }
        #expect(throws: ConfigError.self) { try ConfigLoader(environment: ["MUSTER_SMTP_URL": "http://x?from=a@b.c"]).load(.init()) }
    }

    @Test("the metrics token comes from the file or the environment, and a short one is refused")
    func metricsToken() throws {
        // given / when
        let fromFile = try ConfigLoader(environment: [:]).load(.init(config: try file("metrics_token: file-token-0123456789\n")))
        let fromEnvironment = try ConfigLoader(environment: [
            "MUSTER_CONFIG": try file("metrics_token: file-token-0123456789\n"), "MUSTER_METRICS_TOKEN": "env-token-0123456789",
        ]).load(.init())
        // then
        #expect(fromFile.metricsToken == "file-token-0123456789")
        #expect(fromEnvironment.metricsToken == "env-token-0123456789")
        #expect(throws: ConfigError("MUSTER_METRICS_TOKEN", "must be at least 16 characters, without spaces.")) {
            try ConfigLoader(environment: ["MUSTER_METRICS_TOKEN": "short"]).load(.init())
        }
    }

    @Test("TLS needs both files; the log format and access log come from the file or the environment")
    func tlsAndLogs() throws {
        // given / when
        let file = try file(
            "tls:\n  cert_file: /etc/muster/cert.pem\n  key_file: /etc/muster/key.pem\nlog_format: json\naccess_log: true\n")
        let loaded = try ConfigLoader(environment: [:]).load(.init(config: file))
        // then
        #expect(loaded.tlsCertFile == "/etc/muster/cert.pem" && loaded.tlsKeyFile == "/etc/muster/key.pem")
        #expect(loaded.urlScheme == "https")
        #expect(loaded.logFormat == .json && loaded.accessLog)
        #expect(throws: ConfigError.self) { try ConfigLoader(environment: ["MUSTER_TLS_CERT_FILE": "/x.pem"]).load(.init()) }
        #expect(throws: ConfigError.self) { try ConfigLoader(environment: ["MUSTER_LOG_FORMAT": "xml"]).load(.init()) }
        #expect(try ConfigLoader(environment: ["MUSTER_ACCESS_LOG": "true"]).load(.init()).accessLog)
    }

    @Test("an unknown key in the file or the environment stops the start, naming the closest known one")
    func unknownKeys() throws {
        // given / when / then
        let typo = #expect(throws: ConfigError.self) {
            try ConfigLoader(environment: [:]).load(.init(config: try file("listen: {prot: 9000}\n")))
        }
        #expect(typo?.key == "listen.prot" && typo?.reason.contains("did you mean 'listen.port'") == true, "\(String(describing: typo))")
        let section = #expect(throws: ConfigError.self) {
            try ConfigLoader(environment: [:]).load(.init(config: try file("lsiten: {port: 9000}\n")))
        }
        #expect(section?.key == "lsiten")
        let level = #expect(throws: ConfigError.self) {
            try ConfigLoader(environment: [:]).load(
                .init(config: try file("severities: {levels: [{name: A, acknowledge: 5m, resolve: 1h, pgae: false}]}\n")))
        }
        #expect(level?.reason.contains("did you mean 'page'") == true)
        let variable = #expect(throws: ConfigError.self) { try ConfigLoader(environment: ["MUSTER_PROT": "9000"]).load(.init()) }
        #expect(variable?.key == "MUSTER_PROT" && variable?.reason.contains("MUSTER_PORT") == true)
        #expect(try ConfigLoader(environment: ["MUSTER_URL": "http://x", "PATH": "/bin"]).load(.init()).port == 8080)
    }

    @Test("secrets may come from files; one setting from two places is refused")
    func secretFiles() throws {
        // given
        let key = try file("a-signing-key-of-more-than-32-characters-0123\n")
        let token = try file("a-metrics-token-0123456789")
        // when
        let config = try ConfigLoader(environment: ["MUSTER_METRICS_TOKEN_FILE": token]).load(
            .init(config: try file("signing_key_file: \(key)\n")))
        // then: the contents, without the final newline
        #expect(config.signingKey == "a-signing-key-of-more-than-32-characters-0123")
        #expect(config.metricsToken == "a-metrics-token-0123456789")
        #expect(throws: ConfigError.self) {
            try ConfigLoader(environment: [:]).load(.init(config: try file("signing_key: x\nsigning_key_file: \(key)\n")))
        }
        #expect(throws: ConfigError.self) { try ConfigLoader(environment: ["MUSTER_SIGNING_KEY_FILE": "/nonexistent"]).load(.init()) }
    }

    @Test("a bare number is never taken as seconds, and the severity map is checked against the scheme in force")
    func unitsAndScheme() throws {
        let bare = #expect(throws: ConfigError.self) {
            try ConfigLoader(environment: [:]).load(.init(config: try file("incidents: {reopen_window: 3600}\n")))
        }
        #expect(bare?.key == "incidents.reopen_window")
        // The file maps to P1…, but the environment switches the scheme to SEV1…: the map names levels that no longer exist.
        let map = try file("ingest: {severity_map: {critical: P1}}\n")
        let mismatch = #expect(throws: ConfigError.self) {
            try ConfigLoader(environment: ["MUSTER_SEVERITY_PRESET": "sev1-sev4"]).load(.init(config: map))
        }
        #expect(mismatch?.key == "ingest.severity_map.critical")
    }

    @Test("trusted proxies are a list of IP addresses, in the file or the environment")
    func trustedProxies() throws {
        let fromFile = try ConfigLoader(environment: [:]).load(.init(config: try file("listen: {trusted_proxies: [10.0.0.5, \"::1\"]}\n")))
        #expect(fromFile.trustedProxies == ["10.0.0.5", "::1"])
        #expect(try ConfigLoader(environment: ["MUSTER_TRUSTED_PROXIES": "10.0.0.5, 10.0.0.6"]).load(.init()).trustedProxies.count == 2)
        #expect(throws: ConfigError.self) { try ConfigLoader(environment: ["MUSTER_TRUSTED_PROXIES": "proxy.internal"]).load(.init()) }
    }

    @Test("each value's source is known, for muster config check")
    func sources() throws {
        let resolved = try ConfigLoader(environment: ["MUSTER_PORT": "9100"]).resolve(
            .init(config: try file("listen: {host: 0.0.0.0}\n"), database: "/flag.db"))
        #expect(resolved.sources["listen.port"] == "environment MUSTER_PORT")
        #expect(resolved.sources["listen.host"]?.hasPrefix("file ") == true)
        #expect(resolved.sources["database"] == "flag --database")
        #expect(resolved.sources["log_level"] == nil)
        #expect(ConfigAdvice.warnings(resolved.config).first?.contains("public_url is not set") == true)
    }

    @Test("a missing file and a bad port in the environment are reported")
    func missingFile() {
        #expect(throws: ConfigError.self) { try ConfigLoader(environment: [:]).load(.init(config: "/nope/muster.yml")) }
        #expect(throws: ConfigError.self) { try ConfigLoader(environment: ["MUSTER_PORT": "http"]).load(.init()) }
    }

    @Test("status update templates and the reminder grace come from the file or the environment")
    func updates() throws {
        // given a file replacing the internal template and setting the grace
        let path = try file(
            """
            updates:
              reminder_grace: 50%
              templates:
                internal: "{{reference}} is {{phaseLabel}}: {{{text}}}"
            """)
        // when it is read, and again with the grace from the environment
        let config = try ConfigLoader(environment: [:]).load(.init(config: path))
        let fromEnvironment = try ConfigLoader(environment: ["MUSTER_UPDATE_REMINDER_GRACE": "25%"]).load(.init(config: path))
        // then both are in force, the environment's grace first
        #expect(config.updateReminderGrace == 0.5 && fromEnvironment.updateReminderGrace == 0.25)
        #expect(config.updateTemplates["internal"] == "{{reference}} is {{phaseLabel}}: {{{text}}}")
    }

    @Test("incidents opened from alerts are announced from the scheme's second level, a level named, or never")
    func announceAlertsAt() throws {
        // given no setting, a level in the file, and none from the environment
        let path = try file("updates: {announce_alerts_at: P3}")
        // when each is read
        let byDefault = try ConfigLoader(environment: [:]).load(.init())
        let fromFile = try ConfigLoader(environment: [:]).load(.init(config: path))
        let never = try ConfigLoader(environment: ["MUSTER_ANNOUNCE_ALERTS_AT": "none"]).load(.init(config: path))
        let sev = try ConfigLoader(environment: ["MUSTER_SEVERITY_PRESET": "sev1-sev4"]).load(.init())
        // then
        #expect(byDefault.announceAlertsAt == "P2" && fromFile.announceAlertsAt == "P3" && never.announceAlertsAt == nil)
        #expect(sev.announceAlertsAt == "SEV2")
    }

    @Test("post-mortems are required of the two most severe levels by default, due 48 h after resolution; all of it is configurable")
    func postmortems() throws {
        // given no setting, the file's, and the environment over the file
        let path = try file("postmortems: {required: [P1], due: 24h, follow_up: 7d}")
        let byDefault = try ConfigLoader(environment: [:]).load(.init())
        let fromFile = try ConfigLoader(environment: [:]).load(.init(config: path))
        let none = try ConfigLoader(environment: ["MUSTER_POSTMORTEMS_REQUIRED": "none"]).load(.init(config: path))
        // then
        #expect(byDefault.postmortemPolicy.required == ["P1", "P2"] && byDefault.postmortemPolicy.defaultDueSeconds == 172_800)
        #expect(fromFile.postmortemPolicy.required == ["P1"] && fromFile.postmortemPolicy.defaultDueSeconds == 86_400)
        #expect(fromFile.postmortemPolicy.followUpSeconds == 7 * 86_400 && none.postmortemPolicy.required.isEmpty)
        // and the team's own phrases join the blameless check
        let phrases = try ConfigLoader(environment: ["MUSTER_BLAMELESS_PHRASES": "Cowboy deploy, rockstar"]).load(.init())
        #expect(BlamelessCheck(rules: phrases.blamelessRules).findings(in: "A cowboy deploy again.").map(\.rule) == ["team"])
        #expect(byDefault.blamelessRules == BlamelessCheck.standardRules)
    }
}
