import Foundation

extension ContactMethod {
    /// The method as someone who may not see secrets is shown it. A webhook or Slack URL is its
    /// own credential (whoever has it can post as Muster), so only its scheme and host remain;
    /// an email address is no secret and stays.
    public var masked: ContactMethod {
        guard kind != .email else { return self }
        var copy = self
        let url = URL(string: address)
        copy.address = "\(url?.scheme ?? "https")://\(url?.host ?? "…")/…"
        return copy
    }
}

extension User {
    /// The person with every contact method masked (see `ContactMethod.masked`).
    public var masked: User {
        var copy = self
        copy.contactMethods = contactMethods.map(\.masked)
        return copy
    }
}
