import Foundation
import HummingbirdBcrypt
import MusterCore

/// People's passwords: what one must be, and their bcrypt hashes.
public enum Passwords {
    /// Bytes a password may have: bcrypt reads 72 and ignores the rest, so a longer one is refused
    /// rather than silently cut.
    public static let length = 12...72

    /// The hash to keep for a new password, once it meets the rules.
    public static func hash(_ password: String) throws(IncidentError) -> String {
        guard length.contains(password.utf8.count) else {
            throw .invalidField(field: "password", reason: "must be \(length.lowerBound) to \(length.upperBound) bytes long.")
        }
        guard !password.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw .invalidField(field: "password", reason: "must not hold control characters.")
        }
        return Bcrypt.hash(password, cost: 12)
    }

    /// Whether `password` is the one `hash` was made from.
    public static func verify(_ password: String, hash: String) -> Bool {
        Bcrypt.verify(password, hash: hash)
    }
}
