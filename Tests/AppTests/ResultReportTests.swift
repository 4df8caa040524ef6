import Fluent
import Foundation
import StranasCore
import Testing
import VaporTesting

@testable import App

@Suite("Published triwulan reports", .serialized)
struct ResultReportTests {
    static let reason = "Angka sementara untuk rapat koordinasi nasional."

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
            // 5 April: TW I has ended but its window locks on 30 April, so publishing needs a reason.
            let published = try await cast.setnas.post(
                "/setnas/periode/2021-2022/capaian/1/terbitkan", [("alasan", Self.reason)], csrf: token)
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

    @Test("before the lock the check page states the coverage, and publishing without a reason is refused")
    func earlyNeedsReason() async throws {
        try await withJagaApp { app in
            var cast = try await ReportingFixture.submittedPair(app)
            let path = SiteURL.resultsPublish("2021-2022", 1)
            let check = try await cast.setnas.get(path)
            #expect(check.status == .ok)
            // Aceh sent its two lines of aksi 5; no other instansi has sent any.
            let coverage = try await ReportingCoverage.read(
                triwulanID: try #require(try await Triwulan.query(on: app.db).filter(\.$number == 1).first())
                    .requireID(),
                on: app.db)
            #expect(coverage.waiting == 2 && coverage.lagging > 0 && coverage.instansi > 1)
            let sentence =
                "\(coverage.lagging) dari \(coverage.instansi) instansi belum mengajukan semua barisnya; "
                + "batas waktu 15 April 2021"
            #expect(check.html.contains(sentence))
            #expect(check.html.contains("name=\"alasan\""))

            let token = try await cast.setnas.csrfToken(from: path)
            for reason in ["", "  cepat  "] {
                let refused = try await cast.setnas.post(path, [("alasan", reason)], csrf: token)
                #expect(refused.status == .unprocessableEntity)
                #expect(refused.html.contains("minimal 15 karakter"))
                #expect(refused.html.contains(sentence))
            }
            #expect(try await ResultSnapshot.query(on: app.db).count() == 0)

            let published = try await cast.setnas.post(path, [("alasan", Self.reason)], csrf: token)
            #expect(published.status == .seeOther)
            let entry = try #require(
                try await AuditEntry.query(on: app.db).filter(\.$action == "results.publish").first())
            #expect(entry.isPublic)
            #expect(entry.detail.contains("Alasan: \(Self.reason)"))
            #expect(entry.detail.contains("\(coverage.lagging) dari \(coverage.instansi) instansi belum mengajukan"))
            var visitor = TestBrowser(app)
            let report = try await visitor.get("/laporan-capaian/2021-2022/1")
            #expect(report.html.contains(Self.reason))
            // The demo plan's notice comes with the report and is frozen in its JSON.
            #expect(report.html.contains("notice--demo"))
            #expect(try await visitor.get("/laporan-capaian/2021-2022/1/json").html.contains("\"provenance\":"))
        }
    }

    @Test("an early publication from the English portal is stated in English and recorded in Bahasa Indonesia")
    func recordedInIndonesian() async throws {
        try await withJagaApp { app in
            // 5 July 2021: TW II ended on 30 June; its window locks on 31 July.
            app.clock = .fixed(reportingDay.addingTimeInterval(91 * 86_400))
            let account = try await makeAccount([.adminSetnas], instansi: nil, on: app)
            var setnas = TestBrowser(app)
            _ = try await setnas.signIn(account.email, account.password, totpSecret: account.totpSecret)
            _ = try await setnas.get("/bahasa/en?kembali=/beranda")
            let path = SiteURL.resultsPublish("2021-2022", 2)
            let check = try await setnas.get(path)
            #expect(check.html.contains("instansi have not submitted all their lines; deadline 15 July 2021"))
            let published = try await setnas.post(
                path, [("alasan", Self.reason)], csrf: try await setnas.csrfToken(from: path))
            #expect(published.status == .seeOther)
            let entry = try #require(
                try await AuditEntry.query(on: app.db).filter(\.$action == "results.publish").first())
            #expect(entry.detail.hasPrefix("Laporan Capaian Triwulan II Tahun 2021\n"))
            #expect(entry.detail.contains("Diterbitkan sebelum penguncian 31 Juli 2021; "))
            #expect(
                entry.detail.contains("instansi belum mengajukan semua barisnya; batas waktu 15 Juli 2021. Alasan: "))
        }
    }

    @Test("after the lock no reason is asked; the PDF printed from the print view is kept with its hash")
    func afterLockWithPDF() async throws {
        try await withJagaApp { app in
            var cast = try await ReportingFixture.submittedPair(app)
            let printed = PrintedPages()
            app.pdfRenderer = PDFRenderer { html in
                await printed.add(html)
                return try await PDFRenderer.standIn.render(html)
            }
            // 1 May 2021: TW I's window locked on 30 April. The fixture's sessions have ended by then: Setnas signs in.
            app.clock = .fixed(reportingDay.addingTimeInterval(26 * 86_400))
            let setnas = try await makeAccount([.adminSetnas], instansi: nil, on: app)
            cast.setnas = TestBrowser(app)
            _ = try await cast.setnas.signIn(setnas.email, setnas.password, totpSecret: setnas.totpSecret)
            let path = SiteURL.resultsPublish("2021-2022", 1)
            let check = try await cast.setnas.get(path)
            #expect(!check.html.contains("name=\"alasan\""))
            let published = try await cast.setnas.post(path, [], csrf: try await cast.setnas.csrfToken(from: path))
            #expect(published.location == "/laporan-capaian/2021-2022/1")

            let snapshot = try #require(try await ResultSnapshot.query(on: app.db).first())
            #expect(snapshot.earlyReason == nil)
            let pdfHash = try #require(snapshot.pdfSHA256)
            var visitor = TestBrowser(app)
            let report = try await visitor.get("/laporan-capaian/2021-2022/1")
            #expect(report.html.contains("PDF SHA-256 <code class=\"hash\">\(pdfHash)</code>"))
            let pdf = try await visitor.get("/laporan-capaian/2021-2022/1/pdf")
            #expect(pdf.headers.contentType == .pdf)
            #expect(BlobStore.sha256(Data(pdf.html.utf8)) == pdfHash)
            let entry = try #require(
                try await AuditEntry.query(on: app.db).filter(\.$action == "results.publish").first())
            #expect(entry.detail.contains("PDF SHA-256 \(pdfHash)"))
            // The open data API lists the PDF beside the JSON.
            let listed = try await visitor.get("/api/v1/cycles/2021-2022/snapshots")
            #expect(listed.html.contains("\"pdfSha256\":\"\(pdfHash)\""))
            #expect(listed.html.contains(#""pdfUrl":"/laporan-capaian/2021-2022/1/pdf""#))

            // The renderer was given the print view, self-contained, in Bahasa Indonesia, with the JSON's hash.
            let html = try #require(await printed.pages.first)
            #expect(html.contains("<html lang=\"id\">"))
            #expect(html.contains("<style>") && !html.contains("<link rel=\"stylesheet\""))
            #expect(html.contains("Sekretariat Nasional Pencegahan Korupsi"))
            #expect(html.contains(snapshot.sha256))
            #expect(html.contains("Data demo."))
            // The print view a reader opens is the same page with its stylesheet linked.
            let print = try await visitor.get("/laporan-capaian/2021-2022/1/cetak")
            #expect(print.html.contains("<link rel=\"stylesheet\" href=\"/css/report-print.css\">"))
            #expect(print.html.contains("Ringkasan"))
        }
    }

    @Test("a triwulan published by someone else while the PDF was printed is refused as published, not an error")
    func publishedMeanwhile() async throws {
        try await withJagaApp { app in
            var cast = try await ReportingFixture.submittedPair(app)
            let cycleID = try #require(try await Cycle.find(code: "2021-2022", on: app.db)?.requireID())
            app.pdfRenderer = PDFRenderer { html in
                // Another Admin Setnas's publication lands first.
                let other = ResultSnapshot()
                other.$cycle.id = cycleID
                other.triwulan = 1
                other.publishedAt = reportingDay
                other.publishedBy = "Admin lain"
                other.content = "{}"
                other.sha256 = String(repeating: "0", count: 64)
                try await other.create(on: app.db)
                return try await PDFRenderer.standIn.render(html)
            }
            let path = SiteURL.resultsPublish("2021-2022", 1)
            let refused = try await cast.setnas.post(
                path, [("alasan", Self.reason)], csrf: try await cast.setnas.csrfToken(from: path))
            #expect(refused.status == .conflict)
            #expect(refused.html.contains("sudah diterbitkan"))
            #expect(try await ResultSnapshot.query(on: app.db).count() == 1)
            #expect(try await AuditEntry.query(on: app.db).filter(\.$action == "results.publish").count() == 0)
        }
    }

    @Test("when the PDF cannot be printed nothing is published")
    func rendererFailure() async throws {
        try await withJagaApp { app in
            var cast = try await ReportingFixture.submittedPair(app)
            app.pdfRenderer = PDFRenderer { _ in throw PDFRenderer.Failed(description: "no browser") }
            let path = SiteURL.resultsPublish("2021-2022", 1)
            let refused = try await cast.setnas.post(
                path, [("alasan", Self.reason)], csrf: try await cast.setnas.csrfToken(from: path))
            #expect(refused.status == .serviceUnavailable)
            #expect(refused.html.contains("tidak ada yang dibekukan"))
            #expect(try await ResultSnapshot.query(on: app.db).count() == 0)
            #expect(try await AuditEntry.query(on: app.db).filter(\.$action == "results.publish").count() == 0)
        }
    }
}

/// The pages a test's PDF renderer was given.
actor PrintedPages {
    private(set) var pages: [String] = []
    func add(_ page: String) { self.pages.append(page) }
}
