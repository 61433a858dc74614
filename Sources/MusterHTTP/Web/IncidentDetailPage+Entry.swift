import Foundation

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
