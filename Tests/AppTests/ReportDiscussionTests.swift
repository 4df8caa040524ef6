import Fluent
import Foundation
import StranasCore
import Testing
import VaporTesting

@testable import App

@Suite("A report line's private discussion", .serialized)
struct ReportDiscussionTests {
    @Test("the instansi and the verifikator talk on a line before it is filled; others cannot; empty is refused")
    func discussion() async throws {
        try await withJagaApp { app in
            // setup: Aceh's cast; nothing is filled in yet.
            var cast = try await ReportingFixture.cast(app)
            let path = SiteURL.reportLine(cast.targetID)
            let csrf = try await cast.unitTeknis.csrfToken(from: path)

            // MUT: the Unit Teknis asks, the verifikator answers.
            let asked = try await cast.unitTeknis.post(
                SiteURL.reportLineDiscussion(cast.targetID), [("isi", "Apakah notulen cukup sebagai bukti?")],
                csrf: csrf)
            #expect(asked.location == path + "?pesan=diskusi#diskusi")
            let answered = try await cast.verifikator.post(
                SiteURL.reportLineDiscussion(cast.targetID), [("isi", "Cukup, bila ditandatangani.")],
                csrf: try await cast.verifikator.csrfToken(from: path))
            #expect(answered.status == .seeOther)

            // validate: both see the thread, in order; the line exists as an empty draft and has no version.
            let page = try await cast.unitTeknis.get(path)
            let question = try #require(page.html.range(of: "Apakah notulen cukup sebagai bukti?"))
            let answer = try #require(page.html.range(of: "Cukup, bila ditandatangani."))
            #expect(question.lowerBound < answer.lowerBound)
            let line = try #require(
                try await ReportLine.query(on: app.db).filter(\.$target.$id == cast.targetID).first())
            #expect(line.version == 0 && line.state == .draft)
            #expect(try await ReportComment.query(on: app.db).count() == 2)

            // An empty or over-long message is refused with the form's words, and nothing is added.
            let empty = try await cast.unitTeknis.post(
                SiteURL.reportLineDiscussion(cast.targetID), [("isi", "   ")], csrf: csrf)
            #expect(empty.status == .unprocessableEntity)
            #expect(empty.html.contains("Pesan wajib diisi, paling panjang 4.000 karakter."))
            let long = try await cast.unitTeknis.post(
                SiteURL.reportLineDiscussion(cast.targetID), [("isi", String(repeating: "x", count: 4001))],
                csrf: csrf)
            #expect(long.status == .unprocessableEntity)
            #expect(try await ReportComment.query(on: app.db).count() == 2)

            // Someone of another instansi: the line does not exist for them.
            let bali = try #require(try await Instansi.query(on: app.db).filter(\.$name == "Provinsi Bali").first())
            let outsider = try await makeAccount([.unitTeknis], instansi: bali, on: app)
            var stranger = TestBrowser(app)
            _ = try await stranger.signIn(outsider.email, outsider.password)
            let refused = try await stranger.post(
                SiteURL.reportLineDiscussion(cast.targetID), [("isi", "Saya ikut bertanya.")],
                csrf: try await stranger.csrfToken(from: SiteURL.start()))
            #expect(refused.status == .notFound)
            #expect(try await ReportComment.query(on: app.db).count() == 2)
        }
    }
}
