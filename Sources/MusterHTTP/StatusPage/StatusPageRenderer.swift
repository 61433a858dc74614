import Foundation
import MusterCore

/// Turns a snapshot into the documents the public page serves: the HTML pages, the Statuspage
/// JSON, the feeds and the page's colours.
struct StatusPageRenderer {
    let snapshot: StatusPageSnapshot
    let pages: WebPages

    static let html = "text/html; charset=utf-8"

    /// The documents every visitor may ask for, by path; an incident's or a maintenance's own page
    /// is rendered when first asked for (`page(at:)`).
    func documents() -> [String: StatusPageCache.Document] {
        var documents: [String: StatusPageCache.Document] = [:]
        func add(_ path: String, _ bytes: Data, _ type: String) {
            documents[path] = StatusPageCache.document(bytes, contentType: type, lastModified: snapshot.updatedAt)
        }
        for (path, json) in StatuspageJSON(snapshot: snapshot).documents() { add(path, json, "application/json") }
        let feeds = StatusPageFeeds(snapshot: snapshot)
        add("/history.atom", Data(feeds.atom.utf8), "application/atom+xml; charset=utf-8")
        add("/history.rss", Data(feeds.rss.utf8), "application/rss+xml; charset=utf-8")
        add("/status", render("status", PublicStatusPages.index(snapshot)), Self.html)
        add("/status/history", render("status-history", PublicStatusPages.history(snapshot)), Self.html)
        add("/status/theme.css", Data(":root { --accent: \(snapshot.settings.accentColor); }\n".utf8), "text/css; charset=utf-8")
        return documents
    }

    /// The page of one incident (`/status/incidents/INC-…`) or maintenance, nil for none.
    func page(at path: String) -> StatusPageCache.Document? {
        let frame = PublicStatusPages.Frame(snapshot)
        var bytes: Data?
        if let id = path.removingPrefix("/status/incidents/"),
            let incident = snapshot.incidents.first(where: { $0.id.caseInsensitiveCompare(id) == .orderedSame })
        {
            bytes = render(
                "status-incident", PublicStatusPages.IncidentPage(frame: frame, incident: PublicStatusPages.incident(incident, snapshot)))
        } else if let id = path.removingPrefix("/status/maintenance/"),
            let maintenance = snapshot.maintenances.first(where: { $0.id.uuidString.caseInsensitiveCompare(id) == .orderedSame })
        {
            bytes = render(
                "status-maintenance",
                PublicStatusPages.MaintenancePage(frame: frame, maintenance: PublicStatusPages.maintenance(maintenance, snapshot)))
        }
        return bytes.map { StatusPageCache.document($0, contentType: Self.html, lastModified: snapshot.updatedAt) }
    }

    private func render(_ template: String, _ model: Any) -> Data {
        Data((pages.library.render(model, withTemplate: template) ?? "").utf8)
    }
}

extension String {
    /// The rest after `prefix`, when it starts so and something follows.
    func removingPrefix(_ prefix: String) -> String? {
        guard hasPrefix(prefix), count > prefix.count else { return nil }
        return String(dropFirst(prefix.count))
    }
}
