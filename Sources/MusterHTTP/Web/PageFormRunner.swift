import Foundation
import Hummingbird
import MusterCore

/// What a form that was accepted leads to: back to a page, or a page of its own (such as a
/// secret shown once).
enum FormOutcome {
    case redirect(String)
    case page(Response)
}

/// Why a form was refused, for the page that shows it again.
struct FormFailure {
    /// The form's name, which the template keys its messages by.
    var form: String
    /// Why, in the API's words.
    var detail: String
    /// The field the message is about, when the form has it.
    var field: String?
    /// What was typed, to fill the form in again; never a password or the CSRF token.
    var values: [String: String]
    var status: HTTPResponse.Status

    /// The message at the top of the page.
    var banner: String { "Not saved: \(detail)" }

    /// Messages by form and field, as the templates read them.
    var errors: [String: [String: String]] { field.map { [form: [$0: detail]] } ?? [:] }
}

/// The steps every form of the pages takes: the person signed in, the session's CSRF token, the
/// role the form needs, only the fields it has; then the form's own work, and on a refusal its
/// page again with the reason.
struct PageFormRunner {
    let env: APIEnvironment

    func run(
        _ request: Request, form name: String, fields: Set<String>, needs role: Role = .responder, back: String,
        perform: (WebForm, WebAuth.SignedIn) async throws -> FormOutcome,
        refused: (WebAuth.SignedIn, FormFailure) async throws -> Response
    ) async throws -> Response {
        guard let signedIn = try await WebAuth(env: env).signedIn(request) else { return WebAuth.signInFirst(next: back) }
        var form = WebForm(fields: [:])
        do {
            form = try await WebForm.read(request, allowed: fields.union(["tz"]))
            try WebAuth.require(signedIn, csrf: form.csrf, role: role)
            switch try await perform(form, signedIn) {
            case .redirect(let location): return WebPages.redirect(location)
            case .page(let response): return response
            }
        } catch {
            let problem = ProblemMiddleware<MusterRequestContext>.problem(for: error)
            let field = problem.field.flatMap { fields.contains($0) ? $0 : nil }
            let values = form.retyped.filter { !$0.key.lowercased().contains("password") }
            return try await refused(
                signedIn,
                FormFailure(form: name, detail: problem.detail, field: field, values: values, status: problem.status))
        }
    }
}
