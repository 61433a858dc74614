import AsyncHTTPClient
import Foundation
import MusterCore
import NIOCore

/// Calls a mitigation hook: the call as signed JSON (as webhooks are), its id as the
/// `Idempotency-Key`, and how the hook answered. It never retries: running a rollback twice is a
/// responder's decision, not a delivery detail.
public struct MitigationHookCaller: Sendable {
    let client: HTTPClient
    /// The HMAC key's bytes.
    let signingKey: Data
    /// How long the hook has to answer.
    let answerTimeout: Duration

    public init(client: HTTPClient = WebhookChannel.client, signingKey: Data, answerTimeout: Duration = .seconds(15)) {
        self.client = client
        self.signingKey = signingKey
        self.answerTimeout = answerTimeout
    }

    /// Posts `call` to `url` and reports the answer; `shown` is the address as responders see it.
    public func call(_ call: MitigationHookCall, to url: String, shown: String, at now: Date) async -> MitigationHookAnswer {
        let body = Self.body(of: call)
        var request = WebhookChannel.post(body, to: url, signedWith: signingKey, at: now)
        request.headers.add(name: "Idempotency-Key", value: call.id.uuidString)
        do {
            let response = try await client.execute(request, timeout: .init(answerTimeout))
            let answer = try? await response.body.collect(upTo: 64 * 1024)
            let code = Int(response.status.code)
            if (300..<400).contains(code) {
                let location = response.headers.first(name: "Location").map { " to \($0.prefix(200))" } ?? ""
                return MitigationHookAnswer(
                    status: code, reason: response.status.reasonPhrase,
                    failure: "it redirected\(location); hooks do not follow redirects, so configure that address", address: shown)
            }
            return MitigationHookAnswer(
                status: code, reason: response.status.reasonPhrase, body: answer.map { String(buffer: $0) }, address: shown)
        } catch {
            return MitigationHookAnswer(
                status: nil, failure: WebhookChannel.reason(error, address: url, timeout: answerTimeout), address: shown)
        }
    }

    /// The call as JSON, keys sorted, times in RFC 3339.
    static func body(of call: MitigationHookCall) -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return (try? encoder.encode(call)) ?? Data()
    }
}
