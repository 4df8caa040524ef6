import Fluent
import FluentPostgresDriver
import Foundation
import SQLKit
import Vapor

/// Gets the database ready before `jaga serve` takes requests.
///
/// The embedded SQLite default prepares itself: it is migrated and, when empty, seeded with the demo plan, so that a
/// fresh clone runs with nothing to configure. PostgreSQL is production: `serve` never changes its schema or data,
/// and refuses to start until `jaga migrate` has been run.
enum DatabasePreparation {
    static func prepareForServing(_ app: Application, config: AppConfig) async throws {
        switch config.database {
        case .sqlite, .sqliteInMemory:
            if case .sqlite = config.database { try await Self.tuneSQLite(app) }
            try await app.autoMigrate()
            let isEmpty = try await Cycle.query(on: app.db).count() == 0
            if isEmpty {
                _ = try await DemoPlanSeeder(dataDirectory: app.demoDataDirectory).seed(on: app.db)
                app.logger.notice("The database was empty: loaded the demo plan Stranas PK 2021-2022.")
            }
            if config.mode == .development,
                try await Cycle.find(code: DemoPlanSeeder.cycleCode, on: app.db) != nil
            {
                app.demoAccounts = try await DemoAccounts.prepare(app)
            }
            if isEmpty {
                let lines = try await DemoReports(app: app).seed()
                app.logger.notice("Made \(lines) demo report lines through the reporting service.")
            }
            // A fresh database, or one from before scores were kept: compute them once.
            let hasScores = try await ScoreRow.query(on: app.db).count() > 0
            if !hasScores {
                try await ScoreBook(database: app.db, today: app.clock.today).rebuild()
            }
            if !app.demoAccounts.isEmpty { Self.announce(app.demoAccounts) }
        case .postgres:
            try await self.requireMigrated(app, config: config)
        }
        try await Self.requireKeyOpensSealedData(app)
    }

    /// A portal whose sealed data (laporan penyimpangan) does not open with its key would start and show nothing of
    /// them, silently: that happens when a restore left `secret.key` behind (and a new one was made) or the wrong
    /// `JAGA_SECRET_KEY` is set. It refuses to start instead.
    static func requireKeyOpensSealedData(_ app: Application) async throws {
        guard let sample = try await PublicCase.query(on: app.db).sort(\.$id).first() else { return }
        do {
            _ = try app.sealingKey.open(sample.body, purpose: CaseDesk.bodyPurpose)
        } catch {
            throw StartupError(
                "The sealed laporan penyimpangan do not open with this key: "
                    + (app.config.secretKey == nil
                        ? "\(SealingKey.fileName) in the data directory is not the one they were sealed with "
                            + "(restore it from the backup)."
                        : "JAGA_SECRET_KEY is not the key they were sealed with (set the one in use before)."))
        }
    }

    /// Readers never wait for a writer, nor a writer for readers: the file runs in write-ahead-log mode (kept in the
    /// file, so every later connection has it). Each event loop's connection, which its pool keeps for the life of the
    /// server, gets a page cache of 16 MB and maps up to 256 MB of the file, so that pages are read from memory, not
    /// from the disk (SQLite's defaults, 2 MB and no map, hold a tenth of the national data set). A connection the
    /// pool opens later runs with the defaults: slower, not wrong.
    static let sqliteCachePages = -16_384
    static let sqliteMapBytes = 256 * 1024 * 1024

    static func tuneSQLite(_ app: Application) async throws {
        for eventLoop in app.eventLoopGroup.makeIterator() {
            guard let sql = app.databases.database(logger: app.logger, on: eventLoop) as? any SQLDatabase else {
                continue
            }
            try await sql.raw("PRAGMA journal_mode = WAL").run()
            try await sql.raw("PRAGMA cache_size = \(unsafeRaw: String(Self.sqliteCachePages))").run()
            try await sql.raw("PRAGMA mmap_size = \(unsafeRaw: String(Self.sqliteMapBytes))").run()
        }
    }

    /// Prints the demo accounts once, for the person who started the server.
    static func announce(_ accounts: [DemoAccounts.Listing]) {
        var lines = ["", "Demo mode: one account per role, with passwords valid until the next start:"]
        for account in accounts {
            lines.append(
                "  \(account.role.padding(toLength: 20, withPad: " ", startingAt: 0)) \(account.email)  \(account.password)"
            )
        }
        lines.append("")
        print(lines.joined(separator: "\n"))
    }

    /// Fails with one line when the database cannot be reached or has migrations still to run.
    static func requireMigrated(_ app: Application, config: AppConfig) async throws {
        // The check explains a failure in its own one line; the driver's logging of the same failure would only
        // bury it, so it runs with a logger that keeps quiet.
        var quiet = Logger(label: "jaga.startup-check")
        quiet.logLevel = .critical
        guard let sql = app.databases.database(logger: quiet, on: app.eventLoopGroup.any()) as? any SQLDatabase
        else { return }
        let location = Self.describe(config.database)
        do {
            try await sql.raw("SELECT 1").run()
        } catch {
            throw StartupError(
                "Cannot connect to the database \(location): \(Self.reason(error)). "
                    + "Check that the server is running and the URL is right.")
        }
        let applied: Set<String>
        do {
            applied = Set(
                try await sql.raw("SELECT name FROM _fluent_migrations").all().map {
                    try $0.decode(column: "name", as: String.self)
                })
        } catch {
            applied = []
        }
        let pending = AppMigrations.all.map(\.name).filter { !applied.contains($0) }
        guard pending.isEmpty else {
            throw StartupError(
                "The database \(location) is not migrated (\(pending.count) migration(s) pending). "
                    + "Run `jaga migrate` first.")
        }
    }

    /// Where the database is, for messages: never the user name or password of a URL.
    static func describe(_ database: AppConfig.Database) -> String {
        switch database {
        case .sqlite(let path): return "SQLite \(path)"
        case .sqliteInMemory: return "SQLite in memory"
        case .postgres(let url):
            guard let components = URLComponents(string: url) else { return "PostgreSQL (from DATABASE_URL)" }
            return
                "PostgreSQL \(components.host ?? "?"):\(components.port ?? 5432)\(components.path) (from DATABASE_URL)"
        }
    }

    /// A short cause for a connection failure, without the driver's internals.
    /// An error in words for an operator's log: a database error by its kind (PostgresNIO hides even that from
    /// `description`), anything else as it describes itself.
    static func cause(of error: any Error) -> String {
        switch error {
        case let postgres as PSQLError:
            if let message = postgres.serverInfo?[.message], let state = postgres.serverInfo?[.sqlState] {
                return "PostgreSQL error \(state): \(message)"
            }
            return "PostgreSQL: \(Self.reason(error))"
        default:
            return String(describing: error)
        }
    }

    static func reason(_ error: any Error) -> String {
        // PostgresNIO keeps the cause out of `description` so that it cannot leak; `reflecting` has it.
        let text = String(reflecting: error).lowercased()
        if text.contains("refused") { return "connection refused" }
        if text.contains("timed out") || text.contains("timeout") { return "connection timed out" }
        if text.contains("password") || text.contains("authentication") || text.contains("28p01") {
            return "authentication failed"
        }
        if text.contains("does not exist") || text.contains("3d000") { return "database or role does not exist" }
        if text.contains("host") && text.contains("resolve") { return "host name not found" }
        return "connection failed"
    }
}
