import Foundation
import MusterCore

/// An escalation policy as the policy page's form sends it: one row per level, a row's targets
/// in `targets-N` and its wait in minutes in `delay-N`; empty rows are skipped.
struct PolicyForm {
    static let maxLevels = 20

    static func targetsField(_ number: Int) -> String { "targets-\(number)" }
    static func delayField(_ number: Int) -> String { "delay-\(number)" }

    /// Every field the form may send.
    static let fields: Set<String> = Set(["id", "name", "repeats"]).union((1...maxLevels).flatMap { [targetsField($0), delayField($0)] })

    /// The policy the form describes, with id `id` (the URL's, or the form's for a new one).
    static func policy(_ form: WebForm, id: String, names: EscalationTargetText) throws -> EscalationPolicy {
        var levels: [EscalationLevel] = []
        for number in 1...maxLevels {
            let targetsText = form.text(targetsField(number))
            let delayText = form.text(delayField(number))
            guard let targetsText else {
                // A wait alone, or the default wait of an unused row, makes no level.
                continue
            }
            let targets: [EscalationTarget]
            do {
                targets = try names.parse(targetsText, field: targetsField(number))
            } catch {
                guard case .invalidField(_, let reason) = error else { throw error }
                throw Problem.invalid(targetsField(number), "Level \(number) \(reason)")
            }
            guard !targets.isEmpty else { continue }
            guard let minutes = delayText.flatMap({ Int($0) }), (1...1_440).contains(minutes) else {
                throw Problem.invalid(delayField(number), "The wait after level \(number) must be from 1 to 1440 minutes.")
            }
            do {
                levels.append(try EscalationLevel(targets: targets, delayMinutes: minutes))
            } catch {
                throw Problem.invalid(targetsField(number), error.message)
            }
        }
        guard !levels.isEmpty else { throw Problem.invalid(targetsField(1), "Name whom the first level pages.") }
        let repeats = try form.number("repeats", "The repeats", in: 0...10) ?? 0
        return try EscalationPolicy(id: id, name: try form.required("name", "The name"), levels: levels, repeats: repeats)
    }
}
