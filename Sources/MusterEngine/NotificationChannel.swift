import AsyncHTTPClient
import Crypto
import Foundation
import MusterCore
import MusterStore
import NIOCore
import NIOHTTP1

/// Delivers one notification over its contact method.
public protocol NotificationChannel: Sendable {
    func deliver(_ notification: Page, at now: Date) async -> DeliveryResult
}

/// Generic webhooks (signed JSON) and Slack-compatible incoming webhooks (readable text).
public struct WebhookChannel: NotificationChannel {
    let client: HTTPClient
    /// The HMAC key's bytes (the key type itself is not Sendable).
    let signingKey: Data
    /// Where the one-click acknowledge page is, for the text of the message.
    let publicURL: String

    /// How long a receiver has to answer.
    let answerTimeout: Duration

    public init(client: HTTPClient = WebhookChannel.client, signingKey: Data, publicURL: String, answerTimeout: Duration = .seconds(10)) {
        self.client = client
        self.signingKey = signingKey
        self.publicURL = publicURL
        self.answerTimeout = answerTimeout
    }

    var ackLinks: AckLink { AckLink(key: signingKey, publicURL: publicURL) }

    /// How long `client` waits for a receiver to accept a connection.
    static let connectTimeout: Duration = .seconds(5)

    /// The client pages go out on. It follows no redirect: a client that does, as a browser does,
    /// turns the POST into a GET on a 301 or 302, and a receiver's landing page answering that GET
    /// counted as a delivered page that no one got. It does not retry a refused connection until
    /// the deadline either; the sender retries the page itself, with backoff.
    public static let client: HTTPClient = {
        var configuration = HTTPClient.Configuration()
        configuration.redirectConfiguration = .disallow
        configuration.connectionPool.retryConnectionEstablishment = false
        configuration.timeout.connect = .init(connectTimeout)
        return HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
    }()

    public func deliver(_ notification: Page, at now: Date) async -> DeliveryResult {
        if let notice = notification.notice, let subscriber = notification.subscriberID {
            guard !notice.payload.isEmpty else { return .impossible("a \(notice.kind.rawValue) notice is sent by email only") }
            let unsubscribe = SubscriberLinks(key: signingKey, publicURL: publicURL).url(.unsubscribe, for: subscriber)
            return await post(Self.noticeBody(notice, unsubscribe: unsubscribe), to: notification.contact, at: now)
        }
        if let followUp = notification.followUp {
            return await post(
                Self.followUpBody(followUp, contact: notification.contact, publicURL: publicURL), to: notification.contact, at: now)
        }
        if let handoff = notification.handoff {
            return await post(Self.handoffBody(handoff, notification: notification), to: notification.contact, at: now)
        }
        if let broadcast = notification.broadcast {
            return await post(
                Self.broadcastBody(broadcast, notification: notification, publicURL: publicURL), to: notification.contact, at: now)
        }
        let body: Data
        switch notification.contact.kind {
        case .webhook: body = Self.payload(notification, publicURL: publicURL, ack: ackLinks.url(for: notification.id, at: now))
        case .slack: body = Self.slackText(notification, publicURL: publicURL, ack: ackLinks.url(for: notification.id, at: now))
        case .email: return .impossible("email is delivered by the email channel")
        }
        return await post(body, to: notification.contact, at: now)
    }

    private func post(_ body: Data, to contact: ContactMethod, at now: Date) async -> DeliveryResult {
        guard contact.kind != .email else { return .impossible("email is delivered by the email channel") }
        let request = Self.post(body, to: contact.address, signedWith: contact.kind == .webhook ? signingKey : nil, at: now)
        do {
            let response = try await client.execute(request, timeout: .init(answerTimeout))
            _ = try? await response.body.collect(upTo: 64 * 1024)
            return Self.result(of: response)
        } catch {
            return .failed(Self.reason(error, address: contact.address, timeout: answerTimeout))
        }
    }

    /// A post-mortem or action item reminder: signed JSON for a webhook, text for Slack.
    static func followUpBody(_ followUp: FollowUp, contact: ContactMethod, publicURL: String) -> Data {
        let url = publicURL + followUp.path
        if contact.kind == .slack {
            return (try? JSONSerialization.data(withJSONObject: ["text": "🗒️ *\(followUp.subject)*\n\(followUp.text)\n\(url)"])) ?? Data()
        }
        let object: [String: String] = [
            "event": "followup.\(followUp.kind.rawValue)", "recipient": followUp.recipient, "subject": followUp.subject,
            "text": followUp.text,
            "url": url,
        ]
        return (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data()
    }

    /// A notice as Statuspage's webhooks send it: its payload with `meta` (how to unsubscribe) first.
    static func noticeBody(_ notice: StatusNotice, unsubscribe: String) -> Data {
        let meta = #"{"meta":{"unsubscribe":"\#(unsubscribe)","documentation":"https://developer.statuspage.io/#section/Webhooks"},"#
        return Data((meta + notice.payload.dropFirst()).utf8)
    }

    /// Delivered on any 2xx; otherwise what the receiver answered, in words a responder can act on.
    static func result(of response: HTTPClientResponse) -> DeliveryResult {
        let status = "\(response.status.code) \(response.status.reasonPhrase)"
        switch response.status.code {
        case 200..<300:
            return .delivered
        case 300..<400:
            let location = response.headers.first(name: "Location").map { ", a redirect to \($0.prefix(200))" } ?? ""
            return .failed("the receiver answered \(status)\(location); webhooks do not follow redirects, so use that address")
        default:
            return .failed("the receiver answered \(status)")
        }
    }

    private static func words(_ duration: Duration) -> String {
        String(format: "%g second%@", duration.inSeconds, duration.inSeconds == 1 ? "" : "s")
    }

    /// Why a request got no answer, in plain words for the common causes.
    static func reason(_ error: any Error, address: String, timeout: Duration) -> String {
        let url = URL(string: address)
        let host = url?.host ?? address
        let endpoint = url?.port.map { "\(host):\($0)" } ?? host
        if let error = error as? HTTPClientError {
            switch error {
            case .deadlineExceeded, .readTimeout: return "no answer from \(host) within \(words(timeout))"
            case .connectTimeout: return "no connection to \(endpoint) within \(words(connectTimeout))"
            case .remoteConnectionClosed: return "\(endpoint) closed the connection without answering"
            default: break
            }
        }
        let text = String(describing: error)
        if text.contains("Connection refused") { return "\(endpoint) refused the connection" }
        if text.contains("dnsAError") || text.contains("Name or service not known") { return "the host \(host) was not found" }
        return text
    }

    /// Sends a test message so a person can check a contact method works.
    public func sendTest(to contact: ContactMethod, user: String, at now: Date) async -> DeliveryResult {
        let text = "Muster test message for \(user): this \(contact.kind.rawValue) contact method works."
        let object: [String: Any] = contact.kind == .slack ? ["text": text] : ["event": "contact.test", "user": user, "text": text]
        let body = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()
        return await post(body, to: contact, at: now)
    }

    /// A JSON POST of `body` to `url`, signed with `key` when one is given (Slack-compatible
    /// receivers take no signature).
    static func post(_ body: Data, to url: String, signedWith key: Data?, at now: Date) -> HTTPClientRequest {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "User-Agent", value: "Muster")
        if let key {
            let timestamp = String(Int(now.timeIntervalSince1970))
            request.headers.add(name: "X-Muster-Timestamp", value: timestamp)
            request.headers.add(
                name: "X-Muster-Signature", value: "v1=" + signature(body: body, timestamp: timestamp, key: SymmetricKey(data: key)))
        }
        request.body = .bytes(ByteBuffer(bytes: body))
        return request
    }

    /// HMAC-SHA256 over `timestamp.body`, hex; receivers recompute it and reject old timestamps.
    public static func signature(body: Data, timestamp: String, key: SymmetricKey) -> String {
        var message = Data(timestamp.utf8)
        message.append(UInt8(ascii: "."))
        message.append(body)
        return Hex.encode(HMAC<SHA256>.authenticationCode(for: message, using: key))
    }

    /// The page as JSON, keys sorted; built by hand because this runs for every page sent.
    static func payload(_ notification: Page, publicURL: String, ack: String) -> Data {
        let incident = JSONText.object(raw: [
            "id": JSONText.quote(notification.incidentID?.uuidString.lowercased() ?? ""),
            "reference": JSONText.quote(notification.incidentReference),
            "severity": JSONText.quote(notification.severity),
            "title": JSONText.quote(notification.title),
            "apiURL": JSONText.quote("\(publicURL)/api/v1/incidents/\(notification.incidentReference)"),
            "url": JSONText.quote("\(publicURL)/incidents/\(notification.incidentReference)"),
        ])
        let id = JSONText.quote(notification.id.uuidString.lowercased())
        let body: String
        if let reminder = notification.reminder {
            body = JSONText.object(raw: [
                "acknowledgeURL": JSONText.quote(ack),
                "composeURL": JSONText.quote(composeURL(notification, publicURL: publicURL)),
                "event": JSONText.quote("incident.update_reminder"),
                "incident": incident,
                "notification": id,
                "reminder": JSONText.quote(reminder),
                "user": JSONText.quote(notification.user),
            ])
        } else {
            body = JSONText.object(raw: [
                "acknowledgeURL": JSONText.quote(ack),
                "event": JSONText.quote("incident.page"),
                "incident": incident,
                "level": String(notification.level),
                "notification": id,
                "user": JSONText.quote(notification.user),
            ])
        }
        return Data(body.utf8)
    }

    /// A handoff summary: readable text for Slack, the whole summary as JSON for webhooks.
    static func handoffBody(_ handoff: HandoffSummary, notification: Page) -> Data {
        if notification.contact.kind == .slack {
            return (try? JSONSerialization.data(withJSONObject: ["text": "🔁 " + handoff.text])) ?? Data()
        }
        let message = HandoffMessage(
            notification: notification.id.uuidString.lowercased(), user: notification.user, handoff: handoff, text: handoff.text)
        return (try? HandoffMessage.encoder.encode(message)) ?? Data()
    }

    /// A message to a stakeholder group: its text for Slack; for webhooks the message with the
    /// incident it is about, and no acknowledge link, since stakeholders do not respond.
    static func broadcastBody(_ broadcast: Broadcast, notification: Page, publicURL: String) -> Data {
        let url = "\(publicURL)/incidents/\(notification.incidentReference)"
        if notification.contact.kind == .slack {
            return (try? JSONSerialization.data(withJSONObject: ["text": "📣 *\(broadcast.subject)*\n\(broadcast.text)\n\(url)"])) ?? Data()
        }
        let body = JSONText.object(raw: [
            "event": JSONText.quote("incident.\(broadcast.kind.rawValue)"),
            "group": JSONText.quote(broadcast.group),
            "incident": JSONText.object(raw: [
                "id": JSONText.quote(notification.incidentID?.uuidString.lowercased() ?? ""),
                "reference": JSONText.quote(notification.incidentReference),
                "severity": JSONText.quote(notification.severity),
                "title": JSONText.quote(notification.title),
                "url": JSONText.quote(url),
            ]),
            "notification": JSONText.quote(notification.id.uuidString.lowercased()),
            "subject": JSONText.quote(broadcast.subject),
            "text": JSONText.quote(broadcast.text),
        ])
        return Data(body.utf8)
    }

    /// The webhook body of a handoff summary.
    struct HandoffMessage: Encodable {
        var event = "oncall.handoff"
        var notification: String
        var user: String
        var handoff: HandoffSummary
        var text: String

        static let encoder: JSONEncoder = {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            encoder.dateEncodingStrategy = .custom { date, encoder in
                var container = encoder.singleValueContainer()
                try container.encode(RFC3339.format(date))
            }
            return encoder
        }()
    }

    /// Where a reminded person writes the update: the incident page's composer.
    static func composeURL(_ notification: Page, publicURL: String) -> String {
        "\(publicURL)/incidents/\(notification.incidentReference)#composer"
    }

    static func slackText(_ notification: Page, publicURL: String, ack: String) -> Data {
        if let reminder = notification.reminder {
            let text =
                "📣 \(notification.severity) \(notification.incidentReference): \(notification.title)\n\(reminder) Write it: \(composeURL(notification, publicURL: publicURL))"
            return (try? JSONSerialization.data(withJSONObject: ["text": text])) ?? Data()
        }
        let text =
            "🚨 \(notification.severity) \(notification.incidentReference): \(notification.title)\n"
            + "Paging \(notification.user) (escalation level \(notification.level)). Details: \(publicURL)/incidents/\(notification.incidentReference)\nAcknowledge: \(ack)"
        return (try? JSONSerialization.data(withJSONObject: ["text": text])) ?? Data()
    }
}
