import Foundation
import MusterCore

/// Which changes to list: for some services, in a span of time, newest first.
public struct ChangeQuery: Sendable, Equatable {
    /// Only changes to these services; nil for every service.
    public var services: [String]?
    public var from: Date?
    public var to: Date?
    public var limit: Int
    public var offset: Int

    public init(services: [String]? = nil, from: Date? = nil, to: Date? = nil, limit: Int = 100, offset: Int = 0) {
        self.services = services
        self.from = from
        self.to = to
        self.limit = limit
        self.offset = offset
    }
}

/// Deploys and configuration changes, kept as context for the incidents that follow them.
public protocol ChangeStore: Sendable {
    /// Keeps a change; its service must exist.
    func recordChange(_ change: ChangeEvent) async throws -> ChangeEvent
    func change(_ id: UUID) async throws -> ChangeEvent?
    /// Changes newest first (by when they happened), with how many match in all.
    func changes(_ query: ChangeQuery) async throws -> (items: [ChangeEvent], total: Int)
}
