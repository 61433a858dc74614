import Foundation

/// What still refers to something a request asked to remove, named so the person can act on it.
public struct References: Sendable, Equatable {
    /// Kinds of referrer, each with how many there are and the first few of their names.
    public var kinds: [(kind: String, count: Int, names: [String])] = []

    public init() {}

    public static func == (lhs: References, rhs: References) -> Bool {
        lhs.kinds.map { "\($0.kind)\($0.count)\($0.names)" } == rhs.kinds.map { "\($0.kind)\($0.count)\($0.names)" }
    }

    public var isEmpty: Bool { kinds.isEmpty }

    /// Adds `count` referrers of one kind, naming the ones given; nothing for a count of zero.
    public mutating func add(_ kind: String, count: Int, names: [String]) {
        guard count > 0 else { return }
        kinds.append((kind, count, names))
    }

    /// "2 incidents (INC-2026-0001, INC-2026-0002), 1 integration (prometheus)".
    public var text: String {
        kinds.map { kind, count, names in
            let noun = count == 1 ? kind : kind + "s"
            let shown = names.isEmpty ? "" : " (" + names.joined(separator: ", ") + (count > names.count ? ", …" : "") + ")"
            return "\(count) \(noun)\(shown)"
        }.joined(separator: ", ")
    }
}
