import ArgumentParser
import Foundation
import MusterApp
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
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            guard let role = TokenRole(rawValue: role) else {
                throw ValidationError("--role must be one of: \(TokenRole.allowedValues).")
            }
            try await withStore(try options.load()) { store in
                try await store.migrate()
                let (token, secret) = try await store.createToken(name: name, role: role, at: Date())
                if json {
                    printJSON(["id": token.id.uuidString, "name": token.name, "role": token.role.rawValue, "secret": secret])
                } else {
                    print("Created token '\(token.name)' with role \(token.role.rawValue) (id \(token.id.uuidString)).")
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
                        token.revokedAt.map { "revoked " + Display.date($0) } ?? "live",
                    ]
                }
                print(Table(header: ["ID", "NAME", "ROLE", "PREFIX", "CREATED", "LAST USED", "STATE"], rows: rows).render())
            }
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke a token by id or name.")
        @OptionGroup var options: ServerOptions
        @Argument(help: "Token id or name.") var token: String

        func run() async throws {
            try await withStore(try options.load()) { store in
                try await store.migrate()
                let revoked = try await store.revokeToken(token, at: Date())
                print("Revoked token '\(revoked.name)' (id \(revoked.id.uuidString)).")
            }
        }
    }
}
