import MusterStore
import PostgresNIO

/// PostgreSQL's failures in the store's terms, with what to do about them.
extension PostgresConnectionSource {
    /// PostgresNIO keeps its error text private by default; say what went wrong without the query.
    static func translate(_ error: PSQLError, target: String) -> StoreError {
        if let info = error.serverInfo {
            return translate(state: info[.sqlState] ?? "?", message: info[.message])
        }
        let cause = error.underlying.map { " (\($0))" } ?? ""
        // Whether PostgresNIO or Muster notices the closed connection first is a matter of timing;
        // the responder reads the same message either way.
        if error.code == .serverClosedConnection || error.code == .uncleanShutdown {
            return .unavailable("Lost the connection to PostgreSQL at \(target); nothing uncommitted was kept (\(error.code)\(cause)).")
        }
        if let advice = tlsAdvice("\(error.code)\(cause)") {
            return .unavailable("Cannot use PostgreSQL at \(target): \(advice) (\(error.code)\(cause)).")
        }
        return .unavailable("Cannot use PostgreSQL at \(target): \(error.code)\(cause).")
    }

    /// What to do about a failed TLS connection, when that is what the error text says.
    static func tlsAdvice(_ text: String) -> String? {
        if text.contains("CERTIFICATE_VERIFY_FAILED") || text.contains("certificate verify failed")
            || text.contains("failedToValidateHostname")
        {
            return "its TLS certificate was not accepted: check that sslrootcert names the authority that signed it"
                + " and, with sslmode=verify-full, that the URL's host is a name the certificate is for"
        }
        if text.contains("sslUnsupported") {
            return "it does not offer TLS, which this sslmode requires (turn ssl on in postgresql.conf, or use sslmode=disable)"
        }
        if text.contains("handshake") || text.contains("NIOSSL") || text.contains("BoringSSL") {
            return "the TLS handshake failed"
        }
        return nil
    }

    /// An error the server reported on the pipelined connection, said as PostgresNIO's are.
    static func translate(_ error: BackendMessage.ServerError, target: String) -> StoreError {
        translate(state: error.state, message: error.message)
    }

    static func translate(state: String, message: String?) -> StoreError {
        if state == "23505" { return .conflict("That record already exists.") }
        // 40P01 deadlock_detected, 40001 serialization_failure: this transaction lost to another.
        if state == "40P01" || state == "40001" {
            return .contention("PostgreSQL aborted the transaction to let another go on: \(message ?? "a conflict") (SQLSTATE \(state)).")
        }
        // Class 22, data exceptions: a value no column can hold, such as text with NUL in it.
        if state.hasPrefix("22") { return .rejected("\(message ?? "a value is out of range") (SQLSTATE \(state)).") }
        return .unavailable("PostgreSQL refused the request: \(message ?? "unknown error") (SQLSTATE \(state)).")
    }
}
