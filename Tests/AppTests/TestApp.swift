import Fluent
import FluentPostgresDriver
import Foundation
import SQLKit
import Testing
import VaporTesting

@testable import App

/// Where the HTTP suite runs: PostgreSQL when `DATABASE_URL` is set (the test command starts one), else a private
/// in-memory SQLite database per test.
enum TestDatabase {
    static var configured: AppConfig.Database {
        if let url = ProcessInfo.processInfo.environment["DATABASE_URL"], !url.isEmpty { return .postgres(url: url) }
        return .sqliteInMemory
    }

    /// The name of every table of the test database.
    static func tables(_ app: Application) async throws -> [String] {
        struct Name: Decodable { let name: String }
        let sql = app.db as! any SQLDatabase
        let query: SQLQueryString =
            self.isPostgres
            ? "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public'"
            : "SELECT name FROM sqlite_master WHERE type = 'table'"
        return try await sql.raw(query).all(decoding: Name.self).map(\.name)
    }

    static var isPostgres: Bool {
        if case .postgres = self.configured { return true }
        return false
    }
}

/// The sealing key of the HTTP suite (32 bytes, base64): PostgreSQL needs one configured.
let testSecretKey = Data((0..<32).map { UInt8($0 * 7 % 256) }).base64EncodedString()

/// 30 November 2026, Jakarta: a fixed "today" so that the current cycle does not depend on when tests run.
let testToday = Date(timeIntervalSince1970: 1_796_000_000)

/// Runs `body` against a freshly built app with an empty, migrated database, seeded with the demo plan unless
/// `seeded` is false. On PostgreSQL each test gets a database of its own, copied from a template that was migrated
/// (and seeded) once per run, so the suite runs in parallel there as on SQLite.
///
/// With `embedded`, the app runs as `jaga serve` does out of the box: a SQLite file in the data directory and a
/// secret key generated there (whatever database the suite runs on).
func withJagaApp(
    seeded: Bool = true, migrated: Bool = true, embedded: Bool = false,
    adjusting adjust: (inout AppConfig) -> Void = { _ in }, _ body: (Application) async throws -> Void
) async throws {
    let dataDirectory = FileManager.default.temporaryDirectory
        .appendingPathComponent("jaga-test-\(UUID().uuidString)").path
    let ownDatabase: PostgresTestDatabases.Copy?
    if case .postgres(let url) = TestDatabase.configured, !embedded {
        ownDatabase = try await PostgresTestDatabases.shared.copy(
            of: migrated ? (seeded ? .seeded : .migrated) : .empty, server: url)
    } else {
        ownDatabase = nil
    }
    var config = AppConfig(
        dataDirectory: dataDirectory,
        database: embedded
            ? .sqlite(path: (dataDirectory as NSString).appendingPathComponent(AppConfig.sqliteFileName))
            : ownDatabase.map { .postgres(url: $0.url) } ?? TestDatabase.configured,
        hostname: "127.0.0.1", port: 0, mode: .development)
    if !embedded { config.secretKey = testSecretKey }
    // The clock of the suite stands still: a page shows a change at the next view, not after a refresh interval
    // (`PageTopicTests` sets one).
    config.pageRefreshSeconds = 0
    // Bcrypt at the cost a portal uses (12) takes a quarter of a second per hash or check; the suites make and sign in
    // thousands of accounts. They hash at bcrypt's lowest cost; `ConfigurationTests` holds the portal's at 12.
    config.bcryptCost = 4
    adjust(&config)
    do {
        try await withApp(configure: { app in
            app.clock = .fixed(testToday)
            app.logger.logLevel = .warning
            // The Swift suites need no browser: a stand-in prints the HTML into a file that starts like a PDF. The
            // browser journeys publish with the real Chromium (e2e/test_results_publishing_journey.py).
            app.pdfRenderer = .standIn
            try await configure(app, config: config)
            guard ownDatabase == nil else { return }
            if migrated { try await app.autoMigrate() }
            if seeded { _ = try await DemoPlanSeeder(dataDirectory: app.demoDataDirectory).seed(on: app.db) }
        }) { app in
            try await body(app)
        }
    } catch {
        try? await ownDatabase?.drop()
        try? FileManager.default.removeItem(atPath: dataDirectory)
        throw error
    }
    try await ownDatabase?.drop()
    try? FileManager.default.removeItem(atPath: dataDirectory)
}

/// The PostgreSQL databases of the HTTP suite: one template per starting state, prepared once per test run, and a
/// copy of it (`CREATE DATABASE … TEMPLATE`) per test, dropped after it.
actor PostgresTestDatabases {
    static let shared = PostgresTestDatabases()

    enum Start: String, CaseIterable { case empty, migrated, seeded }

    /// One test's database.
    struct Copy {
        let url: String
        fileprivate let name: String
        fileprivate let server: String

        func drop() async throws {
            try await PostgresTestDatabases.run("DROP DATABASE IF EXISTS \(self.name) WITH (FORCE)", on: self.server)
        }
    }

    private var prepared: [Start: Task<Void, any Error>] = [:]

    func copy(of start: Start, server: String) async throws -> Copy {
        let template = "jaga_template_\(start.rawValue)"
        let preparation =
            self.prepared[start]
            ?? Task { try await Self.prepare(template, as: start, server: server) }
        self.prepared[start] = preparation
        try await preparation.value
        let name = "jaga_t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        try await Self.run("CREATE DATABASE \(name) TEMPLATE \(template)", on: server)
        return Copy(url: Self.url(server, database: name), name: name, server: server)
    }

    /// Builds a template from scratch: migrated by the app's migrations and seeded as `withJagaApp` would.
    private static func prepare(_ template: String, as start: Start, server: String) async throws {
        try await self.run("DROP DATABASE IF EXISTS \(template) WITH (FORCE)", on: server)
        try await self.run("CREATE DATABASE \(template)", on: server)
        guard start != .empty else { return }
        let dataDirectory = FileManager.default.temporaryDirectory
            .appendingPathComponent("jaga-template-\(UUID().uuidString)").path
        var config = AppConfig(
            dataDirectory: dataDirectory, database: .postgres(url: self.url(server, database: template)),
            hostname: "127.0.0.1", port: 0, mode: .development)
        config.secretKey = testSecretKey
        try await withApp(configure: { app in
            app.clock = .fixed(testToday)
            app.logger.logLevel = .warning
            // The Swift suites need no browser: a stand-in prints the HTML into a file that starts like a PDF. The
            // browser journeys publish with the real Chromium (e2e/test_results_publishing_journey.py).
            app.pdfRenderer = .standIn
            try await configure(app, config: config)
            try await app.autoMigrate()
            if start == .seeded { _ = try await DemoPlanSeeder(dataDirectory: app.demoDataDirectory).seed(on: app.db) }
        }) { _ in }
        try? FileManager.default.removeItem(atPath: dataDirectory)
    }

    /// `server` with its database name replaced by `database`.
    private static func url(_ server: String, database: String) -> String {
        var components = URLComponents(string: server)!
        components.path = "/" + database
        return components.string!
    }

    /// Runs one statement on the server's own database (the one `DATABASE_URL` names).
    private static func run(_ sql: String, on server: String) async throws {
        let components = URLComponents(string: server)!
        let logger = Logger(label: "jaga.test.databases")
        let connection = try await PostgresConnection.connect(
            on: MultiThreadedEventLoopGroup.singleton.next(),
            configuration: .init(
                host: components.host ?? "127.0.0.1", port: components.port ?? 5432,
                username: components.user ?? "postgres", password: components.password,
                database: String(components.path.dropFirst()), tls: .disable),
            id: 1, logger: logger
        ).get()
        do {
            _ = try await connection.query(PostgresQuery(unsafeSQL: sql), logger: logger)
        } catch {
            try? await connection.close().get()
            throw error
        }
        try await connection.close().get()
    }
}

extension Application {
    /// Makes the default database a PostgreSQL server that nothing listens for (127.0.0.1:1), for the failure paths.
    func useUnreachableDatabase() {
        self.databases.use(
            .postgres(
                configuration: .init(
                    hostname: "127.0.0.1", port: 1, username: "nobody", password: nil, database: "x", tls: .disable)),
            as: DatabaseID(string: "unreachable"), isDefault: true)
    }
}

extension String {
    /// How many times `needle` occurs.
    func occurrences(of needle: String) -> Int {
        self.components(separatedBy: needle).count - 1
    }
}

extension TestingHTTPResponse {
    var html: String { self.body.string }
}

extension PDFRenderer {
    static let standIn = PDFRenderer { html in Data(("%PDF-1.7 stand-in\n" + html).utf8) }
}
