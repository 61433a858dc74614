import ArgumentParser
import Foundation
import MusterApp
import MusterCore
import MusterHTTP
import MusterStore

struct TokenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token", abstract: "Manage API tokens directly in the database.",
        subcommands: [Create.self, List.self, Revoke.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a token; its secret is printed once.")
        @OptionGroup var options: ServerOptions
        @Option(help: "A name that says who or what uses the token.") var name: String
        @Option(help: "admin, responder or viewer.") var role: String = "responder"
        @Option(help: "When the token stops working: a duration from now (90d, 12h) or an RFC 3339 time. Never, without.")
        var expires: String?
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            guard let role = TokenRole(rawValue: role) else {
                throw ValidationError("--role must be one of: \(TokenRole.allowedValues).")
            }
            let now = Date()
            let expiresAt = try expires.map { text -> Date in
                if let seconds = DurationText.parse(text), seconds > 0 { return now.addingTimeInterval(Double(seconds)) }
                if let date = RFC3339.parse(text) { return date }
                throw ValidationError("--expires must be \(DurationText.forms) from now, or an RFC 3339 time; got '\(text)'.")
            }
            try await withStore(try options.load()) { store in
                try await store.migrate()
                let (token, secret) = try await store.createToken(name: name, role: role, expiresAt: expiresAt, at: now)
                try await auditOnServer(store, "muster token create", token: token, before: nil)
                if json {
                    var fields = ["id": token.id.uuidString, "name": token.name, "role": token.role.rawValue, "secret": secret]
                    if let expiresAt = token.expiresAt { fields["expiresAt"] = RFC3339.format(expiresAt) }
                    printJSON(fields)
                } else {
                    let expiry = token.expiresAt.map { ", expiring \(Display.date($0))" } ?? ""
                    print("Created token '\(token.name)' with role \(token.role.rawValue)\(expiry) (id \(token.id.uuidString)).")
                    print("Its secret is shown only now; keep it somewhere safe:")
                    print(secret)
                }
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List tokens (secrets are never shown).")
        @OptionGroup var options: ServerOptions
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            try await withStore(try options.load()) { store in
                try await store.migrate()
                let tokens = try await store.tokens()
                if json {
                    print(String(decoding: try APICoding.encoder.encode(tokens), as: UTF8.self))
                    return
                }
                let rows = tokens.map { token in
                    [
                        token.id.uuidString, token.name, token.role.rawValue, token.prefix + "…",
                        Display.date(token.createdAt), token.lastUsedAt.map(Display.date) ?? "never",
                        Self.state(of: token, at: Date()),
                    ]
                }
                print(Table(header: ["ID", "NAME", "ROLE", "PREFIX", "CREATED", "LAST USED", "STATE"], rows: rows).render())
            }
        }

        static func state(of token: APIToken, at now: Date) -> String {
            if let revoked = token.revokedAt { return "revoked " + Display.date(revoked) }
            guard let expires = token.expiresAt else { return "live" }
            return (expires > now ? "live, expires " : "expired ") + Display.date(expires)
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke a token by id or name.")
        @OptionGroup var options: ServerOptions
        @Argument(help: "Token id or name.") var token: String
        @Flag(help: "Do not ask for confirmation.") var yes = false

        func run() async throws {
            try Confirmation.ask("Revoke token \(token)? Whatever uses it is refused from now on.", yes: yes)
            try await withStore(try options.load()) { store in
                try await store.migrate()
                let before = try await store.tokens().first {
                    $0.id.uuidString == token.uppercased() || $0.name == token && $0.revokedAt == nil
                }
                let revoked = try await store.revokeToken(token, at: Date())
                try await auditOnServer(store, "muster token revoke", token: revoked, before: before)
                print("Revoked token '\(revoked.name)' (id \(revoked.id.uuidString)).")
            }
        }
    }
}

/// Records a token change made on the server, outside the API, in the audit log.
private func auditOnServer(_ store: any Store, _ action: String, token: APIToken, before: APIToken?) async throws {
    func tree(_ token: APIToken?) throws -> JSONTree? { try token.flatMap { JSONTree.parse(try APICoding.encoder.encode($0)) } }
    try await store.recordAudit(
        AuditEvent(
            at: Date(), actor: "server", action: action, kind: "token", subject: token.id.uuidString, before: try tree(before),
            after: try tree(token)))
}
