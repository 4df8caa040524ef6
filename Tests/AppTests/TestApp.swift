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
/// `seeded` is false. On PostgreSQL the shared test database is reverted first, so suites run one at a time there.
///
/// With `embedded`, the app runs as `jaga serve` does out of the box: a SQLite file in the data directory and a
/// secret key generated there (whatever database the suite runs on).
func withJagaApp(
    seeded: Bool = true, migrated: Bool = true, embedded: Bool = false,
    adjusting adjust: (inout AppConfig) -> Void = { _ in }, _ body: (Application) async throws -> Void
) async throws {
    let dataDirectory = FileManager.default.temporaryDirectory
        .appendingPathComponent("jaga-test-\(UUID().uuidString)").path
    var config = AppConfig(
        dataDirectory: dataDirectory,
        database: embedded
            ? .sqlite(path: (dataDirectory as NSString).appendingPathComponent(AppConfig.sqliteFileName))
            : TestDatabase.configured,
        hostname: "127.0.0.1", port: 0, mode: .development)
    if !embedded { config.secretKey = testSecretKey }
    // The clock of the suite stands still: a page shows a change at the next view, not after a refresh interval
    // (`PageTopicTests` sets one).
    config.pageRefreshSeconds = 0
    adjust(&config)
    try await withApp(configure: { app in
        app.clock = .fixed(testToday)
        app.logger.logLevel = .warning
        try await configure(app, config: config)
        if TestDatabase.isPostgres && !embedded { try await app.autoRevert() }
        if migrated { try await app.autoMigrate() }
        if seeded { _ = try await DemoPlanSeeder(dataDirectory: app.demoDataDirectory).seed(on: app.db) }
    }) { app in
        try await body(app)
    }
    try? FileManager.default.removeItem(atPath: dataDirectory)
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
