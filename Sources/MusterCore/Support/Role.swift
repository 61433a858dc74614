/// What a person or an API token may do: viewers read, responders also write, admins also manage
/// tokens, people's roles and passwords.
public enum Role: String, StrictStringEnum {
    case viewer, responder, admin

    /// Whether this role may change incidents and services.
    public var canWrite: Bool { self != .viewer }
}
