/// The email addresses Muster stores and mails to: the plain `local@domain` form every mail
/// server takes. No display names, quotes, angle brackets, spaces, commas or control characters:
/// each of those is either refused by servers at send time, discovered only as a dead letter, or
/// (a line break) a way to add SMTP commands or mail headers.
public enum EmailAddress {
    public static func isPlain(_ address: String) -> Bool {
        guard address.utf8.count <= 254 else { return false }
        let parts = address.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[0].utf8.count <= 64 else { return false }
        let domain = parts[1]
        guard domain.contains("."), !domain.hasPrefix("."), !domain.hasSuffix("."), !domain.contains("..") else { return false }
        let forbidden = Set(" \"'<>(),;:[]\\")
        return address.unicodeScalars.allSatisfy { scalar in
            scalar.value > 0x20 && scalar.value != 0x7F && !forbidden.contains(Character(scalar))
        }
    }
}
