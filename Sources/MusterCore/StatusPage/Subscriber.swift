import Foundation

/// How a subscriber hears of the status page.
public enum SubscriberKind: String, StrictStringEnum {
    /// Mail, after the address confirmed it wants them.
    case email
    /// Statuspage-shaped JSON posted to a URL, signed.
    case webhook
}

/// Someone who follows the status page: told of incident updates, maintenance and (webhooks)
/// component status changes, for every component or only some.
public struct Subscriber: Codable, Sendable, Equatable {
    public var id: UUID
    public var kind: SubscriberKind
    public var address: String
    /// The components it follows; empty for all.
    public var components: [String]
    public var createdAt: Date
    /// When the address confirmed; nothing is sent before. Webhooks added by a responder need none.
    public var confirmedAt: Date?
    /// Where a self-service subscription came from, for abuse reports.
    public var client: String?

    public static let maxComponents = 100

    public init(
        id: UUID, kind: SubscriberKind, address: String, components: [String], createdAt: Date, confirmedAt: Date? = nil,
        client: String? = nil
    ) throws(IncidentError) {
        let trimmed = address.trimmingCharacters(in: .whitespaces)
        // A subscriber's address is a contact method of the same kind; its rules apply.
        let contact = try ContactMethod(id: id, kind: kind == .email ? .email : .webhook, address: trimmed)
        guard components.count <= Self.maxComponents, Set(components).count == components.count else {
            throw .invalidField(field: "components", reason: "must name each component once, at most \(Self.maxComponents).")
        }
        self.id = id
        self.kind = kind
        self.address = kind == .email ? contact.address.lowercased() : contact.address
        self.components = components
        self.createdAt = createdAt
        self.confirmedAt = confirmedAt
        self.client = client
    }

    /// The contact method its messages go to.
    public var contact: ContactMethod {
        // Checked when it was made.
        try! ContactMethod(id: id, kind: kind == .email ? .email : .webhook, address: address)
    }

    /// Whether a notice about `noticeComponents` (empty: the whole page) reaches it.
    public func follows(_ noticeComponents: [String]) -> Bool {
        components.isEmpty || noticeComponents.isEmpty || noticeComponents.contains(where: components.contains)
    }
}

/// Something subscribers are told: an incident update, a maintenance message, a component's
/// status change, or (to one address) the request to confirm a subscription.
public struct StatusNotice: Codable, Sendable, Equatable {
    public enum Kind: String, StrictStringEnum {
        case incident, maintenance, component, confirmation
    }

    public var kind: Kind
    public var subject: String
    /// The mail's text, without the unsubscribe footer the channel adds.
    public var text: String
    /// The page it is about.
    public var link: String
    /// The Statuspage-shaped JSON a webhook subscriber receives; empty for mail only.
    public var payload: String
    /// The components it concerns; empty for the whole page.
    public var components: [String]

    public init(kind: Kind, subject: String, text: String, link: String, payload: String, components: [String]) {
        self.kind = kind
        self.subject = subject
        self.text = text
        self.link = link
        self.payload = payload
        self.components = components
    }

    /// Webhook subscribers hear of component changes; mail subscribers do not (an incident tells them).
    public func reaches(_ subscriber: Subscriber) -> Bool {
        guard subscriber.confirmedAt != nil, subscriber.follows(components) else { return false }
        return kind != .component || subscriber.kind == .webhook
    }
}

extension Subscriber {
    /// With a webhook's URL cut to its scheme and host, for logs: its path may hold a secret.
    public var masked: Subscriber {
        var copy = self
        copy.address = contact.masked.address
        return copy
    }
}
