import Fluent
import Foundation
import StranasCore
import Testing
import VaporTesting

@testable import App

/// The verifikator's queue as a workbench: what waits, counted; filters that narrow it; each row with the indicator's
/// name, the claim beside the target, the evidence and the days waiting.
@Suite("The verifikator's queue")
struct VerificationQueueTests {
    @Test("the queue counts, filters and describes each waiting line; a value outside the choices is ignored")
    func filters() async throws {
        try await withJagaApp { app in
            var cast = try await ReportingFixture.cast(app)
            _ = try await ReportingFixture.fill(
                &cast.unitTeknis, cast.targetID, capaian: "1", narasi: "Katalog tayang.")
            _ = try await ReportingFixture.fill(&cast.unitTeknis, cast.otherTargetID, capaian: "2", narasi: "Rapat.")
            try await ReportingFixture.submitAll(&cast.focalPoint)
            let aceh = try #require(try await Instansi.query(on: app.db).filter(\.$name == "Provinsi Aceh").first())
            let indicator = try #require(try await Indicator.query(on: app.db).filter(\.$code == "5.1.1").first())

            let queue = try await cast.verifikator.get(SiteURL.verificationQueue())
            #expect(queue.html.contains("2 dari 2 baris yang menunggu Anda."))
            #expect(queue.html.contains(indicator.description))
            #expect(queue.html.contains("2 berkas, 1 tautan"))
            #expect(queue.html.contains("0 hari menunggu"))
            // Oldest first: the line submitted first comes first.
            let first = try #require(queue.html.range(of: SiteURL.reportLine(cast.targetID)))
            let second = try #require(queue.html.range(of: SiteURL.reportLine(cast.otherTargetID)))
            #expect(first.lowerBound < second.lowerBound)

            func shown(_ query: [(String, String?)]) async throws -> (String, Bool, Bool) {
                let page = try await cast.verifikator.get(SiteURL.verificationQueue(query: query))
                #expect(page.status == .ok)
                let summary = firstCapture(#"<p class="result-summary" role="status">([^<]+)</p>"#, in: page.html)
                return (
                    summary ?? "", page.html.contains(SiteURL.reportLine(cast.targetID)),
                    page.html.contains(SiteURL.reportLine(cast.otherTargetID))
                )
            }
            #expect(try await shown([("cari", "5.2.1")]) == ("1 dari 2 baris yang menunggu Anda.", false, true))
            #expect(try await shown([("cari", "provinsi aceh")]).0 == "2 dari 2 baris yang menunggu Anda.")
            #expect(try await shown([("jenis", "kl")]) == ("0 dari 2 baris yang menunggu Anda.", false, false))
            #expect(try await shown([("provinsi", String(try aceh.requireID()))]).0.hasPrefix("2 dari 2"))
            #expect(try await shown([("menunggu", "7")]).0.hasPrefix("0 dari 2"))
            #expect(try await shown([("triwulan", "1"), ("aksi", "5")]).0.hasPrefix("2 dari 2"))
            #expect(try await shown([("triwulan", "2")]).0.hasPrefix("0 dari 2"))
            // Values that are not choices are ignored rather than refused: the whole queue.
            #expect(try await shown([("triwulan", "99"), ("jenis", "x"), ("menunggu", "-1")]).0.hasPrefix("2 dari 2"))
        }
    }
}
