import ArgumentParser
import Foundation
import NIOHTTP1

struct APICommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "api", abstract: "Call any API endpoint with the configured URL and token, and print its JSON.",
        discussion:
            "Example: muster api GET /api/v1/incidents?status=open, or muster api POST /api/v1/services --data '{\"id\":\"web\",\"name\":\"Web\"}'"
    )
    @OptionGroup var client: ClientOptions
    @Argument(help: "GET, POST, PUT, PATCH or DELETE.") var method: String
    @Argument(help: "The path, from /api/v1/… (a query may follow).") var path: String
    @Option(help: "The JSON request body, or @FILE to read it from a file, or @- from stdin.") var data: String?

    func validate() throws {
        guard ["GET", "POST", "PUT", "PATCH", "DELETE"].contains(method.uppercased()) else {
            throw ValidationError("METHOD must be GET, POST, PUT, PATCH or DELETE; got '\(method)'.")
        }
        guard path.hasPrefix("/") else { throw ValidationError("PATH must start with /, such as /api/v1/incidents.") }
    }

    func run() async throws {
        var body: Data?
        if let data {
            if data == "@-" {
                body = FileHandle.standardInput.readDataToEndOfFile()
            } else if data.hasPrefix("@") {
                guard let contents = FileManager.default.contents(atPath: String(data.dropFirst())) else {
                    throw ValidationError("--data names '\(data.dropFirst())', which cannot be read.")
                }
                body = contents
            } else {
                body = Data(data.utf8)
            }
            guard let body, (try? JSONSerialization.jsonObject(with: body, options: [.fragmentsAllowed])) != nil else {
                throw ValidationError("--data must be JSON.")
            }
        }
        let method = HTTPMethod(rawValue: method.uppercased())
        if method == .DELETE { try client.confirm("\(method.rawValue) \(path)?") }
        let answer = try await client.client().send(method, path, rawBody: body)
        if !answer.isEmpty { printJSON(answer) }
    }
}

struct CompletionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "completion", abstract: "Print a shell completion script.",
        discussion: """
            bash: muster completion bash > /etc/bash_completion.d/muster
            zsh:  muster completion zsh > "${fpath[1]}/_muster"
            fish: muster completion fish > ~/.config/fish/completions/muster.fish
            """)
    @Argument(help: "bash, zsh or fish.") var shell: String

    func run() throws {
        guard let kind = CompletionShell(rawValue: shell) else { throw ValidationError("SHELL must be bash, zsh or fish; got '\(shell)'.") }
        print(MusterCommand.completionScript(for: kind))
    }
}
