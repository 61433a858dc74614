import Foundation

/// Asks on a terminal before a change that cannot be undone. A script (stdin not a terminal) and
/// `--yes` are not asked.
enum Confirmation {
    static func ask(_ question: String, yes: Bool) throws {
        guard !yes, isatty(STDIN_FILENO) != 0 else { return }
        FileHandle.standardError.write(Data("\(question) [y/N] ".utf8))
        let answer = readLine()?.trimmingCharacters(in: .whitespaces).lowercased()
        guard answer == "y" || answer == "yes" else {
            throw CLIError(description: "Nothing was changed (answer y to go ahead, or pass --yes).")
        }
    }
}

extension ClientOptions {
    /// Asks before a change that cannot be undone, unless `--yes` was given or no one is at a terminal.
    func confirm(_ question: String) throws { try Confirmation.ask(question, yes: yes) }
}
