import Foundation
import Hummingbird
import Logging
import MusterCore
import MusterStore
import NIOCore

/// Records every change to Muster's configuration in the audit log, as it answers: who, when,
/// which request, and the object before and after. It sits behind `AuthMiddleware`, knows the
/// configuration's collections by their routes, and reads each object as `AuditSnapshots`
/// shows it (secrets left out, webhook URLs masked). Incidents are not audited here: their
/// timeline is their record.
struct AuditMiddleware: RouterMiddleware {
    typealias Context = MusterRequestContext
    let env: APIEnvironment

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard ![.get, .head].contains(request.method), let route = context.endpointPath,
            let target = AuditTarget(route: route, method: request.method, id: context.parameters.get("id"))
        else { return try await next(request, context) }
        let snapshots = AuditSnapshots(stores: env.stores, now: env.now())
        let before = try await target.subject.asyncMap { try await snapshots.snapshot(target.kind, $0) }
        var response = try await next(request, context)
        guard (200..<300).contains(response.status.code), !(target.creates && response.status != .created) else { return response }
        var subject = target.subject
        if subject == nil {
            // A new object's id is in the answer, at its top or in its one nested object.
            let collected = try await Self.collect(&response)
            subject = JSONTree.parse(Data(buffer: collected)).flatMap(Self.id(in:))
        }
        guard let named = subject else { return response }
        let key = snapshots.canonical(target.kind, named, in: before ?? nil)
        let after = try await snapshots.snapshot(target.kind, key)
        let event = AuditEvent(
            at: env.now(), actor: context.token?.name ?? "unknown", action: "\(request.method.rawValue) \(route)", kind: target.kind,
            subject: snapshots.canonical(target.kind, key, in: after), before: before ?? nil, after: after)
        do {
            try await env.stores.audit.recordAudit(event)
        } catch {
            // The change is committed already; the answer must say so even if its record failed.
            context.logger.error(
                "audit record failed", metadata: ["action": "\(event.action)", "subject": "\(key)", "error": "\(error)"])
        }
        return response
    }

    /// Reads a response's body and puts it back, so it is still sent.
    static func collect(_ response: inout Response) async throws -> ByteBuffer {
        let collector = Collector()
        try await response.body.write(collector)
        response.body = .init(byteBuffer: collector.buffer)
        return collector.buffer
    }

    static func id(in tree: JSONTree) -> String? {
        if let id = tree["id"]?.string { return id }
        guard case .object(let fields) = tree else { return nil }
        return fields.values.lazy.compactMap { $0["id"]?.string }.first
    }

    private final class Collector: ResponseBodyWriter, @unchecked Sendable {
        var buffer = ByteBuffer()
        func write(_ part: ByteBuffer) async throws {
            var part = part
            buffer.writeBuffer(&part)
        }
        func finish(_ trailingHeaders: HTTPFields?) async throws {}
    }
}

/// What a configuration write changes: the kind of object, and its id when the route names it.
struct AuditTarget {
    var kind: String
    var subject: String?
    /// Whether the request makes a new object (its id comes with the answer).
    var creates: Bool

    static let kinds = [
        "services": "service", "integrations": "integration", "users": "user", "teams": "team", "schedules": "schedule",
        "escalation-policies": "escalation-policy", "silences": "silence", "tokens": "token",
        "stakeholder-groups": "stakeholder-group", "status-components": "status-component", "status-groups": "status-group",
        "maintenances": "maintenance", "status-page": "status-page", "status-subscribers": "status-subscriber",
    ]

    /// Nil for routes that change no configuration: incidents, previews, dry runs and tests.
    init?(route: String, method: HTTPRequest.Method, id: String?) {
        let parts = route.split(separator: "/").map(String.init)
        guard parts.count >= 3, parts[0] == "api", parts[1] == "v1", let kind = Self.kinds[parts[2]] else { return nil }
        let rest = Array(parts.dropFirst(3))
        if let last = rest.last, ["preview", "test"].contains(last) { return nil }
        if kind == "status-page" {
            // One page: its settings are always the same object.
            (self.kind, subject, creates) = (kind, "settings", false)
        } else if rest == ["{id}", "integrations"] {
            (self.kind, subject, creates) = ("integration", nil, true)
        } else {
            (self.kind, subject, creates) = (kind, rest.isEmpty ? nil : id, rest.isEmpty && method == .post)
        }
    }
}

extension Optional {
    fileprivate func asyncMap<T>(_ transform: (Wrapped) async throws -> T) async rethrows -> T? {
        guard let self else { return nil }
        return try await transform(self)
    }
}
