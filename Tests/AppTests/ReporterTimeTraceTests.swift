import Fluent
import Foundation
import SQLKit
import StranasCore
import Testing
import VaporTesting

@testable import App

@Suite("A reporter can be dated to the day, never to the hour", .serialized)
struct ReporterTimeTraceTests {
    /// Every stored value that reads as a moment inside one of `days` but not at its 00:00 in Jakarta, with its place.
    static func moments(within days: [CalendarDate], in app: Application) async throws -> [String] {
        let sql = app.db as! any SQLDatabase
        let tables = try await TestDatabase.tables(app)
        let ranges = days.map { day -> (Date, Date) in
            let start = AuditTrail.midnight(of: day)
            return (start, start.addingTimeInterval(86_400))
        }
        // 00:00 in Jakarta (a day-dated entry) or 00:00 UTC (a calendar day stored as a date) say only the day.
        func isFine(_ moment: Date) -> Bool {
            let seconds = Int(moment.timeIntervalSince1970)
            if Double(seconds) == moment.timeIntervalSince1970
                && (seconds % 86_400 == 0 || (seconds + 7 * 3_600) % 86_400 == 0)
            {
                return true
            }
            return !ranges.contains { moment >= $0.0 && moment < $0.1 }
        }
        let fractional = ISO8601DateFormatter()
        fractional.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        let formats = [ISO8601DateFormatter(), fractional]
        var found: [String] = []
        for table in tables where table != "sqlite_sequence" {
            for row in try await sql.raw("SELECT * FROM \(ident: table)").all() {
                for column in row.allColumns {
                    if let date = try? row.decode(column: column, as: Date.self), !isFine(date) {
                        found.append("\(table).\(column) = \(date)")
                    } else if let number = try? row.decode(column: column, as: Double.self),
                        number > 1_000_000_000, !isFine(Date(timeIntervalSince1970: number))
                    {
                        found.append("\(table).\(column) = \(number)")
                    } else if let text = try? row.decode(column: column, as: String.self), text.count >= 19 {
                        let candidate = text.replacingOccurrences(of: " ", with: "T")
                        for format in formats {
                            if let date = format.date(from: candidate) ?? format.date(from: candidate + "Z"),
                                !isFine(date)
                            {
                                found.append("\(table).\(column) = \(text)")
                            }
                        }
                    }
                }
            }
        }
        return found
    }

    @Test("after a report, messages and a reopening, no table, file or public answer holds a time of the reporter")
    func noTimeFinerThanTheDay() async throws {
        try await withJagaApp { app in
            // setup: day 1 the reporter reports (with a file) and writes; day 2 Setnas and the instansi act; day 3 the
            // reporter reopens and writes again; day 4 the portal's scan runs.
            let clock = TestClock()
            clock.advance(by: 10 * 86_400)
            app.clock = clock.appClock
            let day1 = app.clock.today
            let head0 = try await AuditTrail(database: app.db, clock: app.clock).head()
            let (code, _, _) = try await PublicCaseTests().report(app)
            var reporter = TestBrowser(app)
            var token = try await reporter.csrfToken(from: "/lacak")
            clock.advance(by: 1_234.5)
            _ = try await reporter.post("/lacak/pesan", [("kode", code), ("isi", "Ada saksi kedua.")], csrf: token)
            // The public head does not move on the reporter's day.
            #expect(try await AuditTrail(database: app.db, clock: app.clock).head() == head0)
            var visitor = TestBrowser(app)
            let apiHead = try await visitor.get("/api/v1/audit/head")
            #expect(apiHead.html.contains("\"count\":\(head0.count)"))

            clock.advance(by: 86_400)
            try await ReminderScan(app: app).run()
            let desk = CaseDesk(app: app, database: app.db)
            let report = try #require(try await PublicCase.find(1, on: app.db))
            let setnas = CaseDesk.Actor(kind: .setnas, user: try await makeAccount([.adminSetnas], on: app).user)
            let aceh = try #require(try await Instansi.find(report.$instansi.id, on: app.db))
            let focal = try await makeAccount([.focalPoint], instansi: aceh, on: app).user
            _ = try await desk.take(.verify, on: report, by: setnas, note: nil, expectedVersion: report.version)
            _ = try await desk.take(.forward, on: report, by: setnas, note: nil, expectedVersion: report.version)
            _ = try await desk.take(
                .answer, on: report, by: .init(kind: .instansi, user: focal),
                note: "Petugas loket sudah diperiksa dan dipindahkan.", expectedVersion: report.version)

            clock.advance(by: 86_400 + 3_777)
            let day3 = app.clock.today
            let afterDay2 = try await AuditTrail(database: app.db, clock: app.clock).head()
            token = try await reporter.csrfToken(from: "/lacak")
            let fresh = try #require(try await PublicCase.find(1, on: app.db))
            let reopened = try await reporter.post(
                "/lacak/buka-kembali",
                [("kode", code), ("versi", String(fresh.version)), ("isi", "Petugas yang sama masih di loket.")],
                csrf: token)
            #expect(reopened.status == .ok)
            #expect(try await PublicCase.find(1, on: app.db)?.state == .diteruskan)
            #expect(try await AuditTrail(database: app.db, clock: app.clock).head() == afterDay2)
            // The reopening's notice to the instansi waits with its entry: no job carries the moment.
            #expect(try await Job.query(on: app.db).filter(\.$kind == JobKind.caseNotice.rawValue).count() == 1)

            // MUT: the next day's scan appends the waiting entries and enqueues the notice.
            clock.advance(by: 86_400)
            try await ReminderScan(app: app).run()

            // validate
            #expect(try await Job.query(on: app.db).filter(\.$kind == JobKind.caseNotice.rawValue).count() == 2)
            #expect(try await PendingAuditEntry.query(on: app.db).count() == 0)
            let traces = try await Self.moments(within: [day1, day3], in: app)
            #expect(traces.isEmpty, "\(traces)")
            let entries = try await AuditEntry.query(on: app.db).filter(\.$actor == "pelapor").sort(\.$sequence).all()
            #expect(entries.map(\.detail) == ["diterima", "pesan", "reopen"])
            #expect(entries.map(\.at) == [day1, day1, day3].map(AuditTrail.midnight(of:)))
            #expect((try? await AuditTrail(database: app.db, clock: app.clock).verify().get()) != nil)
            // No attachment was written to disk, where a file's times would keep the moment.
            let sealed = (app.config.dataDirectory as NSString).appendingPathComponent("sealed")
            #expect(((try? FileManager.default.contentsOfDirectory(atPath: sealed)) ?? []).isEmpty)
            let file = try #require(try await PublicCaseFile.query(on: app.db).first())
            #expect(try CaseDesk(app: app, database: app.db).content(of: file) == PublicCaseTests.attachment)
        }
    }
}
