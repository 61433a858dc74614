import Hummingbird

extension Request {
    /// The credential of an `Authorization: Bearer …` header, trimmed; nil when there is no such
    /// header or it names another scheme. API tokens, the metrics token and integration keys all
    /// come this way.
    var bearerCredential: String? {
        guard let header = headers[.authorization] else { return nil }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        return parts[1].trimmingCharacters(in: .whitespaces)
    }
}
