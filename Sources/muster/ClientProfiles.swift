import ArgumentParser
import Foundation
import Yams

/// The client's own configuration, `~/.config/muster/config.yml` (or under `XDG_CONFIG_HOME`):
/// named profiles of server URL and token, and which one is current. `muster login` writes it,
/// readable by its owner only; flags and `MUSTER_URL`/`MUSTER_TOKEN` win over it.
struct ClientProfiles: Equatable {
    struct Profile: Equatable {
        var url: String
        var token: String
    }

    var current: String?
    var profiles: [String: Profile] = [:]

    static var path: String {
        let environment = ProcessInfo.processInfo.environment
        let base =
            environment["XDG_CONFIG_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? ((environment["HOME"] ?? NSHomeDirectory()) + "/.config")
        return base + "/muster/config.yml"
    }

    /// The file's profiles; none when there is no file. Keys it does not know are errors.
    static func load(from path: String = ClientProfiles.path) throws -> ClientProfiles {
        guard let data = FileManager.default.contents(atPath: path) else { return ClientProfiles() }
        let problem = { (detail: String) in CLIError(description: "\(path): \(detail)", kind: .usage) }
        guard let root = try? Yams.load(yaml: String(decoding: data, as: UTF8.self)) as? [String: Any] else {
            throw problem("must be a YAML mapping with 'current' and 'profiles'.")
        }
        for key in root.keys where !["current", "profiles"].contains(key) {
            throw problem("'\(key)' is not a setting; use current and profiles.")
        }
        var loaded = ClientProfiles(current: root["current"] as? String)
        for (name, value) in (root["profiles"] as? [String: Any]) ?? [:] {
            guard let fields = value as? [String: Any], let url = fields["url"] as? String, let token = fields["token"] as? String else {
                throw problem("profile '\(name)' needs url and token.")
            }
            for key in fields.keys where !["url", "token"].contains(key) {
                throw problem("'profiles.\(name).\(key)' is not a setting; a profile has url and token.")
            }
            loaded.profiles[name] = Profile(url: url, token: token)
        }
        return loaded
    }

    /// Writes the file, readable and writable by its owner only, since it holds tokens.
    func save(to path: String = ClientProfiles.path) throws {
        let folder = (path as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        var lines = ["# Written by muster login; holds API tokens, so only its owner may read it."]
        if let current { lines.append("current: \(Self.quoted(current))") }
        lines.append("profiles:")
        for name in profiles.keys.sorted() {
            let profile = profiles[name]!
            lines += ["  \(Self.quoted(name)):", "    url: \(Self.quoted(profile.url))", "    token: \(Self.quoted(profile.token))"]
        }
        let created = FileManager.default.createFile(
            atPath: path, contents: Data((lines.joined(separator: "\n") + "\n").utf8), attributes: [.posixPermissions: 0o600])
        guard created else { throw CLIError(description: "Could not write \(path).") }
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
    }

    private static func quoted(_ text: String) -> String {
        "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }
}

struct LoginCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "login",
        abstract: "Check a server URL and token and keep them in ~/.config/muster/config.yml for the client commands.")
    @Option(help: "Server URL (default http://127.0.0.1:8080).") var url: String?
    @Option(help: "API token (or MUSTER_TOKEN; asked for on a terminal when neither is given).") var token: String?
    @Option(help: "Profile name, to keep several servers apart.") var profile = "default"

    func run() async throws {
        let base = url ?? "http://127.0.0.1:8080"
        var secret = token ?? ProcessInfo.processInfo.environment["MUSTER_TOKEN"]
        if secret == nil, isatty(STDIN_FILENO) != 0, let typed = getpass("API token: ") { secret = String(cString: typed) }
        guard let secret, !secret.isEmpty else { throw ValidationError("Give the token with --token or MUSTER_TOKEN.") }
        let client = try ClientOptions.make(url: base, token: secret)
        // Any role may read the severity scheme: a token that can is a token that works.
        _ = try await client.send(.GET, "/api/v1/severities")
        var profiles = try ClientProfiles.load()
        profiles.profiles[profile] = .init(url: client.base, token: secret)
        profiles.current = profile
        try profiles.save()
        print("Logged in to \(client.base) as profile '\(profile)' (token \(secret.prefix(10))…); saved in \(ClientProfiles.path).")
    }
}

struct LogoutCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "logout", abstract: "Forget a profile's URL and token (the current one unless named).")
    @Option(help: "Profile name.") var profile: String?

    func run() async throws {
        var profiles = try ClientProfiles.load()
        guard let name = profile ?? profiles.current, profiles.profiles.removeValue(forKey: name) != nil else {
            throw CLIError(
                description: "No profile '\(profile ?? profiles.current ?? "default")' in \(ClientProfiles.path).", kind: .notFound)
        }
        if profiles.current == name { profiles.current = profiles.profiles.keys.sorted().first }
        if profiles.profiles.isEmpty {
            try FileManager.default.removeItem(atPath: ClientProfiles.path)
        } else {
            try profiles.save()
        }
        print("Logged out of profile '\(name)'.")
    }
}
