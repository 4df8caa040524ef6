import Fluent
import FluentPostgresDriver
import FluentSQLiteDriver
import Foundation
import Leaf
import StranasCore
import Vapor

/// Builds the app from its configuration. The program and the tests both come through here; tests pass an in-memory
/// database and a temporary data directory.
public func configure(_ app: Application, config: AppConfig) async throws {
    app.config = config
    if let day = config.fixedToday.flatMap(CalendarDate.init(iso:)) { app.clock = .starting(on: day) }
    app.http.server.configuration.hostname = config.hostname
    app.http.server.configuration.port = config.port
    app.http.server.configuration.shutdownTimeout = .seconds(Int64(config.stopSeconds))

    try prepareDataDirectory(config)
    switch config.database {
    case .sqlite(let path):
        app.databases.use(.sqlite(.file(path)), as: .sqlite)
    case .sqliteInMemory:
        app.databases.use(.sqlite(.memory), as: .sqlite)
    case .postgres(let url):
        do {
            // Several connections per event loop, so that requests and the background runner do not queue behind
            // one another on a single connection.
            // A request waits at most `databaseWaitSeconds` for a connection: a database that is down or stuck
            // becomes the "temporarily unavailable" page, not a hung one.
            app.databases.use(
                .postgres(
                    configuration: try SQLPostgresConfiguration(url: url), maxConnectionsPerEventLoop: 4,
                    connectionPoolTimeout: .seconds(Int64(config.databaseWaitSeconds))),
                as: .psql)
        } catch {
            throw ConfigurationError(
                variable: "DATABASE_URL",
                expected: "a PostgreSQL URL such as postgres://user:password@host:5432/database")
        }
    }
    app.migrations.add(AppMigrations.all)

    do {
        app.locales = try LocaleCatalog.load(directory: app.directory.resourcesDirectory + "Locales")
    } catch {
        throw StartupError("\(error)")
    }
    app.passwordRules = try PasswordRules.load(
        resourcesDirectory: app.directory.resourcesDirectory, cost: config.bcryptCost)
    app.views.use(.leaf)
    app.leaf.tags["t"] = TranslateTag()
    app.leaf.tags["url"] = URLTag()
    app.leaf.cache.isEnabled = app.environment.isRelease

    // Outermost first: every response, error pages included, gets the security headers.
    app.middleware = Middlewares()
    app.metrics = PortalMetrics()
    app.middleware.use(MetricsMiddleware())
    app.middleware.use(SecurityHeadersMiddleware())
    app.middleware.use(ErrorPageMiddleware())
    app.middleware.use(FileMiddleware(publicDirectory: app.directory.publicDirectory))
    app.middleware.use(SessionLoader())
    app.middleware.use(CSRFProtection())
    // After CSRFProtection, which has read a form's body by then.
    app.middleware.use(NulCharacterGuard())
    app.middleware.use(StorageFloorGuard())

    if config.pageCacheBytes > 0 { app.pageCache = PageCache(capacityBytes: config.pageCacheBytes) }
    app.sealingKey = try SealingKey.load(config: config)
    // Public forms' limits live in memory, one set per instance, made before any request.
    // No overall limit on reports: when many arrive, the form asks for a proof of work instead (ADR 0017).
    app.reportSubmissions = SubmissionLimit(perKey: 5, overall: nil, window: 3_600)
    app.reportChallenges = ReportChallenges(key: app.sealingKey)
    app.inputSubmissions = SubmissionLimit(perKey: 10, overall: nil, window: 3_600)
    app.receiptFailures = SubmissionLimit(perKey: 5, overall: nil, window: 15 * 60)
    app.lifecycle.use(SubmissionLimitSweeper())
    app.uploadGate = UploadGate(permits: System.coreCount)
    app.workingCalendar = try loadWorkingCalendar(
        path: config.holidaysFile ?? app.directory.resourcesDirectory + "Data/hari-libur.csv",
        configured: config.holidaysFile != nil)

    app.asyncCommands.use(SeedCommand(), as: "seed")
    app.asyncCommands.use(UsersCommand(), as: "users")
    app.asyncCommands.use(PlanCommands(), as: "plan")
    app.asyncCommands.use(AuditCommands(), as: "audit")
    app.asyncCommands.use(BlobsCommands(), as: "blobs")
    app.asyncCommands.use(BackupCommand(), as: "backup")
    app.asyncCommands.use(RestoreCommand(), as: "restore")
    app.asyncCommands.use(ScoresCommands(), as: "scores")
    app.asyncCommands.use(JobsCommands(), as: "jobs")

    try routes(app)
}

/// Creates the data directory and proves it can be written, so that a bad `JAGA_DATA_DIR` fails at start-up with
/// one line rather than at the first write.
private func prepareDataDirectory(_ config: AppConfig) throws {
    let fileManager = FileManager.default
    let directory = config.dataDirectory
    do {
        try fileManager.createDirectory(atPath: directory, withIntermediateDirectories: true)
    } catch {
        throw StartupError(
            "JAGA_DATA_DIR: cannot create the data directory \(directory). Choose a directory this user can write.")
    }
    let probe = (directory as NSString).appendingPathComponent(
        ".write-check-\(ProcessInfo.processInfo.processIdentifier)")
    guard fileManager.createFile(atPath: probe, contents: Data()) else {
        throw StartupError(
            "JAGA_DATA_DIR: the data directory \(directory) cannot be written. Choose a directory this user can write.")
    }
    try? fileManager.removeItem(atPath: probe)
}

/// The holiday list for working-day deadlines; a line that is not a date stops the start, naming the line.
private func loadWorkingCalendar(path: String, configured: Bool) throws -> WorkingCalendar {
    guard let data = FileManager.default.contents(atPath: path) else {
        throw StartupError(
            configured
                ? "JAGA_HOLIDAYS_FILE: cannot read \(path). Give a readable file of dates, one per line."
                : "Cannot read the shipped holiday list \(path).")
    }
    let (calendar, bad) = WorkingCalendar.parse(String(decoding: data, as: UTF8.self))
    guard bad.isEmpty else {
        throw StartupError(
            "\(configured ? "JAGA_HOLIDAYS_FILE: " : "")\(path), line \(bad.map(String.init).joined(separator: ", ")): "
                + "not a date. Write one date per line as 2025-08-17, optionally followed by a comma and a name.")
    }
    return calendar
}

extension Application {
    private struct SealingKeyKey: StorageKey {
        typealias Value = SealingKey
    }

    private struct WorkingCalendarKey: StorageKey {
        typealias Value = WorkingCalendar
    }

    /// The key that seals laporan penyimpangan and keys receipt-code hashes.
    var sealingKey: SealingKey {
        get {
            guard let key = self.storage[SealingKeyKey.self] else {
                fatalError("configure(_:config:) loads the sealing key before anything reads it.")
            }
            return key
        }
        set { self.storage[SealingKeyKey.self] = newValue }
    }

    /// Indonesian working days, for the deadlines of public reports.
    var workingCalendar: WorkingCalendar {
        get { self.storage[WorkingCalendarKey.self] ?? WorkingCalendar(holidays: []) }
        set { self.storage[WorkingCalendarKey.self] = newValue }
    }

    private struct AppConfigKey: StorageKey {
        typealias Value = AppConfig
    }

    /// The configuration the app was built with.
    public internal(set) var config: AppConfig {
        get {
            guard let config = self.storage[AppConfigKey.self] else {
                fatalError("configure(_:config:) sets the configuration before anything reads it.")
            }
            return config
        }
        set { self.storage[AppConfigKey.self] = newValue }
    }

    /// Where the demo data files live: shipped with the app, not in the data directory.
    var demoDataDirectory: String { self.directory.resourcesDirectory + "Data" }
}
