import Fluent
import SQLKit
import StranasCore
import Testing
import VaporTesting

@testable import App

@Suite("The demo seed and database preparation", .serialized)
struct DemoSeedTests {
    @Test("the demo seed loads 3 fokus, 12 aksi, 24 outputs and indicators, and 126 instansi")
    func counts() async throws {
        try await withJagaApp { app in
            let db = app.db
            let counts = [
                try await Cycle.query(on: db).count(), try await Triwulan.query(on: db).count(),
                try await Fokus.query(on: db).count(), try await Aksi.query(on: db).count(),
                try await PlanOutput.query(on: db).count(), try await Indicator.query(on: db).count(),
                try await Instansi.query(on: db).filter(\.$kind == .kl).count(),
                try await Instansi.query(on: db).filter(\.$kind == .provinsi).count(),
                try await Instansi.query(on: db).filter(\.$kind == .kabkota).count(),
                try await Instansi.query(on: db).filter(\.$isTimnasMember == true).count(),
            ]
            #expect(counts == [1, 8, 3, 12, 24, 24, 50, 34, 42, 5])
        }
    }

    @Test("every kab/kota belongs to the province with its Kemendagri code")
    func regenciesHaveProvinces() async throws {
        try await withJagaApp { app in
            let regencies = try await Instansi.query(on: app.db).filter(\.$kind == .kabkota).with(\.$parent).all()
            for regency in regencies {
                let province = try #require(regency.parent)
                #expect(province.kind == .provinsi)
                #expect(province.provinceCode == regency.provinceCode)
            }
        }
    }

    @Test("every output-level assignment has targets: eight for a ramp, one for a milestone")
    func targetsForEveryAssignment() async throws {
        try await withJagaApp { app in
            let assignments = try await Pelaksana.query(on: app.db).filter(\.$output.$id != nil).all()
            let indicators = try await Indicator.query(on: app.db).all()
            let kindByOutput = Dictionary(uniqueKeysWithValues: indicators.map { ($0.$output.id, $0.kind) })
            let expected = assignments.reduce(0) { $0 + (kindByOutput[$1.$output.id!] == .milestone ? 1 : 8) }
            #expect(expected > 4000)
            let targetCount = try await Target.query(on: app.db).count()
            #expect(targetCount == expected)
            // "semua provinsi" and "kabupaten/kota pilot" became assignments of all 34 and all 42.
            let aksi7 = try #require(try await Aksi.query(on: app.db).filter(\.$number == 7).first())
            let output72 = try #require(
                try await PlanOutput.query(on: app.db).filter(\.$aksi.$id == aksi7.id!).filter(\.$code == "7.2").first()
            )
            let assigned = try await Pelaksana.query(on: app.db).filter(\.$output.$id == output72.id!).count()
            #expect(assigned == 1 + 34 + 42)
        }
    }

    @Test("seeding twice changes nothing")
    func idempotent() async throws {
        try await withJagaApp { app in
            let before = try await Target.query(on: app.db).count()
            let outcome = try await DemoPlanSeeder(dataDirectory: app.demoDataDirectory).seed(on: app.db)
            #expect(outcome == .alreadyPresent)
            let after = try await Target.query(on: app.db).count()
            #expect(after == before)
        }
    }

    @Test("serving an empty embedded database migrates it and loads the demo plan")
    func servingPreparesSQLite() async throws {
        try await withJagaApp(seeded: false, migrated: false) { app in
            guard !TestDatabase.isPostgres else { return }
            try await DatabasePreparation.prepareForServing(app, config: app.config)
            let aksiCount = try await Aksi.query(on: app.db).count()
            #expect(aksiCount == 12)
        }
    }

    @Test("the embedded file runs in write-ahead-log mode with a page cache and a memory map on every connection")
    func sqliteTuning() async throws {
        try await withJagaApp(seeded: false, migrated: false, embedded: true) { app in
            try await DatabasePreparation.tuneSQLite(app)
            struct Mode: Decodable {
                let mode: String
                enum CodingKeys: String, CodingKey { case mode = "journal_mode" }
            }
            struct Cache: Decodable {
                let pages: Int
                enum CodingKeys: String, CodingKey { case pages = "cache_size" }
            }
            struct Map: Decodable {
                let bytes: Int
                enum CodingKeys: String, CodingKey { case bytes = "mmap_size" }
            }
            for eventLoop in app.eventLoopGroup.makeIterator() {
                let sql = try #require(app.databases.database(logger: app.logger, on: eventLoop) as? any SQLDatabase)
                #expect(try await sql.raw("PRAGMA journal_mode").first(decoding: Mode.self)?.mode == "wal")
                #expect(
                    try await sql.raw("PRAGMA cache_size").first(decoding: Cache.self)?.pages
                        == DatabasePreparation.sqliteCachePages)
                #expect(
                    try await sql.raw("PRAGMA mmap_size").first(decoding: Map.self)?.bytes
                        == DatabasePreparation.sqliteMapBytes)
            }
        }
    }

    @Test("an unmigrated database is refused with a message that says to run jaga migrate")
    func unmigratedIsRefused() async throws {
        try await withJagaApp(seeded: false, migrated: false) { app in
            do {
                try await DatabasePreparation.requireMigrated(app, config: app.config)
                Issue.record("an unmigrated database was accepted")
            } catch let error as StartupError {
                #expect(error.description.contains("is not migrated"))
                #expect(error.description.contains("Run `jaga migrate` first"))
            }
        }
    }

    @Test("an unreachable database is refused with one line naming where it was looked for")
    func unreachableIsRefused() async throws {
        try await withJagaApp(seeded: false, migrated: false) { app in
            app.useUnreachableDatabase()
            let config = AppConfig(
                dataDirectory: app.config.dataDirectory, database: .postgres(url: "postgres://nobody@127.0.0.1:1/x"),
                hostname: "127.0.0.1", port: 0, mode: .development)
            do {
                try await DatabasePreparation.requireMigrated(app, config: config)
                Issue.record("an unreachable database was accepted")
            } catch let error as StartupError {
                #expect(
                    error.description.hasPrefix(
                        "Cannot connect to the database PostgreSQL 127.0.0.1:1/x (from DATABASE_URL): connection refused."
                    ))
                #expect(!error.description.contains("\n"))
            }
        }
    }
}
