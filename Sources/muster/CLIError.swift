import ArgumentParser
import Foundation
import MusterApp
import MusterCore
import MusterHTTP
import MusterStore

/// A failure the CLI reports as one line (or, with `--json`, one JSON object) on stderr, with the
/// exit status of its kind.
struct CLIError: Error, CustomStringConvertible {
    /// What went wrong, as the exit status tells a script.
    enum Kind: Int32, Sendable {
        case failure = 1
        case usage = 2
        case notFound = 3
        case denied = 4
        case conflict = 5
        case unreachable = 6
    }

    var description: String
    var kind = Kind.failure
    /// The server's problem document, when the server refused the request.
    var problem: Problem.Document?

    /// The kind an HTTP refusal is.
    static func kind(ofStatus status: Int) -> Kind {
        switch status {
        case 401, 403: .denied
        case 404: .notFound
        case 409: .conflict
        case 502, 503, 504: .unreachable
        default: .failure
        }
    }

    /// Any error a command ends with, as the CLI reports it.
    static func from(_ error: any Error) -> CLIError {
        switch error {
        case let error as CLIError: return error
        case let error as StoreError:
            let kind: Kind =
                switch error {
                case .notFound: .notFound
                case .conflict: .conflict
                case .unavailable: .unreachable
                case .invalid, .rejected: .usage
                case .corrupt, .contention, .schemaTooNew: .failure
                }
            return CLIError(description: error.description, kind: kind)
        case let error as ConfigError: return CLIError(description: error.description, kind: .usage)
        case let error as IncidentError:
            switch error {
            case .invalidField, .unknownSeverity, .reasonRequired: return CLIError(description: error.message, kind: .usage)
            default: return CLIError(description: error.message, kind: .conflict)
            }
        default: return CLIError(description: String(describing: error))
        }
    }
}

/// The exit statuses, in one place for `--help` and README.
enum ExitStatus {
    static let summary = """
        Exit status: 0 done, 1 failed, 2 usage or configuration error, 3 not found, \
        4 not authenticated or not allowed, 5 conflict, 6 server or database unreachable.
        """
}
