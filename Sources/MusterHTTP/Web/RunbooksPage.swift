import Foundation
import MusterCore
import MusterStore

/// `/runbooks`: the runbooks kept in Muster, each readable and editable, and a form for a new one.
struct RunbooksPage: PageModel {
    struct Row: PageModel {
        var runbookID: String
        var runbookTitle: String
        var servicesText: String
        var labelsText: String
        var hasServices: Bool
        var hasLabels: Bool
        var html: String
        var markdown: String
        var updated: PageViews.Time
        var updatedBy: String
    }

    var person: [String: String]
    var canWrite: Bool
    var rows: [Row]
    var hasRows: Bool
    var notice: String?
    var failure: String?
    var errors: [String: [String: String]]
    var values: [String: [String: String]]

    static func build(for signedIn: WebAuth.SignedIn, env: APIEnvironment, notice: String? = nil, failure: FormFailure? = nil)
        async throws -> RunbooksPage
    {
        let runbooks = try await env.stores.runbooks.runbooks()
        return RunbooksPage(
            person: signedIn.view, canWrite: signedIn.user.role.canWrite,
            rows: runbooks.map {
                Row(
                    runbookID: $0.id, runbookTitle: $0.title, servicesText: $0.services.joined(separator: ", "),
                    labelsText: $0.labels.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: "\n"),
                    hasServices: !$0.services.isEmpty, hasLabels: !$0.labels.isEmpty,
                    html: MarkdownHTML.render($0.body), markdown: $0.body, updated: .init($0.updatedAt), updatedBy: $0.updatedBy)
            },
            hasRows: !runbooks.isEmpty, notice: notice, failure: failure?.banner, errors: failure?.errors ?? [:],
            values: failure.map { [$0.form: $0.values] } ?? [:])
    }
}
