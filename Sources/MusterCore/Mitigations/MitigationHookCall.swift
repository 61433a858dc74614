import Foundation

/// What Muster sends a mitigation hook: the incident, the mitigation asked for and by whom. The
/// `id` is sent as the `Idempotency-Key` too, so a receiver can tell a repeated delivery.
public struct MitigationHookCall: Codable, Sendable, Equatable {
    public struct IncidentPart: Codable, Sendable, Equatable {
        public var reference: String
        public var title: String
        public var severity: String
        public var status: String
        public var services: [String]
        public var url: String
    }

    public var event = "mitigation.requested"
    public var id: UUID
    public var incident: IncidentPart
    public var mitigation: MitigationKind
    public var target: String?
    public var text: String
    public var requestedBy: String
    public var at: Date

    public init(
        id: UUID, incident: Incident, publicURL: String, mitigation: MitigationKind, target: String?, text: String, by author: String,
        at now: Date
    ) {
        self.id = id
        self.incident = IncidentPart(
            reference: incident.reference, title: incident.title, severity: incident.severity, status: incident.status.rawValue,
            services: incident.services, url: "\(publicURL)/incidents/\(incident.reference)")
        self.mitigation = mitigation
        let target = target?.trimmingCharacters(in: .whitespacesAndNewlines)
        self.target = target?.isEmpty == false ? target : nil
        self.text = text
        requestedBy = author
        self.at = now
    }
}

/// How a mitigation hook answered: its HTTP status and the start of its body, or why it could
/// not be reached.
public struct MitigationHookAnswer: Codable, Sendable, Equatable {
    /// The HTTP status, when the hook answered at all.
    public var status: Int?
    /// The status line's words, such as `Accepted`.
    public var reason: String?
    /// The start of the answer's body, control characters removed.
    public var body: String?
    /// Why there is no usable answer: unreachable, timed out, redirected or refused.
    public var failure: String?
    /// Where the call went, scheme, host and port only.
    public var address: String

    public init(status: Int?, reason: String? = nil, body: String? = nil, failure: String? = nil, address: String) {
        self.status = status
        self.reason = reason
        self.body = body.map(Self.excerpt)
        self.failure = failure
        self.address = address
    }

    /// The hook took the request (2xx).
    public var accepted: Bool { failure == nil && (status.map { (200..<300).contains($0) } ?? false) }

    /// At most 500 characters of `text` on one line.
    static func excerpt(_ text: String) -> String {
        let line = String(text.unicodeScalars.map { $0.properties.generalCategory == .control ? " " : Character($0) })
            .split(whereSeparator: \.isWhitespace).joined(separator: " ")
        return line.count > 500 ? String(line.prefix(500)) + "…" : line
    }
}

extension Incident {
    /// The timeline entry that records how the hook of `mitigation` answered.
    public func hookAnswered(_ answer: MitigationHookAnswer, mitigation: MitigationKind, call: UUID, by author: String, at now: Date)
        -> TimelineDraft
    {
        let name = "\(mitigation.label) hook (\(answer.address))"
        let text: String
        if let failure = answer.failure {
            text = "\(name) failed: \(failure)"
        } else {
            let status = [answer.status.map(String.init), answer.reason].compactMap { $0 }.joined(separator: " ")
            let words = answer.body.flatMap { $0.isEmpty ? nil : $0 }.map { ": \($0)" } ?? ""
            text = "\(name) answered \(status)\(words)"
        }
        var details = ["hook": mitigation.rawValue, "hookCall": call.uuidString, "hookAccepted": String(answer.accepted)]
        if let status = answer.status { details["hookStatus"] = String(status) }
        return TimelineDraft(kind: .note, at: now, author: author, text: text, details: details)
    }
}
