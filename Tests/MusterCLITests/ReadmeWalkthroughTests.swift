import Foundation
import MusterTestSupport
import Testing

/// README's walkthrough is a reference: every `$ muster` line of it runs here, in order, against
/// a fresh server, and each must succeed (or fail, where README shows it failing).
@Suite("README walkthrough", .serialized)
struct ReadmeWalkthroughTests {
    /// One command of the walkthrough, and whether README shows it failing.
    struct Step: CustomStringConvertible {
        var line: String
        var failsOnPurpose: Bool
        var description: String { line }
    }

    static let readme = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../README.md")

    /// The commands between "## First steps" and the next section that is not the tour.
    static func steps() throws -> (steps: [Step], text: String) {
        let text = try String(contentsOf: readme, encoding: .utf8)
        guard let start = text.range(of: "\n## First steps\n"),
            let end = text.range(of: "\n## The incident process", range: start.upperBound..<text.endIndex)
        else { throw ScratchError("README has no '## First steps' … '## The incident process' walkthrough") }
        let section = text[start.upperBound..<end.lowerBound]
        var steps: [Step] = []
        var inBlock = false
        var pending: String?
        for raw in section.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            if raw.hasPrefix("```") {
                inBlock.toggle()
                continue
            }
            guard inBlock else { continue }
            if var command = pending {
                command += " " + raw.trimmingCharacters(in: .whitespaces)
                pending = command.hasSuffix("\\") ? String(command.dropLast()) : nil
                if pending == nil { steps.append(Step(line: command, failsOnPurpose: false)) }
                continue
            }
            if raw.hasPrefix("$ ") {
                let command = String(raw.dropFirst(2))
                if command.hasSuffix("\\") {
                    pending = String(command.dropLast())
                } else {
                    steps.append(Step(line: command, failsOnPurpose: false))
                }
            } else if raw.hasPrefix("Error:"), !steps.isEmpty {
                steps[steps.count - 1].failsOnPurpose = true
            }
        }
        return (steps, text)
    }

    /// Splits a command line as a shell would for these lines: quotes group, `#` starts a comment.
    static func words(_ line: String) -> [String] {
        var words: [String] = []
        var current = ""
        var quote: Character?
        var inWord = false
        for character in line {
            if let open = quote {
                if character == open { quote = nil } else { current.append(character) }
            } else if character == "\"" || character == "'" {
                quote = character
                inWord = true
            } else if character == " " {
                if inWord {
                    words.append(current)
                    current = ""
                    inWord = false
                }
            } else if character == "#", !inWord {
                break
            } else {
                current.append(character)
                inWord = true
            }
        }
        if inWord { words.append(current) }
        return words
    }

    @Test("every command of README's walkthrough works as written on a fresh database")
    func walkthrough() async throws {
        // given a fresh database, a server on it, and README's commands
        let (steps, text) = try Self.steps()
        #expect(steps.count >= 20, "README's walkthrough has only \(steps.count) commands")
        let database = try await TestBackend.sqlite.makeDatabase()
        defer { Task { await database.remove() } }
        let server = try await ServerProcess(database: database.url)
        defer { _ = server.stop() }
        var environment = ["MUSTER_URL": server.url, "MUSTER_DATABASE": database.url, "TZ": "UTC"]
        let year = Calendar(identifier: .gregorian).dateComponents(in: TimeZone(identifier: "UTC")!, from: Date()).year!
        // README's integration id, as its own output shows it, stands for the one made here.
        let shownIntegration = text.firstMatch(of: /Integration ([0-9A-Fa-f-]{36}) \(/).map { String($0.1) }
        var madeIntegration: String?

        // when each runs in turn
        for step in steps {
            var words = Self.words(step.line)
            guard words.first == "muster" else {
                #expect(words.first == "export", "README runs something other than muster: \(step)")
                continue
            }
            words = words.dropFirst().map { word in
                var word = word.replacingOccurrences(of: "INC-2026-", with: "INC-\(year)-")
                if let shown = shownIntegration, let made = madeIntegration { word = word.replacingOccurrences(of: shown, with: made) }
                return word
            }
            let result = try await MusterProcess.run(words, environment: environment)
            // then it did what README shows
            if step.failsOnPurpose {
                #expect(result.status != 0, "README shows this failing, but it worked: \(step)")
            } else {
                #expect(result.status == 0, "README's '\(step)' failed: \(result.stderr)")
            }
            if let secret = result.stdout.firstMatch(of: /mst_[A-Za-z0-9]+/), words.starts(with: ["token", "create"]) {
                environment["MUSTER_TOKEN"] = String(secret.0)
            }
            if let id = result.stdout.firstMatch(of: /Integration ([0-9A-Fa-f-]{36}) \(/), words.starts(with: ["integration", "create"]) {
                madeIntegration = String(id.1)
            }
            if ProcessInfo.processInfo.environment["MUSTER_SHOW_WALKTHROUGH"] == "1" {
                print("$ muster \(words.joined(separator: " "))\n\(result.stdout)\(result.stderr)")
            }
        }
    }
}
