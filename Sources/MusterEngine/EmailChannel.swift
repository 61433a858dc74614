import Foundation
import MusterCore
import MusterStore

/// Pages by email over SMTP: a plain-text part and an HTML part, with the acknowledge link.
public struct EmailChannel: NotificationChannel {
    let client: SMTPClient
    let settings: SMTPSettings
    let links: AckLink
    let subscriberLinks: SubscriberLinks
    let publicURL: String

    public init(settings: SMTPSettings, signingKey: Data, publicURL: String) {
        self.settings = settings
        client = SMTPClient(settings: settings)
        links = AckLink(key: signingKey, publicURL: publicURL)
        subscriberLinks = SubscriberLinks(key: signingKey, publicURL: publicURL)
        self.publicURL = publicURL
    }

    public func deliver(_ page: Page, at now: Date) async -> DeliveryResult {
        guard page.contact.kind == .email else { return .impossible("not an email contact") }
        let message =
            page.notice.map { Self.noticeMessage($0, page: page, from: settings.from, links: subscriberLinks, at: now) }
            ?? page.followUp.map {
                Self.plainMessage(
                    subject: $0.subject, text: "\($0.text)\n\n\(publicURL)\($0.path)\n", page: page, from: settings.from, at: now)
            }
            ?? page.handoff.map { Self.handoffMessage($0, page: page, from: settings.from, at: now) }
            ?? page.broadcast.map {
                Self.broadcastMessage(
                    $0, page: page, from: settings.from, details: "\(publicURL)/incidents/\(page.incidentReference)", at: now)
            }
            ?? Self.message(
                page, from: settings.from, ack: links.url(for: page.id, at: now),
                details: "\(publicURL)/incidents/\(page.incidentReference)", at: now)
        do {
            try await client.send(message, to: page.contact.address)
            return .delivered
        } catch {
            return .failed("\(error)")
        }
    }

    /// Sends a test message so a person can check the address works.
    public func sendTest(to contact: ContactMethod, user: String, at now: Date) async -> DeliveryResult {
        let message = [
            "From: Muster <\(settings.from)>", "To: <\(contact.address)>", "Subject: Muster test message",
            "Date: \(Self.rfc5322(now))", "MIME-Version: 1.0", "Content-Type: text/plain; charset=utf-8", "",
            "This is a test message for \(user): Muster can page you at this address.",
        ].joined(separator: "\r\n")
        do {
            try await client.send(message, to: contact.address)
            return .delivered
        } catch {
            return .failed("\(error)")
        }
    }

    /// The whole message, CRLF line ends, headers safe from injection.
    static func message(_ page: Page, from: String, ack: String, details: String, at now: Date) -> String {
        let reminder = page.reminder
        let subject = "[\(page.severity)] \(page.incidentReference): \(reminder == nil ? page.title : "status update due")"
        let why = reminder ?? "You are paged at escalation level \(page.level)."
        let link = reminder == nil ? "Acknowledge: \(ack)" : "Write it: \(details)#composer"
        let text = """
            \(page.incidentReference) (\(page.severity)): \(page.title)

            \(why)
            \(link)
            Details: \(details)
            """
        let escapedTitle = page.title.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;")
        let htmlBody = """
            <p><strong>\(page.incidentReference)</strong> (\(page.severity)): \(escapedTitle)</p>
            <p>\(why)</p>
            <p>\(reminder == nil ? "<a href=\"\(ack)\">Acknowledge</a>" : "<a href=\"\(details)#composer\">Write it</a>") · <a href="\(details)">Details</a></p>
            """
        let boundary = "muster-\(page.id.uuidString.lowercased())"
        let lines =
            headers(page, from: from, subject: subject, at: now) + [
                "Content-Type: multipart/alternative; boundary=\"\(boundary)\"",
                "",
                "--\(boundary)",
                "Content-Type: text/plain; charset=utf-8",
                "Content-Transfer-Encoding: base64",
                "",
                wrap(Data(text.utf8).base64EncodedString()),
                "--\(boundary)",
                "Content-Type: text/html; charset=utf-8",
                "Content-Transfer-Encoding: base64",
                "",
                wrap(Data(htmlBody.utf8).base64EncodedString()),
                "--\(boundary)--",
            ]
        return lines.joined(separator: "\r\n")
    }

    /// A handoff summary as a plain-text email.
    static func handoffMessage(_ handoff: HandoffSummary, page: Page, from: String, at now: Date) -> String {
        let subject = "On-call handoff: you are on call for \(handoff.scheduleName)"
        return
            (headers(page, from: from, subject: subject, at: now) + [
                "Content-Type: text/plain; charset=utf-8",
                "Content-Transfer-Encoding: base64",
                "",
                wrap(Data(handoff.text.utf8).base64EncodedString()),
            ]).joined(separator: "\r\n")
    }

    /// A message to a stakeholder group as a plain-text email, with the link to the incident.
    static func broadcastMessage(_ broadcast: Broadcast, page: Page, from: String, details: String, at now: Date) -> String {
        plainMessage(subject: broadcast.subject, text: "\(broadcast.text)\n\nIncident page: \(details)\n", page: page, from: from, at: now)
    }

    /// A plain-text email.
    static func plainMessage(subject: String, text: String, page: Page, from: String, at now: Date) -> String {
        (headers(page, from: from, subject: subject, at: now) + [
            "Content-Type: text/plain; charset=utf-8",
            "Content-Transfer-Encoding: base64",
            "",
            wrap(Data(text.utf8).base64EncodedString()),
        ]).joined(separator: "\r\n")
    }

    /// A message to a status page subscriber: the notice, then how to leave (or, for the request
    /// to confirm, the link that confirms). Every notice carries one-click unsubscribe headers
    /// (RFC 8058), which mail clients show as an unsubscribe button.
    static func noticeMessage(_ notice: StatusNotice, page: Page, from: String, links: SubscriberLinks, at now: Date) -> String {
        guard let subscriber = page.subscriberID else { return "" }
        let unsubscribe = links.url(.unsubscribe, for: subscriber)
        var headers = headers(page, from: from, subject: notice.subject, at: now)
        let text: String
        if notice.kind == .confirmation {
            text = notice.text + "Confirm: \(links.url(.confirm, for: subscriber))\n"
        } else {
            text = notice.text + "\n--\nYou receive this because you subscribed to \(notice.link).\nUnsubscribe: \(unsubscribe)\n"
            headers += ["List-Unsubscribe: <\(unsubscribe)>", "List-Unsubscribe-Post: List-Unsubscribe=One-Click"]
        }
        return
            (headers + [
                "Content-Type: text/plain; charset=utf-8",
                "Content-Transfer-Encoding: base64",
                "",
                wrap(Data(text.utf8).base64EncodedString()),
            ]).joined(separator: "\r\n")
    }

    /// The headers every message from Muster carries; the subject is encoded so any text is one safe line.
    static func headers(_ page: Page, from: String, subject: String, at now: Date) -> [String] {
        [
            "From: Muster <\(from)>",
            "To: <\(page.contact.address)>",
            "Subject: \(encodeHeader(subject))",
            "Date: \(rfc5322(now))",
            "Message-ID: <\(page.id.uuidString.lowercased())@muster>",
            "MIME-Version: 1.0",
        ]
    }

    /// RFC 2047 encoded word, so any title (newlines included) is one safe header line.
    static func encodeHeader(_ text: String) -> String {
        "=?utf-8?B?\(Data(text.utf8).base64EncodedString())?="
    }

    static func wrap(_ base64: String) -> String {
        stride(from: 0, to: base64.count, by: 76).map { start in
            let from = base64.index(base64.startIndex, offsetBy: start)
            let to = base64.index(from, offsetBy: min(76, base64.count - start))
            return String(base64[from..<to])
        }.joined(separator: "\r\n")
    }

    static func rfc5322(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss '+0000'"
        return formatter.string(from: date)
    }
}
