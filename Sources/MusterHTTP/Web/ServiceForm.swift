import Foundation
import MusterCore
import MusterStore

/// A service's settings as the services page edits them: its words, what it depends on, its
/// team's response size, and how its alerts group into incidents.
struct ServiceForm {
    static let fields: Set<String> = [
        "name", "description", "runbookURL", "dependsOn", "responseSize", "groupBy", "groupWindow", "autoResolve",
    ]

    /// The edit the form describes, alert policy included, saved in one write.
    static func read(_ form: WebForm) throws -> ServiceEdit {
        let window = form.text("groupWindow") ?? "4h"
        guard let seconds = DurationText.parse(window), (60...(30 * 86_400)).contains(seconds) else {
            throw Problem.invalid(
                "groupWindow", "The grouping window must be a span from 1m to 30d, such as 4h; got '\(window.prefix(20))'.")
        }
        let policy = AlertPolicy(
            groupBy: form.list("groupBy"), groupWindowSeconds: seconds, autoResolve: form.text("autoResolve") == "true")
        guard (try? policy.validate()) != nil else { throw Problem.invalid("groupBy", "Group by at most 16 label names.") }
        return ServiceEdit(
            name: try form.required("name", "The name"), description: form.fields["description"] ?? "",
            runbookURL: form.text("runbookURL") ?? "",
            dependsOn: form.list("dependsOn"), responseSize: try form.choice("responseSize", ResponseSize.self), alertPolicy: policy)
    }

    /// How the page shows a service's current settings in the form.
    static func values(_ service: ServiceRecord) -> [String: String] {
        [
            "name": service.name, "description": service.description, "runbookURL": service.runbookURL ?? "",
            "dependsOn": service.dependsOn.joined(separator: ", "), "responseSize": service.responseSize?.rawValue ?? "",
            "groupBy": service.alertPolicy.groupBy.joined(separator: ", "),
            "groupWindow": DurationText.format(service.alertPolicy.groupWindowSeconds),
            "autoResolve": service.alertPolicy.autoResolve ? "true" : "",
        ]
    }
}
