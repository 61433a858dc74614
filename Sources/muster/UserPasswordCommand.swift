import ArgumentParser
import Foundation
import MusterApp
import MusterCore
import MusterHTTP
import MusterStore

extension UserCommand {
    struct Password: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Set or reset a person's password for the web pages, on the server (it signs them out everywhere).",
            discussion: "On a terminal the password is asked for twice; otherwise it is read from the first line of stdin.")
        @OptionGroup var options: ServerOptions
        @Argument(help: "User id.") var id: String

        func run() async throws {
            let password = try Self.readPassword()
            let hash = try Passwords.hash(password)
            try await withStore(try options.load()) { store in
                try await store.migrate()
                try await store.setPassword(user: id, hash: hash, at: Date())
                try await store.recordAudit(
                    AuditEvent(
                        at: Date(), actor: "server", action: "muster user password", kind: "user", subject: id, before: nil, after: nil))
            }
            print("Password set for \(id); any session of theirs has ended.")
        }

        static func readPassword() throws -> String {
            guard isatty(STDIN_FILENO) != 0 else {
                guard let line = readLine(strippingNewline: true), !line.isEmpty else {
                    throw ValidationError("Give the password on the first line of stdin.")
                }
                return line
            }
            let first = getpass("New password: ").map { String(cString: $0) } ?? ""
            let second = getpass("Again: ").map { String(cString: $0) } ?? ""
            guard first == second else { throw ValidationError("The two passwords differ; nothing was changed.") }
            return first
        }
    }
}
