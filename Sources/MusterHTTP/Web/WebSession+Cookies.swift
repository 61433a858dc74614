import Foundation
import Hummingbird
import MusterStore

/// The cookies of the pages: the session's secret, and before sign-in a CSRF token of the form's own.
enum WebCookies {
    static let session = "muster_session"
    static let signinCSRF = "muster_signin"
    /// A session unused this long ends.
    static let idleLimit: TimeInterval = 12 * 3_600

    /// `name=value` with the flags every Muster cookie has; `Secure` when the pages are served over HTTPS.
    static func cookie(_ name: String, _ value: String, secure: Bool, maxAge: Int? = nil) -> String {
        var parts = ["\(name)=\(value)", "Path=/", "HttpOnly", "SameSite=Lax"]
        if secure { parts.append("Secure") }
        if let maxAge { parts.append("Max-Age=\(maxAge)") }
        return parts.joined(separator: "; ")
    }

    /// The value of cookie `name` in a request.
    static func value(_ name: String, in request: Request) -> String? {
        for header in request.headers[values: .cookie] {
            for pair in header.split(separator: ";") {
                let parts = pair.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                if parts.count == 2, parts[0] == name { return parts[1] }
            }
        }
        return nil
    }
}
