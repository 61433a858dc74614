import ArgumentParser
import AsyncHTTPClient
import Foundation
import MusterHTTP
import NIOCore
import NIOHTTP1
import NIOSSL

/// Flags for the commands that talk to a running server.
struct ClientOptions: ParsableArguments {
    @Option(help: "Server URL (or MUSTER_URL, or the profile's; default http://127.0.0.1:8080).")
    var url: String?

    @Option(help: "API token (or MUSTER_TOKEN, or the profile's).")
    var token: String?

    @Option(help: "Profile of ~/.config/muster/config.yml to use (or MUSTER_PROFILE; default the current one).")
    var profile: String?

    @Flag(help: "Print the server's JSON instead of a table (and errors as JSON on stderr).")
    var json = false

    @Flag(help: "Do not ask before changes that cannot be undone.")
    var yes = false

    @Flag(help: "Print times in UTC rather than the local time zone (TZ).")
    var utc = false

    /// The server and token: flags, then `MUSTER_URL` and `MUSTER_TOKEN`, then the profile.
    func client() throws -> APIClient {
        let environment = ProcessInfo.processInfo.environment
        let profiles = try ClientProfiles.load()
        let named = profile ?? environment["MUSTER_PROFILE"]
        if let named, profiles.profiles[named] == nil {
            throw CLIError(
                description: "No profile '\(named)' in \(ClientProfiles.path); make it with muster login --profile \(named).", kind: .usage)
        }
        let chosen = profiles.profiles[named ?? profiles.current ?? "default"]
        let base = url ?? environment["MUSTER_URL"] ?? chosen?.url ?? "http://127.0.0.1:8080"
        guard let token = token ?? environment["MUSTER_TOKEN"] ?? chosen?.token, !token.isEmpty else {
            throw ValidationError(
                "An API token is needed: run muster login, pass --token or set MUSTER_TOKEN (create one with 'muster token create').")
        }
        return try Self.make(url: base, token: token)
    }

    static func make(url base: String, token: String) throws -> APIClient {
        guard let parsed = URL(string: base), ["http", "https"].contains(parsed.scheme ?? ""), parsed.host != nil else {
            throw ValidationError("--url must be an http:// or https:// URL; got '\(base)'.")
        }
        return APIClient(base: base.hasSuffix("/") ? String(base.dropLast()) : base, token: token)
    }
}

/// Calls the Muster API and turns problem documents into `CLIError`s.
struct APIClient {
    let base: String
    let token: String

    /// Sends a request and returns the response body; throws with the server's explanation on errors.
    func send(_ method: HTTPMethod, _ path: String, body: (any Encodable)? = nil) async throws -> Data {
        try await send(method, path, rawBody: try body.map { try APICoding.encoder.encode($0) })
    }

    /// Sends a request with a JSON body already encoded.
    func send(_ method: HTTPMethod, _ path: String, rawBody body: Data?) async throws -> Data {
        var request = HTTPClientRequest(url: base + path)
        request.method = method
        request.headers.add(name: "Authorization", value: "Bearer \(token)")
        request.headers.add(name: "Accept", value: "application/json")
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: body))
        }
        let response: HTTPClientResponse
        do {
            response = try await Self.http.execute(request, timeout: .seconds(30))
        } catch {
            throw CLIError(description: "Cannot reach Muster at \(base): \(Self.reason(error))", kind: .unreachable)
        }
        let data = Data(buffer: try await response.body.collect(upTo: 32 << 20))
        guard (200..<300).contains(response.status.code) else {
            let kind = CLIError.kind(ofStatus: Int(response.status.code))
            if let problem = try? JSONDecoder().decode(Problem.Document.self, from: data) {
                throw CLIError(description: "\(problem.detail) (HTTP \(problem.status))", kind: kind, problem: problem)
            }
            throw CLIError(description: "The server answered HTTP \(response.status.code).", kind: kind)
        }
        return data
    }

    /// Sends a request and decodes the JSON answer.
    func call<T: Decodable>(_ method: HTTPMethod, _ path: String, body: (any Encodable)? = nil, as type: T.Type) async throws -> (T, Data) {
        let data = try await send(method, path, body: body)
        do {
            return (try APICoding.decoder.decode(T.self, from: data), data)
        } catch {
            throw CLIError(description: "The server's answer could not be read: \(error)")
        }
    }

    /// A list the API answers in its envelope.
    struct Listed<Item: Decodable>: Decodable {
        var items: [Item]
        var total: Int
    }

    /// Reads a list, as many items as one page holds (1,000; the alert commands page themselves);
    /// returns them with the raw answer. A longer list says on stderr how much was left out.
    func list<Item: Decodable>(_ path: String, as type: Item.Type) async throws -> ([Item], Data) {
        let separator = path.contains("?") ? "&" : "?"
        let paged = path.contains("limit=") ? path : "\(path)\(separator)limit=1000"
        let (listed, data) = try await call(.GET, paged, as: Listed<Item>.self)
        if listed.total > listed.items.count, !path.contains("limit=") {
            FileHandle.standardError.write(Data("Showing \(listed.items.count) of \(listed.total).\n".utf8))
        }
        return (listed.items, data)
    }

    /// Percent-encodes one path segment.
    static func segment(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-_."))) ?? text
    }
}

/// Prints JSON data as indented text.
func printJSON(_ data: Data) {
    if let object = try? JSONSerialization.jsonObject(with: data),
        let pretty = try? JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
    {
        print(String(decoding: pretty, as: UTF8.self))
    } else {
        print(String(decoding: data, as: UTF8.self))
    }
}

func printJSON(_ dictionary: [String: String]) {
    printJSON((try? JSONSerialization.data(withJSONObject: dictionary)) ?? Data())
}

extension APIClient {
    /// The CLI's HTTP client. It does not retry a refused connection: the pool's retries until the
    /// 30-s deadline kept `muster incident list` waiting that long to say no server was there.
    /// `MUSTER_CA_FILE` names the certificate authority of a server whose certificate a private
    /// authority signed.
    static let http: HTTPClient = {
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool.retryConnectionEstablishment = false
        configuration.timeout.connect = .seconds(10)
        if let authority = ProcessInfo.processInfo.environment["MUSTER_CA_FILE"], !authority.isEmpty {
            var tls = TLSConfiguration.makeClientConfiguration()
            tls.trustRoots = .file(authority)
            configuration.tlsConfiguration = tls
        }
        return HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
    }()

    /// Why a request never reached the server, in plain words where the cause is a common one.
    static func reason(_ error: any Error) -> String {
        let text = String(describing: error)
        if text.contains("Connection refused") { return "nothing listens there (is muster serve running, and is MUSTER_URL right?)." }
        if let error = error as? HTTPClientError, error == .deadlineExceeded || error == .connectTimeout {
            let limit = error == .connectTimeout ? "no connection within 10 seconds" : "no answer within 30 seconds"
            return "\(limit) (is the address right, and is the server reachable from here?)."
        }
        return text
    }
}
