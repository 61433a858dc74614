/// Failures a store reports in domain terms.
public enum StoreError: Error, Equatable, Sendable, CustomStringConvertible {
    case notFound(what: String, key: String)
    case conflict(String)
    case invalid(field: String, reason: String)
    case corrupt(String)
    /// The database refused a value the request carried (PostgreSQL's data exceptions): the
    /// request must change, so trying again is no use.
    case rejected(String)
    /// The database cannot be reached or refused the work; the message says why.
    case unavailable(String)
    /// The database aborted the transaction to break a deadlock or a serialization conflict with
    /// another one (another Muster server's, say): the same work may succeed when tried again.
    case contention(String)
    /// The database's schema is at a version newer than this build knows.
    case schemaTooNew(database: Int, binary: Int)

    /// Whether `error` is `unavailable`: the database, not the request, is at fault.
    public static func isUnavailable(_ error: any Error) -> Bool {
        if case StoreError.unavailable = error { return true }
        return false
    }

    /// Whether `error` is `contention`: trying the transaction again may succeed.
    public static func isContention(_ error: any Error) -> Bool {
        if case StoreError.contention = error { return true }
        return false
    }

    /// The case's name, as metrics label it.
    public var kind: String {
        switch self {
        case .notFound: "not_found"
        case .conflict: "conflict"
        case .invalid: "invalid"
        case .corrupt: "corrupt"
        case .rejected: "rejected"
        case .unavailable: "unavailable"
        case .contention: "contention"
        case .schemaTooNew: "schema_too_new"
        }
    }

    public var description: String {
        switch self {
        case .notFound(let what, let key): "No \(what) '\(key.prefix(120))'."
        case .conflict(let message): message
        case .invalid(let field, let reason): "'\(field)' \(reason)"
        case .corrupt(let message): "Stored data could not be read: \(message)"
        case .rejected(let message): "The database refused a value in this request: \(message)"
        case .unavailable(let message): message
        case .contention(let message): message
        case .schemaTooNew(let database, let binary):
            "The database's schema is at version \(database), newer than this build of Muster knows (version \(binary)); "
                + "a newer Muster has used it. Run that version, or restore a backup taken before the upgrade."
        }
    }
}
