import Foundation

/// The outbound webhooks mitigation kinds may call (for example a CI job that rolls a service
/// back), as configured: one http(s) URL per kind.
public struct MitigationHooks: Sendable, Equatable {
    public private(set) var urls: [MitigationKind: String]

    public init() { urls = [:] }

    /// Hooks by the kind's name (`rollback`, `feature_flag`, …); refuses unknown kinds and
    /// addresses that are not plain http(s) URLs, naming `field` and the kind.
    public init(_ byName: [String: String], field: String = "mitigations.hooks") throws(IncidentError) {
        var urls: [MitigationKind: String] = [:]
        for (name, address) in byName.sorted(by: { $0.key < $1.key }) {
            guard let kind = MitigationKind(rawValue: name) else {
                throw .invalidField(
                    field: "\(field).\(name.prefix(40))", reason: "is not a mitigation kind; use \(MitigationKind.allowedValues).")
            }
            let trimmed = address.trimmingCharacters(in: .whitespaces)
            guard let url = URL(string: trimmed), ["http", "https"].contains(url.scheme?.lowercased() ?? ""), url.host != nil,
                trimmed.count <= 2_048, !trimmed.contains(where: \.isNewline)
            else {
                throw .invalidField(field: "\(field).\(name)", reason: "must be an http or https URL.")
            }
            urls[kind] = trimmed
        }
        self.urls = urls
    }

    public var isEmpty: Bool { urls.isEmpty }

    public func url(for kind: MitigationKind) -> String? { urls[kind] }

    /// The kinds with a hook, in the order the process names them.
    public var kinds: [MitigationKind] { MitigationKind.allCases.filter { urls[$0] != nil } }

    /// Where a hook goes, as anyone may be shown it: scheme, host and port only, since a CI
    /// system's trigger URL often carries its token in the path or the query.
    public func shownAddress(for kind: MitigationKind) -> String? {
        guard let address = urls[kind], let url = URL(string: address), let host = url.host else { return nil }
        return "\(url.scheme?.lowercased() ?? "https")://\(host)\(url.port.map { ":\($0)" } ?? "")"
    }

    /// The kind whose hook an entry asks for; refuses an entry that cannot have one.
    public func check(kind: TimelineKind, mitigation: MitigationKind?, markMitigated: Bool) throws(IncidentError) -> MitigationKind {
        guard kind == .action, let mitigation else {
            throw .invalidField(field: "runHook", reason: "needs an action entry with its mitigation kind.")
        }
        guard urls[mitigation] != nil else {
            let configured = kinds.map(\.rawValue).joined(separator: ", ")
            throw .invalidField(
                field: "runHook",
                reason: "has no hook to call: none is configured for \(mitigation.rawValue) (mitigations.hooks)"
                    + (configured.isEmpty ? "." : "; hooks exist for \(configured)."))
        }
        guard !markMitigated else {
            throw .invalidField(field: "markMitigated", reason: "waits for the hook's job: mark the incident mitigated once it has worked.")
        }
        return mitigation
    }
}
