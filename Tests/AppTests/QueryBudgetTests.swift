import Fluent
import Foundation
import Logging
import NIOConcurrencyHelpers
import Testing
import VaporTesting

@testable import App

/// Counts the SQL statements the database drivers log while a page is served.
final class StatementCounter: @unchecked Sendable {
    private let lock = NIOLock()
    private var statements: [String] = []

    /// Both drivers (SQLiteKit and PostgresKit) log every statement they send as "Executing query", with the SQL.
    func record(_ message: String, sql: String?) {
        guard message == "Executing query" else { return }
        self.lock.withLock { self.statements.append(sql ?? "?") }
    }

    func take() -> [String] {
        self.lock.withLock {
            defer { self.statements = [] }
            return self.statements
        }
    }
}

struct StatementCountingHandler: LogHandler {
    let counter: StatementCounter
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .debug

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { self.metadata[key] }
        set { self.metadata[key] = newValue }
    }

    func log(
        level: Logger.Level, message: Logger.Message, metadata: Logger.Metadata?, source: String, file: String,
        function: String, line: UInt
    ) {
        let sql = metadata?["sql"].map { "\($0)" }
        self.counter.record(message.description, sql: sql)
    }
}

@Suite("Queries per public page", .serialized)
struct QueryBudgetTests {
    static let budget = 10

    /// Every public page, on data where each of its parts has something to show: an accepted line with public
    /// evidence, a target revision, a province with kab/kota. The counts are fixed by the code, not by the data: the
    /// same pages at national scale (`jaga seed national`) run the same statements.
    @Test(
        "the home, directory, dashboard, aksi, indicator, instansi, CSV, change log, reports and guide pages run at most ten statements"
    )
    func publicPages() async throws {
        try await withJagaApp { app in
            var cast = try await ReportingFixture.cast(app)
            try await ScoreBook(database: app.db, today: app.clock.today).rebuild()
            // Aceh's line is reported with a public PDF, submitted and accepted.
            _ = try await ReportingFixture.fill(&cast.unitTeknis, cast.targetID, capaian: "1", narasi: "Isi.")
            _ = try await cast.focalPoint.post(
                "/laporan/ajukan?periode=2021-2022&triwulan=1", [("semua", "1")],
                csrf: try await cast.focalPoint.csrfToken(from: "/laporan"))
            let line = SiteURL.reportLine(cast.targetID)
            let accepted = try await cast.verifikator.post(
                line + "/tindakan", [("versi", "2"), ("tindakan", "accept"), ("nilai", "1")],
                csrf: try await cast.verifikator.csrfToken(from: line))
            #expect(accepted.location == line + "?pesan=accept")
            let target = try #require(try await Target.find(cast.targetID, on: app.db))
            try await TargetRevision(
                indicatorID: target.$indicator.id, instansiID: target.$instansi.id, triwulanID: target.$triwulan.id,
                oldValue: 1, newValue: target.value, reason: "Revisi untuk uji jumlah perintah.", userID: nil,
                at: app.clock.now()
            ).create(on: app.db)
            let published = try await cast.setnas.post(
                "/setnas/periode/2021-2022/capaian/1/terbitkan", [],
                csrf: try await cast.setnas.csrfToken(from: "/laporan-capaian"))
            #expect(published.location == "/laporan-capaian/2021-2022/1")
            let aceh = try #require(try await Instansi.query(on: app.db).filter(\.$name == "Provinsi Aceh").first())
            let counter = StatementCounter()
            app.logger = Logger(label: "jaga.test.statements") { _ in StatementCountingHandler(counter: counter) }
            var visitor = TestBrowser(app)
            for path in [
                "/", "/instansi", "/dasbor", "/dasbor?semua=1",
                "/dasbor/data.csv?tabel=peringkat", "/instansi/\(aceh.id!)/rapor.csv", "/jejak", "/laporan-capaian",
                "/laporan-capaian/2021-2022/1", "/laporan-capaian/2021-2022/1/json",
                "/panduan", "/aksi/5", "/aksi/5/skor.csv", "/aksi/5/indikator/5.1.1?periode=2021-2022",
                "/aksi/5/indikator/5.1.1?periode=2021-2022&wilayah=11", "/instansi/\(aceh.id!)",
            ] {
                _ = counter.take()
                let page = try await visitor.get(path)
                #expect(page.status == .ok, "\(path)")
                if path.hasPrefix("/aksi/5"), !path.contains(".csv") {
                    // The accepted line and its public evidence are on the page the statements were counted for.
                    #expect(page.html.contains("berita-acara.pdf"), "\(path)")
                    #expect(page.html.contains("Revisi untuk uji jumlah perintah."), "\(path)")
                }
                let statements = counter.take()
                #expect(!statements.isEmpty || path == "/panduan", "\(path): the counter saw no statement")
                #expect(
                    statements.count <= Self.budget,
                    "\(path): \(statements.count) statements\n\(statements.joined(separator: "\n"))")
            }
        }
    }
}
