import Foundation
import MusterCore

/// The page's history as Atom and RSS feeds, shaped like Statuspage's: one entry per incident or
/// maintenance, its content every update, newest first.
struct StatusPageFeeds {
    let snapshot: StatusPageSnapshot

    /// An entry of either feed.
    private struct Entry {
        var id: String
        var title: String
        var link: String
        var published: Date
        var updated: Date
        /// The updates as HTML, newest first.
        var html: String
    }

    private var entries: [Entry] {
        let incidents = snapshot.incidents.map { incident in
            Entry(
                id: "Incident/\(incident.id)", title: incident.name, link: snapshot.incidentURL(incident.id),
                published: incident.createdAt, updated: incident.updatedAt,
                html: incident.updates.reversed().map { html(at: $0.at, status: $0.status.rawValue, body: $0.body) }.joined())
        }
        let maintenances = snapshot.maintenances.map { maintenance in
            Entry(
                id: "Maintenance/\(maintenance.id.uuidString.lowercased())", title: maintenance.title,
                link: snapshot.maintenanceURL(maintenance.id), published: maintenance.createdAt, updated: maintenance.updatedAt,
                html: maintenance.updates.reversed().map { html(at: $0.at, status: $0.state.rawValue, body: $0.body) }.joined()
                    + "<p>Scheduled from \(StatusPageText.time(maintenance.startsAt, snapshot)) to \(StatusPageText.time(maintenance.endsAt, snapshot))</p>"
            )
        }
        return (incidents + maintenances).sorted { $0.updated > $1.updated }.prefix(StatuspageJSON.listLimit).map { $0 }
    }

    private func html(at: Date, status: String, body: String) -> String {
        "<p><small>\(Self.escape(StatusPageText.time(at, snapshot)))</small><br><strong>\(Self.escape(StatusPageText.phase(status)))</strong> - "
            + "\(Self.escape(body).replacingOccurrences(of: "\n", with: "<br>"))</p>"
    }

    private var host: String { URL(string: snapshot.publicURL)?.host ?? "muster" }
    private var title: String { "\(snapshot.settings.name) - Incident History" }

    var atom: String {
        var xml = """
            <?xml version="1.0" encoding="UTF-8"?>
            <feed xml:lang="en-US" xmlns="http://www.w3.org/2005/Atom">
              <id>tag:\(host),2005:/history</id>
              <link rel="alternate" type="text/html" href="\(Self.escape(snapshot.publicURL))/status"/>
              <link rel="self" type="application/atom+xml" href="\(Self.escape(snapshot.publicURL))/history.atom"/>
              <title>\(Self.escape(title))</title>
              <updated>\(RFC3339.format(snapshot.updatedAt))</updated>
              <author><name>\(Self.escape(snapshot.settings.name))</name></author>

            """
        for entry in entries {
            xml += """
                  <entry>
                    <id>tag:\(host),2005:\(Self.escape(entry.id))</id>
                    <published>\(RFC3339.format(entry.published))</published>
                    <updated>\(RFC3339.format(entry.updated))</updated>
                    <link rel="alternate" type="text/html" href="\(Self.escape(entry.link))"/>
                    <title>\(Self.escape(entry.title))</title>
                    <content type="html">\(Self.escape(entry.html))</content>
                  </entry>

                """
        }
        return xml + "</feed>\n"
    }

    var rss: String {
        var xml = """
            <?xml version="1.0" encoding="UTF-8"?>
            <rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom">
              <channel>
                <title>\(Self.escape(title))</title>
                <link>\(Self.escape(snapshot.publicURL))/status</link>
                <atom:link href="\(Self.escape(snapshot.publicURL))/history.rss" rel="self" type="application/rss+xml"/>
                <description>Statuspage</description>
                <pubDate>\(Self.rfc822(snapshot.updatedAt))</pubDate>

            """
        for entry in entries {
            xml += """
                    <item>
                      <title>\(Self.escape(entry.title))</title>
                      <description>\(Self.escape(entry.html))</description>
                      <pubDate>\(Self.rfc822(entry.published))</pubDate>
                      <link>\(Self.escape(entry.link))</link>
                      <guid>\(Self.escape(entry.link))</guid>
                    </item>

                """
        }
        return xml + "  </channel>\n</rss>\n"
    }

    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(character)
            }
        }
        return out
    }

    /// `Mon, 07 Dec 2026 14:25:00 +0000`, as RSS dates are written.
    static func rfc822(_ date: Date) -> String {
        StatusPageText.utc(date, "EEE, dd MMM yyyy HH:mm:ss Z")
    }
}
