import Foundation
import MusterCore

/// Runbooks kept as Markdown files in a folder (`runbooks.folder`), loaded at start: each
/// `NAME.md` is runbook `NAME`, with a header naming what it is for:
///
///     ---
///     title: API errors
///     services: api, gateway
///     labels: alertname=HighErrorRate, team=payments
///     ---
///     ## First steps
///     - [ ] Error rate by endpoint
enum RunbookFolder {
    static func load(_ folder: String, at now: Date) throws -> [Runbook] {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".md") }.sorted()
        } catch {
            throw ConfigError("runbooks.folder", "names '\(folder)', which cannot be read as a folder.")
        }
        return try names.map { name in
            let path = (folder as NSString).appendingPathComponent(name)
            guard let data = FileManager.default.contents(atPath: path) else { throw ConfigError("runbooks.folder", "cannot read '\(path)'.") }
            do {
                return try parse(String(decoding: data, as: UTF8.self), id: String(name.dropLast(3)), at: now)
            } catch let error as IncidentError {
                throw ConfigError("runbooks.folder", "'\(path)': \(error.message)")
            }
        }
    }

    /// One file's runbook: its header's settings, then its Markdown.
    static func parse(_ text: String, id: String, at now: Date) throws -> Runbook {
        var lines = text.components(separatedBy: "\n")
        var settings: [String: String] = [:]
        if lines.first?.trimmingCharacters(in: .whitespaces) == "---", let end = lines.dropFirst().firstIndex(where: { $0.trimmingCharacters(in: .whitespaces) == "---" }) {
            for line in lines[1..<end] where !line.trimmingCharacters(in: .whitespaces).isEmpty {
                let parts = line.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                guard parts.count == 2, ["title", "services", "labels"].contains(parts[0]) else {
                    throw IncidentError.invalidField(
                        field: "header", reason: "has '\(line.prefix(60))'; a header line is title:, services: or labels:.")
                }
                settings[parts[0]] = parts[1]
            }
            lines.removeSubrange(0...end)
        }
        func list(_ key: String) -> [String] {
            (settings[key] ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        }
        var labels: [String: String] = [:]
        for pair in list("labels") {
            let parts = pair.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2 else { throw IncidentError.invalidField(field: "labels", reason: "has '\(pair.prefix(60))'; write NAME=VALUE.") }
            labels[parts[0]] = parts[1]
        }
        return try Runbook(
            id: id, title: settings["title"] ?? id, services: list("services"), labels: labels,
            body: lines.joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines), by: "folder", at: now)
    }
}
