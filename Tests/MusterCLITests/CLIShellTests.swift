import Foundation
import MusterHTTP
import MusterTestSupport
import Testing

/// The CLI as scripts and people at a terminal use it: exit statuses, JSON errors, confirmations,
/// `muster api` and shell completion.
@Suite("CLI in the shell", .serialized)
struct CLIShellTests {
    @Test("each kind of failure has its own exit status, and --json reports it as JSON on stderr")
    func exitStatuses() async throws {
        // given a server with a service, and tokens of two roles
        let served = try await ServedMuster.start()
        defer { served.stop() }
        let (server, muster) = (served.server, served.muster)
        #expect(try await muster("service", "create", "web").status == 0)
        // when / then
        #expect(try await muster("service", "list").status == 0)
        #expect(try await muster("incident", "list", "--bogus").status == 2)
        #expect(try await muster("user", "show", "nosuch").status == 3)
        #expect(try await MusterProcess.run(["service", "list", "--url", server.url, "--token", "mst_wrong"]).status == 4)
        #expect(try await muster("service", "create", "web").status == 5)
        #expect(try await MusterProcess.run(["service", "list", "--url", "http://127.0.0.1:1", "--token", "mst_x"]).status == 6)
        let json = try await muster("service", "create", "web", "--json")
        let error = try JSONSerialization.jsonObject(with: Data(json.stderr.utf8)) as? [String: Any]
        #expect(error?["exitStatus"] as? Int == 5)
        #expect((error?["problem"] as? [String: Any])?["status"] as? Int == 409, "\(json.stderr)")
    }

    @Test("destructive commands ask on a terminal; no is no, and --yes does not ask")
    func confirmation() async throws {
        // given a server with two services
        let served = try await ServedMuster.start()
        defer { served.stop() }
        let muster = served.muster
        #expect(try await muster("service", "create", "web").status == 0)
        #expect(try await muster("service", "create", "spare").status == 0)
        // when deleting at a terminal (script gives the command one) and answering n
        let refused = try await terminal("service delete web", answer: "n", environment: muster.environment)
        // then it asked, changed nothing and failed
        #expect(refused.output.contains("Delete service web? [y/N]"), "\(refused.output)")
        #expect(refused.output.contains("Nothing was changed"))
        #expect(refused.status == 1)
        #expect(try await muster("service", "list").stdout.contains("web"))
        // when answering y, it is done; with --yes it does not ask
        let agreed = try await terminal("service delete web", answer: "y", environment: muster.environment)
        #expect(agreed.output.contains("Deleted service web."), "\(agreed.output)")
        let forced = try await terminal("service delete spare --yes", answer: "", environment: muster.environment)
        #expect(!forced.output.contains("[y/N]") && forced.output.contains("Deleted service spare."), "\(forced.output)")
    }

    @Test("muster api calls any endpoint with the configured URL and token; completion scripts are printed")
    func apiAndCompletion() async throws {
        // given
        let served = try await ServedMuster.start()
        defer { served.stop() }
        let muster = served.muster
        // when
        let created = try await muster("api", "POST", "/api/v1/services", "--data", #"{"id":"web","name":"Storefront"}"#)
        let listed = try await muster("api", "GET", "/api/v1/services")
        let missing = try await muster("api", "GET", "/api/v1/services/nosuch")
        let notJSON = try await muster("api", "POST", "/api/v1/services", "--data", "{id:")
        // then
        #expect(created.status == 0 && created.stdout.contains("\"name\" : \"Storefront\""), "\(created.stdout)\(created.stderr)")
        #expect(listed.stdout.contains("\"total\" : 1"))
        #expect(missing.status == 3)
        #expect(notJSON.status == 2 && notJSON.stderr.contains("--data must be JSON"))
        for shell in ["bash", "zsh", "fish"] {
            let script = try await MusterProcess.run(["completion", shell])
            #expect(script.status == 0 && script.stdout.contains("incident"), "\(shell)")
        }
    }

    @Test("muster config check shows each value's source with secrets masked; an unknown variable stops serve")
    func configCheck() async throws {
        // given
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("muster-config-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("muster.yml").path
        try "listen: {host: 0.0.0.0, port: 9000}\npublic_url: http://127.0.0.1:9000\n".write(
            toFile: file, atomically: true, encoding: .utf8)
        // when
        let check = try await MusterProcess.run(
            ["config", "check", "--config", file], environment: ["MUSTER_SIGNING_KEY": "a-signing-key-of-more-than-32-characters-0123"])
        let typo = try await MusterProcess.run(
            ["serve", "--database", folder.appendingPathComponent("x.db").path], environment: ["MUSTER_PROT": "1"])
        // then
        #expect(check.status == 0, "\(check.stderr)")
        #expect(check.stdout.contains("listen.port") && check.stdout.contains("file \(file)"), "\(check.stdout)")
        #expect(check.stdout.contains("environment MUSTER_SIGNING_KEY") && !check.stdout.contains("a-signing-key-of"))
        #expect(check.stdout.contains("•••• (45 characters)"))
        #expect(check.stdout.contains("warning: public_url is http://127.0.0.1:9000, a loopback address"), "\(check.stdout)")
        #expect(typo.status == 2 && typo.stderr.contains("MUSTER_PROT") && typo.stderr.contains("MUSTER_PORT"), "\(typo.stderr)")
    }

    @Test("muster login keeps the URL and token in the user's config file, owner-only; logout forgets them")
    func loginLogout() async throws {
        // given a server and an empty config home
        let database = try await TestBackend.sqlite.makeDatabase()
        defer { Task { await database.remove() } }
        let server = try await ServerProcess(database: database.url)
        defer { _ = server.stop() }
        let token = try await MusterProcess.responderToken(database: database.url)
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("muster-home-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: home) }
        let environment = ["XDG_CONFIG_HOME": home.path]
        let file = home.appendingPathComponent("muster/config.yml").path
        // when a wrong token is tried, then nothing is kept
        let wrong = try await MusterProcess.run(["login", "--url", server.url, "--token", "mst_wrong"], environment: environment)
        #expect(wrong.status == 4 && !FileManager.default.fileExists(atPath: file), "\(wrong.stderr)")
        // when the right one is given, then client commands need neither --url nor --token
        let login = try await MusterProcess.run(["login", "--url", server.url, "--token", token], environment: environment)
        #expect(login.status == 0, "\(login.stderr)")
        let permissions = try FileManager.default.attributesOfItem(atPath: file)[.posixPermissions] as? Int
        #expect(permissions == 0o600)
        #expect(try await MusterProcess.run(["service", "create", "web"], environment: environment).status == 0)
        #expect(try await MusterProcess.run(["service", "list"], environment: environment).stdout.contains("web"))
        #expect(try await MusterProcess.run(["service", "list", "--profile", "prod"], environment: environment).status == 2)
        // when logged out, then the token is gone
        #expect(try await MusterProcess.run(["logout"], environment: environment).status == 0)
        #expect(!FileManager.default.fileExists(atPath: file))
        #expect(try await MusterProcess.run(["service", "list"], environment: environment).status == 2)
    }

    @Test("muster user password sets a person's password on the server, as a bcrypt hash, and refuses a short one")
    func password() async throws {
        // given a person
        let served = try await ServedMuster.start()
        defer { served.stop() }
        #expect(try await served.muster("user", "create", "ann", "--name", "Ann", "--email", "ann@example.com").status == 0)
        // when a password is given on stdin, and then one too short
        let set = try await MusterProcess.run(
            ["user", "password", "ann", "--database", served.database.url], input: "correct horse battery staple\n")
        let short = try await MusterProcess.run(["user", "password", "ann", "--database", served.database.url], input: "short\n")
        let nobody = try await MusterProcess.run(
            ["user", "password", "nobody", "--database", served.database.url], input: "correct horse battery staple\n")
        // then the hash is bcrypt's and checks out; the short one and the unknown person are refused
        #expect(set.status == 0 && set.stdout.contains("Password set for ann"), "\(set.stderr)")
        let store = try await TestBackend.open(served.database.url)
        let hash = try await store.passwordHash(user: "ann")
        try await store.shutdown()
        #expect(hash?.hasPrefix("$2b$12$") == true)
        #expect(hash.map { Passwords.verify("correct horse battery staple", hash: $0) } == true)
        #expect(short.status == 2 && short.stderr.contains("password"), "\(short.stderr)")
        #expect(nobody.status == 3, "\(nobody.stderr)")
    }

    /// Runs `muster <command>` under `script`, which gives it a terminal, typing `answer`.
    private func terminal(_ command: String, answer: String, environment: [String: String]) async throws -> (status: Int32, output: String)
    {
        try await offThePool {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/script")
            process.arguments = ["-qec", "\(MusterProcess.binary.path) \(command)", "/dev/null"]
            process.environment = MusterProcess.inheritedEnvironment.merging(environment) { $1 }
            let input = Pipe()
            let output = Pipe()
            process.standardInput = input
            process.standardOutput = output
            process.standardError = output
            try process.run()
            input.fileHandleForWriting.write(Data("\(answer)\n".utf8))
            let data = output.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            return (process.terminationStatus, String(decoding: data, as: UTF8.self))
        }
    }
}
