import Foundation
import Mustache
import Synchronization

/// A value the page templates read. swift-mustache finds a name in a plain struct by reflecting
/// every field on every lookup, and a name a section does not have is looked up again in each
/// enclosing value; on an incident with thousands of timeline entries that was most of the page's
/// time. A page model reflects its fields' names once per type and then reads only the field asked for.
protocol PageModel: MustacheParent {}

extension PageModel {
    func child(named name: String) -> Any? {
        guard let index = PageModelFields.index(of: name, in: self) else { return nil }
        let children = Mirror(reflecting: self).children
        return PageModelFields.unwrapped(children[children.index(children.startIndex, offsetBy: index)].value)
    }
}

/// The field names of each page model type, by position.
enum PageModelFields {
    private static let known = Mutex<[ObjectIdentifier: [String: Int]]>([:])

    static func index(of name: String, in value: Any) -> Int? {
        let type = ObjectIdentifier(Swift.type(of: value))
        if let fields = known.withLock({ $0[type] }) { return fields[name] }
        var fields: [String: Int] = [:]
        for (position, child) in Mirror(reflecting: value).children.enumerated() {
            if let label = child.label { fields[label] = position }
        }
        known.withLock { $0[type] = fields }
        return fields[name]
    }

    /// The value an optional holds, nil for none; any other value as it is.
    static func unwrapped(_ value: Any) -> Any? {
        guard let optional = value as? any OptionalValue else { return value }
        return optional.wrappedValue
    }
}

private protocol OptionalValue {
    var wrappedValue: Any? { get }
}

extension Optional: OptionalValue {
    fileprivate var wrappedValue: Any? {
        switch self {
        case .some(let value): PageModelFields.unwrapped(value)
        case .none: nil
        }
    }
}
