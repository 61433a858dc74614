import Foundation
import MusterCore
import MusterStore

/// The body answering an accepted batch of alerts, written by hand: it goes out on every ingest
/// request, and `JSONEncoder` cost as much as parsing the request. Same keys, sorted, as the
/// Codable form of `IngestOutcome`.
enum IngestAnswer {
    static func json(_ outcomes: [IngestOutcome]) -> String {
        var out = "{\"alerts\":" + String(outcomes.count) + ",\"outcomes\":["
        for (index, outcome) in outcomes.enumerated() {
            if index > 0 { out += "," }
            out += "{"
            if let id = outcome.alertID { out += "\"alertID\":\"" + id.text + "\"," }
            out += "\"change\":\"" + outcome.change.rawValue + "\",\"dedupKey\":" + JSONText.quote(outcome.dedupKey)
            if let incident = outcome.incident { out += ",\"incident\":" + JSONText.quote(incident) }
            out += ",\"silenced\":" + (outcome.silenced ? "true" : "false") + "}"
        }
        return out + "],\"status\":\"ok\"}"
    }
}
