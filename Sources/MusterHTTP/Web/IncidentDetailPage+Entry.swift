import Foundation
import MusterCore

extension IncidentDetailPage.Entry {
    /// A timeline can hold thousands of entries: their fields are read without reflection.
    func child(named name: String) -> Any? {
        switch name {
        case "id": id
        case "kind": kind
        case "kindLabel": kindLabel
        case "at": at
        case "recordedLater": recordedLater
        case "author": author
        case "text": text
        case "state": state
        case "openHypothesis": openHypothesis
        case "result": result
        default: nil
        }
    }
}

extension IncidentDetailPage {
    /// A timeline entry as the page shows it: an action names its mitigation, target and result.
    static func entry(_ entry: TimelineEntry) -> Entry {
        let state = entry.kind == .hypothesis ? entry.details["state"] ?? HypothesisState.open.rawValue : nil
        return Entry(
            id: entry.id.uuidString, kind: entry.kind.rawValue, kindLabel: PageViews.Matrix.label(entry.kind.rawValue),
            at: .init(entry.at), recordedLater: entry.recordedAt > entry.at.addingTimeInterval(59) ? .init(entry.recordedAt) : nil,
            author: entry.author, text: entry.text, state: state.map { $0.replacingOccurrences(of: "_", with: " ") },
            openHypothesis: state == HypothesisState.open.rawValue,
            result: entry.kind == .action
                ? [entry.details["mitigation"].flatMap(MitigationKind.init(rawValue:))?.label.lowercased(), entry.details["target"], entry.details["result"]]
                    .compactMap { $0 }.joined(separator: " · ") : nil)
    }
}
