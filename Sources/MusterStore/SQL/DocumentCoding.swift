import Foundation
import MusterCore
import Synchronization

/// JSON for the documents kept in text columns; dates as seconds so they round-trip exactly.
enum DocumentCoding {
    static func encode<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let text = String(decoding: try encoder.encode(value), as: UTF8.self)
        if let remembered = value as? any RememberedDocument { DocumentMemo.remember(remembered, as: text) }
        return text
    }

    static func decode<T: Decodable>(_ type: T.Type, from text: String) throws -> T {
        if T.self is any RememberedDocument.Type, let known = DocumentMemo.recall(T.self, text) { return known }
        do {
            let decoder = JSONDecoder()
            decoder.userInfo[LabelMatcher.storedDocument] = true
            let value = try decoder.decode(type, from: Data(text.utf8))
            if let remembered = value as? any RememberedDocument { DocumentMemo.remember(remembered, as: text) }
            return value
        } catch {
            throw StoreError.corrupt("\(T.self): \(error)")
        }
    }
}

/// Documents read back again and again: an alert storm's transactions each read the incident the
/// previous one wrote, the service's alert policy and the silences in force; decoding them was a
/// twentieth of the serial writer's time, and a silence's regular expressions are compiled as it
/// is decoded.
protocol RememberedDocument: Sendable {}

extension Incident: RememberedDocument {}
extension AlertPolicy: RememberedDocument {}
extension Silence: RememberedDocument {}

/// The last documents written or read, by their exact text, so the same text is decoded once.
enum DocumentMemo {
    private struct Key: Hashable {
        var type: ObjectIdentifier
        var text: String
    }

    private static let entries = Mutex<[Key: any RememberedDocument]>([:])
    private static let capacity = 256

    static func remember(_ value: any RememberedDocument, as text: String) {
        let key = Key(type: ObjectIdentifier(type(of: value)), text: text)
        entries.withLock { entries in
            if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
            entries[key] = value
        }
    }

    static func recall<T>(_ type: T.Type, _ text: String) -> T? {
        entries.withLock { $0[Key(type: ObjectIdentifier(type), text: text)] } as? T
    }
}
