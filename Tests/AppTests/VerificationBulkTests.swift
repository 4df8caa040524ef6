import Fluent
import Foundation
import StranasCore
import Testing
import VaporTesting

@testable import App

/// Accepting many lines at once: chosen from the filtered queue, listed on a check page, each accepted at the version
/// listed with its claim as the verified value, through the desk, with the scores kept current.
@Suite("A verifikator accepts many lines at once")
struct VerificationBulkTests {
    func line(_ targetID: Int, on app: Application) async throws -> ReportLine {
        try #require(try await ReportLine.query(on: app.db).filter(\.$target.$id == targetID).first())
    }

    @Test("the filtered lines are listed, then accepted at their claims with a version each; the scores follow")
    func acceptsTheFilteredLines() async throws {
        try await withJagaApp { app in
            var cast = try await ReportingFixture.submittedPair(app)
            // The stored scores from scratch, so that the check below sees what the acceptance moved.
            let book = ScoreBook(database: app.db, today: app.clock.today)
            try await book.rebuild()
            let cycleID = try #require(try await Cycle.query(on: app.db).filter(\.$code == "2021-2022").first()?.id)
            let before = try await book.stored(cycleID: cycleID)
            let filter: [(String, String?)] = [("cari", "5.2.1")]
            let token = try await cast.verifikator.csrfToken(from: SiteURL.verificationQueue(query: filter))

            // Nothing chosen is an error on the queue, not an empty list.
            let empty = try await cast.verifikator.post(SiteURL.verificationCheck(query: filter), [], csrf: token)
            #expect(empty.status == .unprocessableEntity)
            #expect(empty.html.contains("Pilih sedikitnya satu baris dari antrean."))

            // "All the filters keep" is the one line of 5.2.1, and the check page changes nothing.
            let check = try await cast.verifikator.post(
                SiteURL.verificationCheck(query: filter), [("semua", "1")], csrf: token)
            #expect(check.status == .ok)
            #expect(check.html.contains("Terima 1 baris"))
            let listed = formFields(matching: #"diperiksa\[\]"#, in: check.html)
            #expect(listed.map(\.1) == ["\(cast.otherTargetID):3"])
            #expect(try await self.line(cast.otherTargetID, on: app).state == .submitted)

            let done = try await cast.verifikator.post(
                SiteURL.verificationAccept(query: filter), listed, csrf: token)
            #expect(done.status == .seeOther)
            #expect(done.location == SiteURL.verificationQueue(query: filter + [("diterima", "1")]))
            let accepted = try await self.line(cast.otherTargetID, on: app)
            #expect(accepted.state == .accepted && accepted.verifiedValue == 2 && accepted.version == 4)
            #expect(try await self.line(cast.targetID, on: app).state == .submitted)
            let versions = try await ReportVersion.query(on: app.db).filter(\.$line.$id == accepted.requireID())
                .filter(\.$action == .accept).count()
            #expect(versions == 1)
            let entries = try await AuditEntry.query(on: app.db).all().filter { $0.subject.hasSuffix(": accept") }
            #expect(entries.count == 1)
            // The stored scores moved with the acceptance: they equal a computation from the lines.
            let after = try await book.stored(cycleID: cycleID)
            #expect(after != before)
            #expect(after == (try await book.compute(cycleID: cycleID)))

            let queue = try await cast.verifikator.get(try #require(done.location))
            #expect(queue.html.contains("1 baris diterima"))
        }
    }

    @Test("a line that changed since the list was made is left as it is and named; the others are accepted")
    func changedLinesAreLeftOut() async throws {
        try await withJagaApp { app in
            var cast = try await ReportingFixture.submittedPair(app)
            let token = try await cast.verifikator.csrfToken(from: SiteURL.verificationQueue())
            let check = try await cast.verifikator.post(SiteURL.verificationCheck(), [("semua", "1")], csrf: token)
            #expect(check.html.contains("Terima 2 baris"))
            let listed = formFields(matching: #"diperiksa\[\]"#, in: check.html)
            #expect(listed.count == 2)

            // Meanwhile the other line is returned on its own page.
            let page = try await cast.verifikator.get(SiteURL.reportLine(cast.otherTargetID))
            let returned = try await cast.verifikator.post(
                SiteURL.reportLineAction(cast.otherTargetID),
                [
                    ("versi", ReportingFixture.version(page)), ("tindakan", "return"),
                    ("catatan", "Bukti rapat belum dilampirkan; lampirkan notulanya."),
                ], csrf: token)
            #expect(returned.status == .seeOther)

            let done = try await cast.verifikator.post(
                SiteURL.verificationAccept(), listed + [("diperiksa[]", "999999:1")], csrf: token)
            #expect(done.status == .conflict)
            #expect(done.html.contains("1 baris diterima"))
            #expect(done.html.contains("2 baris tidak diterima"))
            #expect(done.html.contains("5.2.1, Provinsi Aceh: "))
            #expect(done.html.contains("Baris laporan ini tidak ada"))
            #expect(try await self.line(cast.targetID, on: app).state == .accepted)
            #expect(try await self.line(cast.otherTargetID, on: app).state == .returned)
        }
    }
}
