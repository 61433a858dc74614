import Foundation
import MusterCore

/// `/account`: the signed-in person's own name, email, time zone and password.
struct AccountPage: PageModel {
    var person: [String: String]
    var id: String
    var name: String
    var email: String
    var timeZone: String
    /// The role with its article: "an admin", "a viewer".
    var roleWords: String
    var notice: String?
    var banner: String?
    /// Messages by form (`details`, `password`), then by field.
    var errors: [String: [String: String]]

    static let notices = [
        "details": "Your details were saved.",
        "password": "Your password was changed; every other session of yours has ended.",
    ]

    static func build(for signedIn: WebAuth.SignedIn, failure: FormFailure? = nil, notice: String? = nil) -> AccountPage {
        let user = signedIn.user
        let typed = failure?.form == "details" ? failure?.values : nil
        return AccountPage(
            person: signedIn.view, id: user.id, name: typed?["name"] ?? user.name, email: typed?["email"] ?? user.email,
            timeZone: typed?["timeZone"] ?? user.timeZone, roleWords: (user.role == .admin ? "an " : "a ") + user.role.rawValue,
            notice: notice,
            banner: failure.flatMap { $0.field == nil ? $0.banner : nil }, errors: failure?.errors ?? [:])
    }
}
