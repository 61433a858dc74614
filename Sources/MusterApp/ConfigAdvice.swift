import Foundation

/// Settings that work but will surprise someone: said at start and by `muster config check`.
public enum ConfigAdvice {
    public static func warnings(_ config: MusterConfig) -> [String] {
        var warnings: [String] = []
        let listensBeyondLoopback = !isLoopback(config.host)
        if listensBeyondLoopback {
            if let url = config.publicURL, let host = URL(string: url)?.host, isLoopback(host) {
                warnings.append(
                    "public_url is \(url), a loopback address, while Muster listens on \(config.host): acknowledge links in pages"
                        + " and set-up snippets would point nowhere for anyone else. Set public_url to the address people use.")
            } else if config.publicURL == nil {
                warnings.append(
                    "public_url is not set, so acknowledge links in pages and set-up snippets use the listen address"
                        + " \(config.urlScheme)://\(config.host):\(config.port). Set public_url to the address people use.")
            }
        }
        if !config.mitigationHooks.isEmpty, config.signingKey == nil {
            warnings.append(
                "mitigations.hooks are set but signing_key is not: hook calls are signed with a random key that changes at every"
                    + " start, so the receivers cannot check them. Set signing_key and give it to them.")
        }
        return warnings
    }

    static func isLoopback(_ host: String) -> Bool {
        let bare = host.trimmingCharacters(in: CharacterSet(charactersIn: "[]")).lowercased()
        return bare == "localhost" || bare == "::1" || bare.hasPrefix("127.")
    }
}
