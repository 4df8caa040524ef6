import Fluent
import Foundation
import StranasCore
import Testing
import VaporTesting

@testable import App

@Suite("Published triwulan reports", .serialized)
struct ResultReportTests {
    @Test("a published triwulan keeps its numbers and hash after a later verification; it cannot be published twice")
    func frozen() async throws {
        try await withJagaApp { app in
            var cast = try await ReportingFixture.cast(app)
            try await ScoreBook(database: app.db, today: app.clock.today).rebuild()
            // Aceh reports two lines; both reach Setnas; one is accepted before publication.
            for targetID in [cast.targetID, cast.otherTargetID] {
                _ = try await ReportingFixture.fill(&cast.unitTeknis, targetID, capaian: "1", narasi: "Tayang.")
            }
            _ = try await ReportingFixture.submitAll(&cast.focalPoint)
            let first = SiteURL.reportLine(cast.targetID)
            _ = try await cast.verifikator.post(
                first + "/tindakan", [("versi", "3"), ("tindakan", "accept"), ("nilai", "1")],
                csrf: try await cast.verifikator.csrfToken(from: first))

            let token = try await cast.setnas.csrfToken(from: "/setnas/periode/2021-2022")
            let notEnded = try await cast.setnas.post("/setnas/periode/2021-2022/capaian/2/terbitkan", [], csrf: token)
            #expect(notEnded.status == .conflict)
            let published = try await cast.setnas.post("/setnas/periode/2021-2022/capaian/1/terbitkan", [], csrf: token)
            #expect(published.location == "/laporan-capaian/2021-2022/1")

            var visitor = TestBrowser(app)
            let report = try await visitor.get("/laporan-capaian/2021-2022/1")
            #expect(report.html.contains("Laporan Capaian Triwulan I Tahun 2021"))
            let hash = try #require(firstCapture(#"SHA-256 <code class="hash">([0-9a-f]{64})</code>"#, in: report.html))
            let json = try await visitor.get("/laporan-capaian/2021-2022/1/json")
            #expect(BlobStore.sha256(Data(json.html.utf8)) == hash)
            #expect(try await visitor.get("/laporan-capaian").html.contains(hash))

            // A later verification moves the dashboard, not the published report.
            let dashboardBefore = try await ResultNumbers.read(
                cycle: try #require(try await Cycle.find(code: "2021-2022", on: app.db)), triwulan: 1, on: app.db,
                today: app.clock.today)
            let second = SiteURL.reportLine(cast.otherTargetID)
            let accepted = try await cast.verifikator.post(
                second + "/tindakan", [("versi", "3"), ("tindakan", "accept"), ("nilai", "1")],
                csrf: try await cast.verifikator.csrfToken(from: second))
            #expect(accepted.status == .seeOther)
            let dashboardAfter = try await ResultNumbers.read(
                cycle: try #require(try await Cycle.find(code: "2021-2022", on: app.db)), triwulan: 1, on: app.db,
                today: app.clock.today)
            #expect(dashboardAfter.series[0].verified != dashboardBefore.series[0].verified)
            // The report itself is unchanged (the footer's chain head moves with every change, as it should).
            func article(_ html: String) -> String? {
                firstCapture(#"(?s)(<article class="result-report">.*</article>)"#, in: html)
            }
            #expect(article(try await visitor.get("/laporan-capaian/2021-2022/1").html) == article(report.html))
            #expect(article(report.html) != nil)
            #expect(try await visitor.get("/laporan-capaian/2021-2022/1/json").html == json.html)

            let again = try await cast.setnas.post("/setnas/periode/2021-2022/capaian/1/terbitkan", [], csrf: token)
            #expect(again.status == .conflict)
            #expect(again.html.contains("sudah diterbitkan"))
            #expect(try await AuditEntry.query(on: app.db).filter(\.$action == "results.publish").count() == 1)
        }
    }
}
