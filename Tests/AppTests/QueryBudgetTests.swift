import Fluent
import Foundation
import Logging
import NIOConcurrencyHelpers
import SQLKit
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

    /// The tables whose rows multiply with the number of instansi, aksi and triwulan: a public page reads them only
    /// through an index, never from end to end.
    /// (The directory lists every instansi, so `instansi` itself is not among them.)
    static let national: Set<String> = [
        "targets", "report_lines", "report_versions", "report_evidence", "evidence_blobs", "report_comments", "scores",
        "discipline", "verification_times", "target_revisions", "audit_log", "pelaksana", "public_cases",
        "public_inputs",
    ]

    /// The steps of SQLite's plans for `statements` that read one of the `national` tables whole: a `SCAN` of the
    /// table or of an index from end to end (an index walked in order under a `LIMIT` stops early and is allowed), or
    /// a `SEARCH` narrowed by nothing but the cycle, a state or a flag (`countryWide`). SQLite plans without statistics
    /// (no `ANALYZE` is run), so the plan of the small test database is the plan of the national one.
    static func fullScans(in statements: [String], on app: Application) async throws -> [String] {
        struct Step: Decodable { let detail: String }
        var found: [String] = []
        for statement in statements {
            let head = statement.prefix(6).uppercased()
            guard head == "SELECT" || head.hasPrefix("WITH") else { continue }
            let steps = try await (app.db as! any SQLDatabase).raw("EXPLAIN QUERY PLAN \(unsafeRaw: statement)")
                .all(decoding: Step.self)
            let limited = statement.uppercased().contains(" LIMIT ")
            for step in steps {
                let words = step.detail.split(separator: " ").map(String.init)
                guard words.count > 1, words[0] == "SCAN" || words[0] == "SEARCH" else { continue }
                // "SCAN t" names the alias; the statement says which table it stands for.
                guard
                    let table = Self.national.contains(words[1])
                        ? words[1] : Self.table(aliased: words[1], in: statement)
                else { continue }
                let whole: Bool
                if words[0] == "SCAN" {
                    whole =
                        !(limited && step.detail.contains("USING")
                        && !steps.contains { $0.detail.contains("TEMP B-TREE") })
                } else {
                    whole = Self.countryWide(search: step.detail)
                }
                if whole { found.append("\(step.detail) [\(table)] in \(statement.prefix(160))") }
            }
        }
        return found
    }

    /// Columns that narrow a national table to a share of the country, not to a part of it: the cycle holds the whole
    /// country, a state or a flag a large share of it.
    static let countryWideColumns: Set<String> = ["cycle_id", "state", "is_public", "kind"]

    /// Whether a `SEARCH` step is narrowed only by `countryWideColumns` ("SEARCH l USING INDEX x (state=?)").
    static func countryWide(search detail: String) -> Bool {
        guard let open = detail.lastIndex(of: "("), detail.hasSuffix(")") else { return false }
        let constraints = detail[detail.index(after: open)..<detail.index(before: detail.endIndex)]
            .components(separatedBy: " AND ")
            .map { $0.prefix { $0 != "=" && $0 != "<" && $0 != ">" } }
        return constraints.allSatisfy { Self.countryWideColumns.contains(String($0)) }
    }

    /// The table a statement calls `alias` ("FROM targets t", "JOIN targets AS t").
    private static func table(aliased alias: String, in statement: String) -> String? {
        let words = statement.replacingOccurrences(of: "\"", with: "").split(whereSeparator: {
            $0 == " " || $0 == "\n" || $0 == "," || $0 == "("
        })
        for index in words.indices.dropFirst() where words[index] == alias {
            var table = words[index - 1]
            if table.uppercased() == "AS", index >= 2 { table = words[index - 2] }
            if Self.national.contains(String(table)) { return String(table) }
        }
        return nil
    }

    /// Every public page, on data where each of its parts has something to show: an accepted line with public
    /// evidence, a target revision, a province with kab/kota. The counts are fixed by the code, not by the data: the
    /// same pages at national scale (`jaga seed national`) run the same statements.
    @Test(
        "the home, directory, dashboard, aksi, indicator, instansi, CSV, change log, reports and guide pages and the API lists run at most ten statements, no page reading a national table whole"
    )
    func publicPages() async throws {
        try await withJagaApp { app in
            var cast = try await ReportingFixture.cast(app)
            try await ScoreBook(database: app.db, today: app.clock.today).rebuild()
            // Aceh's line is reported with a public PDF, submitted and accepted.
            _ = try await ReportingFixture.fill(&cast.unitTeknis, cast.targetID, capaian: "1", narasi: "Isi.")
            _ = try await ReportingFixture.submitAll(&cast.focalPoint)
            let line = SiteURL.reportLine(cast.targetID)
            let accepted = try await cast.verifikator.post(
                line + "/tindakan", [("versi", "3"), ("tindakan", "accept"), ("nilai", "1")],
                csrf: try await cast.verifikator.csrfToken(from: line))
            #expect(accepted.location == line + "?pesan=accept")
            let target = try #require(try await Target.find(cast.targetID, on: app.db))
            try await TargetRevision(
                indicatorID: target.$indicator.id, instansiID: target.$instansi.id, triwulanID: target.$triwulan.id,
                oldValue: 1, newValue: target.value, reason: "Revisi untuk uji jumlah perintah.", userID: nil,
                at: app.clock.now()
            ).create(on: app.db)
            let published = try await cast.setnas.post(
                "/setnas/periode/2021-2022/capaian/1/terbitkan", [("alasan", ResultReportTests.reason)],
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
                "/laporan-capaian/2021-2022/1/cetak", "/laporan-capaian/2021-2022/1/pdf",
                "/panduan", "/aksi/5", "/aksi/5/skor.csv", "/aksi/5/indikator/5.1.1?periode=2021-2022",
                "/aksi/5/indikator/5.1.1?periode=2021-2022&wilayah=11", "/instansi/\(aceh.id!)",
                "/api/v1/cycles/2021-2022/scores?scope=instansi", "/api/v1/cycles/2021-2022/targets?triwulan=1",
                "/api/v1/cycles/2021-2022/results", "/api/v1/cycles/2021-2022/discipline", "/api/v1/instansi",
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
                // The open data API's lists are the whole country by design, a page at a time: they are held to the
                // statement budget, not to the plan check.
                if !TestDatabase.isPostgres, !path.hasPrefix(SiteURL.apiPrefix) {
                    let scans = try await Self.fullScans(in: statements, on: app)
                    #expect(
                        scans.isEmpty,
                        "\(path) scans a table that grows with the country:\n\(scans.joined(separator: "\n"))")
                }
            }
        }
    }

    @Test("the plan check finds a whole-table read: a scan, and a search narrowed by the cycle alone")
    func planCheckCatchesScans() async throws {
        try await withJagaApp(seeded: false) { app in
            guard !TestDatabase.isPostgres else { return }
            let scans = try await Self.fullScans(
                in: [
                    "SELECT id FROM targets t WHERE t.value > 0",
                    "SELECT id FROM scores WHERE cycle_id = 1 AND voice = 'verified'",
                    "SELECT seq FROM audit_log ORDER BY seq DESC LIMIT 1",
                    "SELECT id FROM scores WHERE cycle_id = 1 AND scope = 'aksi' AND subject_id = 2",
                    "SELECT l.id FROM report_lines l JOIN targets t ON t.id = l.target_id WHERE l.state = 'accepted'",
                ], on: app)
            #expect(scans.count == 3, "\(scans)")
            #expect(scans.first?.hasPrefix("SCAN t") == true)
            #expect(scans[1].contains("(cycle_id=?)"))
            #expect(scans.last?.contains("(state=?)") == true)
        }
    }
}
