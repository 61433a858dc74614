import Foundation

/// Where responders gather for an incident: its chat channel and its call bridge, as links.
public enum WarRoom {
    /// A link as responders give it: `http`, `https`, or an app's own scheme such as `slack:`
    /// or `zoommtg:`, at most 2,000 characters; empty clears it.
    public static func link(_ text: String, field: String) throws(IncidentError) -> String? {
        let link = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if link.isEmpty { return nil }
        guard link.count <= 2_000 else { throw .invalidField(field: field, reason: "must be at most 2000 characters.") }
        guard let colon = link.firstIndex(of: ":"), link[..<colon].count >= 2,
            link[..<colon].allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "+.-".contains($0)) }),
            link[..<colon].first?.isLetter == true, !link.contains(where: { $0.isWhitespace || $0.isNewline })
        else {
            throw .invalidField(field: field, reason: "must be a link such as https://chat.example.com/incident-42.")
        }
        let scheme = link[..<colon].lowercased()
        guard scheme != "javascript", scheme != "data", scheme != "vbscript" else {
            throw .invalidField(field: field, reason: "may not be a \(scheme): link.")
        }
        return link
    }
}

extension Incident {
    /// Sets or clears the chat channel and the call bridge; each change is a timeline entry.
    mutating func setWarRoom(channel: String?, bridge: String?, by author: String, at now: Date) throws(IncidentError) -> [TimelineDraft] {
        var entries: [TimelineDraft] = []
        for (field, given, current) in [("channel", channel, self.channel), ("bridge", bridge, self.bridge)] {
            guard let given else { continue }
            let link = try WarRoom.link(given, field: field)
            guard link != current else { continue }
            if field == "channel" { self.channel = link } else { self.bridge = link }
            let name = field == "channel" ? "Chat channel" : "Call bridge"
            entries.append(
                TimelineDraft(
                    kind: .note, at: now, author: author, text: link.map { "\(name): \($0)" } ?? "\(name) removed",
                    details: ["edited": field, "from": current ?? "", "to": link ?? ""]))
        }
        return entries
    }
}
