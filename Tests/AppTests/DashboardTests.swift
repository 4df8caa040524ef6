import Fluent
import Foundation
import StranasCore
import Testing
import VaporTesting

@testable import App

@Suite("The public dashboard", .serialized)
struct DashboardTests {
    @Test("a verification moves the national score, the aksi and the instansi ranking, and the CSV says the same")
    func verificationShows() async throws {
        try await withJagaApp { app in
            var cast = try await ReportingFixture.cast(app)
            try await ScoreBook(database: app.db, today: app.clock.today).rebuild()
            var visitor = TestBrowser(app)
            let before = try await visitor.get("/dasbor?triwulan=1")
            #expect(before.status == .ok)
            #expect(before.html.contains("Capaian nasional pada akhir Maret 2021 (TW I)"))
            #expect(before.html.contains("<svg class=\"chart\""))
            // The tile map has one tile per province.
            #expect(before.html.components(separatedBy: "<g class=\"tile ").count - 1 == 34)

            // Aceh reports 5.1.1 for TW I; the focal point submits; the verifikator accepts it.
            let path = SiteURL.reportLine(cast.targetID)
            _ = try await ReportingFixture.fill(&cast.unitTeknis, cast.targetID, capaian: "1", narasi: "Tayang.")
            _ = try await ReportingFixture.submitAll(&cast.focalPoint)
            let accepted = try await cast.verifikator.post(
                path + "/tindakan", [("versi", "3"), ("tindakan", "accept"), ("nilai", "1")],
                csrf: try await cast.verifikator.csrfToken(from: path))
            #expect(accepted.location == path + "?pesan=accept")
            // The public change log names the decision and the states in the reader's words, not the chain's codes.
            let log = try await visitor.get("/jejak")
            #expect(log.html.contains("status: Diajukan ke Setnas → Diterima"))
            #expect(log.html.contains(": Terima</"))
            #expect(!log.html.contains("submitted → accepted") && !log.html.contains(": accept</"))

            let cycle = try #require(try await Cycle.find(code: "2021-2022", on: app.db))
            let numbers = try await ResultNumbers.read(cycle: cycle, triwulan: 1, on: app.db, today: app.clock.today)
            let national = try #require(numbers.series[0].verified)
            #expect(national > 0)
            let acehLine = try #require(numbers.rankings.first { $0.kind == .provinsi }?.lines.first)
            #expect(acehLine.name == "Provinsi Aceh")
            #expect(acehLine.rank == 1)

            let after = try await visitor.get("/dasbor?triwulan=1")
            let shown = app.locales.displayFormat(.id).number(national * 100) + "%"
            #expect(after.html.contains("score-big band band--"))
            #expect(after.html.contains(shown))
            #expect(after.html.contains("Provinsi Aceh"))

            let csv = try await visitor.get("/dasbor/data.csv?periode=2021-2022&triwulan=1&tabel=nasional")
            #expect(csv.headers.first(name: .contentDisposition)?.contains("dasbor-2021-2022-tw1-nasional.csv") == true)
            let firstRow = try #require(csv.html.split(separator: "\n").dropFirst().first)
            #expect(firstRow.hasPrefix("B03,1,\(PlanFile.format((national * 10_000).rounded() / 100)),"))
            let ranking = try await visitor.get("/dasbor/data.csv?periode=2021-2022&triwulan=1&tabel=peringkat")
            #expect(ranking.html.contains("provinsi,1,Provinsi Aceh,"))
            // The instansi scorecard and its CSV, and the aksi page's breakdown, show Aceh's score.
            let aceh = try #require(try await Instansi.query(on: app.db).filter(\.$name == "Provinsi Aceh").first())
            let acehVerified = try #require(acehLine.verified)
            let acehShown = app.locales.displayFormat(.id).number(acehVerified * 100) + "%"
            let tile = app.locales.displayFormat(.id).number(acehVerified * 100, maximumFractionDigits: 0) + "%"
            #expect(after.html.contains("<title>Provinsi Aceh: \(tile)</title>"))
            let card = try await visitor.get("/instansi/\(aceh.id!)")
            #expect(card.html.contains("Rapor capaian pada akhir TW I 2021"))
            #expect(card.html.contains(acehShown))
            let cardCSV = try await visitor.get("/instansi/\(aceh.id!)/rapor.csv?periode=2021-2022&triwulan=1")
            #expect(
                cardCSV.html.contains("triwulan,TW I 2021,\(PlanFile.format((acehVerified * 10_000).rounded() / 100)),")
            )
            let aksiPage = try await visitor.get("/aksi/5")
            #expect(aksiPage.html.contains("Skor setiap instansi dalam aksi ini"))
            #expect(
                aksiPage.html.contains(
                    #"Provinsi Aceh</span></th><td class="num" data-label="Terverifikasi"><span class="band band--"#))
            // ... and its CSV, linked from the table.
            #expect(aksiPage.html.contains(#"href="/aksi/5/skor.csv?periode=2021-2022" download"#))
            let aksiCSV = try await visitor.get("/aksi/5/skor.csv?periode=2021-2022")
            #expect(aksiCSV.headers.first(name: .contentDisposition)?.contains("skor-aksi-5-2021-2022-tw1.csv") == true)
            let aksiRows = aksiCSV.html.split(separator: "\n")
            #expect(aksiRows.first == "bagian,nama,terverifikasi_persen,klaim_instansi_persen")
            #expect(aksiRows.dropFirst().first?.hasPrefix("aksi,") == true)
            // Aceh's score in the aksi, as the page shows it with a decimal comma.
            let acehInAksi = try #require(
                firstCapture(
                    #"Provinsi Aceh</span></th><td class="num" data-label="Terverifikasi"><span class="band band--\w+">([0-9,]+)%"#,
                    in: aksiPage.html))
            #expect(
                aksiRows.contains {
                    $0.hasPrefix("instansi,Provinsi Aceh,\(acehInAksi.replacingOccurrences(of: ",", with: ".")),")
                },
                "\(aksiRows)")
            #expect(try await visitor.get("/aksi/99/skor.csv?periode=2021-2022").status == .notFound)
            // Non-public detail: Setnas sees claims waiting and returns with reasons; the public does not.
            let other = SiteURL.reportLine(cast.otherTargetID)
            _ = try await ReportingFixture.fill(&cast.unitTeknis, cast.otherTargetID, capaian: "1", narasi: "Isi.")
            _ = try await ReportingFixture.submitAll(&cast.focalPoint)
            let reason = "Notulen rapat belum dilampirkan pada baris ini."
            _ = try await cast.verifikator.post(
                other + "/tindakan", [("versi", "3"), ("tindakan", "return"), ("catatan", reason)],
                csrf: try await cast.verifikator.csrfToken(from: other))
            let setnasView = try await cast.setnas.get("/dasbor?triwulan=1")
            #expect(setnasView.html.contains("Detail non-publik"))
            #expect(setnasView.html.contains("Dikembalikan untuk perbaikan: 1 baris"))
            #expect(setnasView.html.contains(reason))
            #expect(!(try await visitor.get("/dasbor?triwulan=1").html.contains("Detail non-publik")))
            #expect(try await visitor.get("/dasbor/data.csv?tabel=rahasia").status == .badRequest)
            #expect(try await visitor.get("/dasbor?triwulan=9").status == .badRequest)
        }
    }
}
