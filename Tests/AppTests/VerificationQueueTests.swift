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
            var cast = try await ReportingFixture.submittedPair(app)
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

    @Test("on the line, accepting is the primary action and returning a form of its own whose reason comes back")
    func lineActions() async throws {
        try await withJagaApp { app in
            var cast = try await ReportingFixture.cast(app)
            _ = try await ReportingFixture.fill(
                &cast.unitTeknis, cast.targetID, capaian: "1", narasi: "Katalog tayang.")
            try await ReportingFixture.submitAll(&cast.focalPoint)
            let path = SiteURL.reportLine(cast.targetID)
            let page = try await cast.verifikator.get(path)
            let forms = page.html.components(separatedBy: "<form ").filter {
                $0.contains(#"value="accept""#) || $0.contains(#"value="return""#)
            }
            // Two forms: one to accept (the primary button), one to return (quiet, with a required reason).
            #expect(forms.count == 2)
            #expect(forms.first { $0.contains(#"value="accept""#) }?.contains(#"class="button">"#) == true)
            let returning = try #require(forms.first { $0.contains(#"value="return""#) })
            #expect(!returning.contains(#"value="accept""#) && returning.contains("required"))
            #expect(returning.contains("button--quiet"))
            // Setnas's side of the discussion names the instansi it talks to; the instansi's names Setnas.
            #expect(page.html.contains("Diskusi dengan Provinsi Aceh"))
            #expect(try await cast.unitTeknis.get(path).html.contains("Diskusi dengan Setnas"))

            let short = "Kurang."
            let refused = try await cast.verifikator.post(
                SiteURL.reportLineAction(cast.targetID),
                [("versi", ReportingFixture.version(page)), ("tindakan", "return"), ("catatan", short)],
                csrf: try #require(firstCapture(#"name="_csrf" value="([^"]+)""#, in: page.html)))
            #expect(refused.status == .unprocessableEntity)
            #expect(firstCapture(#"<textarea id="alasan"[^>]*>([^<]*)</textarea>"#, in: refused.html) == short)
            #expect(firstCapture(#"<textarea id="catatan"[^>]*>([^<]*)</textarea>"#, in: refused.html) == "")
        }
    }

    @Test("\"and open the next line\" moves through the filtered queue, oldest first, and ends on the queue")
    func nextLine() async throws {
        try await withJagaApp { app in
            var cast = try await ReportingFixture.submittedPair(app)
            let filter: [(String, String?)] = [("cari", "aceh")]

            // The queue's rows lead to the line with the filters, and its verify forms post with them.
            let queue = try await cast.verifikator.get(SiteURL.verificationQueue(query: filter))
            let first = SiteURL.reportLine(cast.targetID, query: filter)
            #expect(queue.html.contains(#"href="\#(first)""#))
            let page = try await cast.verifikator.get(first)
            let action = SiteURL.reportLineAction(cast.targetID, query: filter)
            #expect(page.html.contains(#"action="\#(action)""#))
            #expect(page.html.contains(#"href="\#(SiteURL.verificationQueue(query: filter))""#))
            let token = try #require(firstCapture(#"name="_csrf" value="([^"]+)""#, in: page.html))

            let accepted = try await cast.verifikator.post(
                action, [("versi", ReportingFixture.version(page)), ("lanjut", "accept"), ("nilai", "1")], csrf: token)
            #expect(accepted.status == .seeOther)
            let next = SiteURL.reportLine(cast.otherTargetID, query: filter + [("pesan", "next_after_accept")])
            #expect(accepted.location == next)
            let nextPage = try await cast.verifikator.get(next)
            #expect(nextPage.html.contains("Baris sebelumnya diterima."))

            // The last line of the filtered queue: back to the queue, which says so.
            let returned = try await cast.verifikator.post(
                SiteURL.reportLineAction(cast.otherTargetID, query: filter),
                [
                    ("versi", ReportingFixture.version(nextPage)), ("lanjut", "return"),
                    ("catatan", "Notula rapat belum dilampirkan sebagai bukti."),
                ], csrf: token)
            let end = SiteURL.verificationQueue(query: filter + [("selesai", "return")])
            #expect(returned.location == end)
            #expect(try await cast.verifikator.get(end).html.contains("tidak ada lagi yang menunggu di sini"))
            let states = try await ReportLine.query(on: app.db).sort(\.$id).all().map(\.state)
            #expect(states == [.accepted, .returned])
        }
    }
}
