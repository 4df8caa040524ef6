import FluentPostgresDriver
import FluentSQLiteDriver
import Foundation
import NIOCore

/// Why the portal cannot do what was asked right now, though nothing is wrong with the request: the database is
/// down, stuck or overloaded, or the disk is full. Such a request gets a 503 with `Retry-After` in the reader's
/// language (`ErrorPageMiddleware`), never a 404 or a 500, and a form's typed text comes back with it.
enum Unavailability: Error, Equatable, CustomStringConvertible {
    /// The database cannot be reached, does not answer in time, or refuses work for now.
    case database
    /// The disk under the data directory or the database is full (or below `JAGA_MIN_FREE_MB`).
    case storage

    /// Seconds a client should wait before trying again.
    var retryAfterSeconds: Int {
        switch self {
        case .database: 30
        case .storage: 300
        }
    }

    /// The page's message and the API's error code.
    var messageKey: String { "error.unavailable.\(self.code)" }
    var code: String {
        switch self {
        case .database: "database_unavailable"
        case .storage: "storage_full"
        }
    }

    var description: String {
        switch self {
        case .database: "the database is unavailable"
        case .storage: "the disk is full"
        }
    }

    /// The unavailability behind `error`, or nil when it is some other failure.
    static func of(_ error: any Error) -> Unavailability? {
        switch error {
        case let unavailable as Unavailability:
            return unavailable
        case is ConnectionPoolTimeoutError:
            return .database
        case is ConnectionPoolError:
            return .database
        case let postgres as PSQLError:
            return Self.of(postgres)
        case let sqlite as SQLiteError:
            switch sqlite.reason {
            case .full: return .storage
            case .ioError, .ioErrorFailedWrite, .ioErrorFailedSync, .ioErrorFailedDirSync: return .storage
            case .busy, .locked, .busyTimeout, .busyInRecovery, .busyInSnapshot: return .database
            case .cantOpen: return .database
            default: return nil
            }
        case let posix as POSIXError where posix.code == .ENOSPC || posix.code == .EDQUOT:
            return .storage
        case let cocoa as CocoaError where cocoa.code == .fileWriteOutOfSpace:
            return .storage
        case let io as IOError where [ENOSPC, EDQUOT].contains(io.errnoCode):
            return .storage
        default:
            return nil
        }
    }

    private static func of(_ error: PSQLError) -> Unavailability? {
        switch error.code {
        case .connectionError, .serverClosedConnection, .uncleanShutdown, .poolClosed, .clientClosedConnection:
            return .database
        case .server:
            // SQLSTATE classes: 08 connection exception, 53 insufficient resources (53100 disk full),
            // 57P01-57P03 the server shutting down, restarting or not yet accepting connections.
            guard let state = error.serverInfo?[.sqlState] else { return nil }
            if state == "53100" { return .storage }
            if state.hasPrefix("08") || state.hasPrefix("53") || ["57P01", "57P02", "57P03"].contains(state) {
                return .database
            }
            return nil
        default:
            return nil
        }
    }
}
