/// Rules for service identifiers: lowercase letters, digits and dashes, as in URLs and labels.
public enum ServiceSlug {
    public static let maxLength = 64

    /// Whether `slug` is a valid service id.
    public static func isValid(_ slug: String) -> Bool {
        guard !slug.isEmpty, slug.count <= maxLength, slug.first != "-", slug.last != "-" else { return false }
        return slug.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }
    }

    /// Checks one id.
    public static func validate(_ slug: String, field: String) throws(IncidentError) {
        guard isValid(slug) else {
            throw .invalidField(
                field: field,
                reason:
                    "must be 1–\(maxLength) lowercase letters, digits or dashes, not starting or ending with a dash; got '\(slug.prefix(80))'."
            )
        }
    }

    /// Checks a list and removes duplicates, keeping the first order.
    public static func validateList(_ slugs: [String], field: String) throws(IncidentError) -> [String] {
        var seen = Set<String>()
        var result: [String] = []
        for slug in slugs {
            try validate(slug, field: field)
            if seen.insert(slug).inserted { result.append(slug) }
        }
        if result.count > 50 { throw .invalidField(field: field, reason: "may name at most 50 services.") }
        return result
    }
}
