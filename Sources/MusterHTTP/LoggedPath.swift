import HummingbirdCore

extension URI {
    /// The path as logs show it: an integration key in it (`/ingest/KIND/KEY`) reads `KEY`, so
    /// the log does not hold secrets that let anyone send alerts.
    var loggedPath: String {
        let parts = path.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 4, parts[1] == "ingest" else { return path }
        return "/ingest/\(parts[2])/KEY"
    }
}
