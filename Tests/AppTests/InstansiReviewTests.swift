import Fluent
import Foundation
import StranasCore
import Testing
import VaporTesting

@testable import App

/// The instansi's own review before Setnas sees a line: the Admin Instansi or Focal Point approves it or sends it back
/// with a note, the Unit Teknis may take it back, and the Focal Point submits only reviewed lines, after checking them.
@Suite("The instansi's review and submission", .serialized)
struct InstansiReviewTests {
    static let submitPath = "/laporan/ajukan?periode=2021-2022&triwulan=1"
    static let checkPath = "/laporan/periksa?periode=2021-2022&triwulan=1"

    func line(_ targetID: Int, _ app: Application) async throws -> ReportLine {
        try #require(try await ReportLine.query(on: app.db).filter(\.$target.$id == targetID).first())
    }

    @Test("a draft or a line still waiting for review is neither offered nor submitted; a reviewed one is")
    func onlyReviewedLinesGo() async throws {
        try await withJagaApp { app in
            var cast = try await ReportingFixture.cast(app)
            _ = try await ReportingFixture.fill(&cast.unitTeknis, cast.targetID, capaian: "1", narasi: "Isi.")
            _ = try await ReportingFixture.save(
                &cast.unitTeknis, cast.otherTargetID, file: "a.pdf", ReportingFixture.pdf)

            let report = try await cast.focalPoint.get("/laporan")
            #expect(!report.html.contains(#"name="baris[]" value="\#(cast.targetID)""#))
            #expect(!report.html.contains(#"name="baris[]" value="\#(cast.otherTargetID)""#))
            // Posted anyway (an old page, a hand-made request): refused by name, nothing moves.
            let token = try await cast.focalPoint.csrfToken(from: "/laporan")
            let forced = try await cast.focalPoint.post(
                Self.submitPath, [("diperiksa[]", "\(cast.otherTargetID):1"), ("diperiksa[]", "\(cast.targetID):1")],
                csrf: token)
            #expect(forced.status == .unprocessableEntity)
            #expect(forced.html.contains("5.2.1"))
            #expect(try await self.line(cast.otherTargetID, app).state == .draft)
            #expect(try await self.line(cast.targetID, app).state == .review)

            // The Focal Point reviews the line: who and when are on the line for everyone who reads it.
            let path = SiteURL.reportLine(cast.targetID)
            let approved = try await cast.focalPoint.post(
                path + "/tindakan", [("versi", "1"), ("tindakan", "approve_review")],
                csrf: try await cast.focalPoint.csrfToken(from: path))
            #expect(approved.location == path + "?pesan=approve_review")
            let reviewed = try await self.line(cast.targetID, app)
            #expect(reviewed.state == .reviewed)
            #expect(reviewed.reviewer?.hasPrefix("Test focal_point-") == true)
            #expect(reviewed.reviewedAt == reportingDay)
            let seen = try await cast.unitTeknis.get(path)
            #expect(seen.html.contains("Sudah direviu"))
            #expect(seen.html.contains("Direviu oleh Test focal_point-"))

            let ready = try await cast.focalPoint.get("/laporan")
            #expect(ready.html.contains(#"name="baris[]" value="\#(cast.targetID)""#))
            #expect(!ready.html.contains(#"name="baris[]" value="\#(cast.otherTargetID)""#))
            #expect(ready.html.contains("Periksa semua yang sudah direviu (1)"))
        }
    }

    @Test("an empty choice is an error, on the check and on the submission, never a green “0 baris”")
    func emptyChoice() async throws {
        try await withJagaApp { app in
            var cast = try await ReportingFixture.cast(app)
            let token = try await cast.focalPoint.csrfToken(from: "/laporan")
            let check = try await cast.focalPoint.post(Self.checkPath, [], csrf: token)
            #expect(check.status == .unprocessableEntity)
            #expect(check.html.contains("Pilih sedikitnya satu baris yang sudah direviu."))
            #expect(!check.html.contains("0 baris diajukan"))
            let submit = try await cast.focalPoint.post(Self.submitPath, [], csrf: token)
            #expect(submit.status == .unprocessableEntity)
            #expect(submit.html.contains("Pilih sedikitnya satu baris yang sudah direviu."))
        }
    }

    @Test("a count of provinces is a whole number: 2,5 is refused with the reason, and the text typed stays")
    func countsAreWhole() async throws {
        try await withJagaApp { app in
            var cast = try await ReportingFixture.cast(app)
            let refused = try await ReportingFixture.fill(
                &cast.unitTeknis, cast.targetID, capaian: "2,5", narasi: "Isi.")
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.html.contains("dihitung dalam bilangan bulat: 2,5 bukan bilangan bulat"))
            #expect(refused.html.contains(#"value="2,5""#))
            let accepted = try await ReportingFixture.fill(
                &cast.unitTeknis, cast.targetID, capaian: "3", narasi: "Isi.")
            #expect(accepted.status == .seeOther)
        }
    }

    @Test("the check page lists the chosen lines, their values, evidence, gaps, what is not ready and the deadline")
    func checkYourAnswers() async throws {
        try await withJagaApp { app in
            var cast = try await ReportingFixture.cast(app)
            _ = try await ReportingFixture.fill(&cast.unitTeknis, cast.targetID, capaian: "1250", narasi: "Isi.")
            _ = try await ReportingFixture.save(
                &cast.unitTeknis, cast.otherTargetID, file: "a.pdf", ReportingFixture.pdf)
            let path = SiteURL.reportLine(cast.targetID)
            _ = try await cast.focalPoint.post(
                path + "/tindakan", [("versi", "1"), ("tindakan", "approve_review")],
                csrf: try await cast.focalPoint.csrfToken(from: path))

            let token = try await cast.focalPoint.csrfToken(from: "/laporan")
            let check = try await cast.focalPoint.post(Self.checkPath, [("semua", "1")], csrf: token)
            #expect(check.status == .ok)
            #expect(check.html.contains("Periksa sebelum mengajukan ke Setnas"))
            #expect(check.html.contains("5.1.1"))
            #expect(check.html.contains("1.250"))
            #expect(check.html.contains("2 berkas, 1 tautan"))
            #expect(check.html.contains("15 April 2021, 10 hari lagi"))
            // The other line is not ready, and says why.
            #expect(check.html.contains("Belum ikut diajukan"))
            #expect(check.html.contains("5.2.1"))
            #expect(check.html.contains("Ajukan 1 baris ke Setnas"))
            // Nothing moved yet.
            #expect(try await self.line(cast.targetID, app).state == .reviewed)

            let confirmed = try await cast.focalPoint.post(
                Self.submitPath, formFields(matching: #"diperiksa\[\]"#, in: check.html),
                csrf: try #require(firstCapture(#"name="_csrf" value="([^"]+)""#, in: check.html)))
            #expect(confirmed.location == "/laporan?periode=2021-2022&triwulan=1&diajukan=1")
            #expect(try await self.line(cast.targetID, app).state == .submitted)
            let panel = try await cast.focalPoint.get(try #require(confirmed.location))
            #expect(panel.html.contains("1 baris diajukan ke Setnas"))
            #expect(panel.html.contains("Apa yang terjadi selanjutnya"))
        }
    }

    @Test("a line that changed after it was checked is not submitted, and neither is the rest of the choice")
    func changedAfterCheck() async throws {
        try await withJagaApp { app in
            var cast = try await ReportingFixture.cast(app)
            for id in [cast.targetID, cast.otherTargetID] {
                _ = try await ReportingFixture.fill(&cast.unitTeknis, id, capaian: "1", narasi: "Isi.")
                let path = SiteURL.reportLine(id)
                _ = try await cast.focalPoint.post(
                    path + "/tindakan", [("versi", "1"), ("tindakan", "approve_review")],
                    csrf: try await cast.focalPoint.csrfToken(from: path))
            }
            let check = try await cast.focalPoint.post(
                Self.checkPath, [("semua", "1")], csrf: try await cast.focalPoint.csrfToken(from: "/laporan"))
            // Meanwhile the Unit Teknis takes one back.
            let other = SiteURL.reportLine(cast.otherTargetID)
            let withdrawn = try await cast.unitTeknis.post(
                other + "/tindakan", [("versi", "2"), ("tindakan", "withdraw")],
                csrf: try await cast.unitTeknis.csrfToken(from: other))
            #expect(withdrawn.location == other + "?pesan=withdraw")
            let refused = try await cast.focalPoint.post(
                Self.submitPath, formFields(matching: #"diperiksa\[\]"#, in: check.html),
                csrf: try #require(firstCapture(#"name="_csrf" value="([^"]+)""#, in: check.html)))
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.html.contains("5.2.1"))
            #expect(refused.html.contains("Tidak ada baris yang diajukan"))
            #expect(try await self.line(cast.targetID, app).state == .reviewed)
            #expect(try await self.line(cast.otherTargetID, app).state == .draft)
        }
    }

    @Test("sending back needs a note; the note is a banner on the line and a notice to the line's author")
    func sendBackWithNote() async throws {
        try await withJagaApp { app in
            var cast = try await ReportingFixture.cast(app)
            let aceh = try #require(try await Instansi.query(on: app.db).filter(\.$name == "Provinsi Aceh").first())
            let admin = try await makeAccount([.adminInstansi], instansi: aceh, on: app)
            var reviewer = TestBrowser(app)
            _ = try await reviewer.signIn(admin.email, admin.password, totpSecret: admin.totpSecret)
            _ = try await ReportingFixture.fill(&cast.unitTeknis, cast.targetID, capaian: "1", narasi: "Isi.")
            let path = SiteURL.reportLine(cast.targetID)
            let page = try await reviewer.get(path)
            #expect(page.html.contains("Setujui hasil reviu"))
            let token = try await reviewer.csrfToken(from: path)
            let bare = try await reviewer.post(
                path + "/tindakan", [("versi", "1"), ("tindakan", "send_back")], csrf: token)
            #expect(bare.status == .unprocessableEntity)
            #expect(bare.html.contains("Tuliskan alasan, paling sedikit 15 karakter."))
            #expect(try await self.line(cast.targetID, app).state == .review)

            let note = "Angka capaian tidak cocok dengan berita acara; periksa lagi."
            let sent = try await reviewer.post(
                path + "/tindakan", [("versi", "1"), ("tindakan", "send_back"), ("catatan", note)], csrf: token)
            #expect(sent.location == path + "?pesan=send_back")
            let line = try await self.line(cast.targetID, app)
            #expect(line.state == .draft)
            #expect(line.reviewNote == note)

            let banner = try await cast.unitTeknis.get(path)
            #expect(banner.html.contains("notice-inline--returned"))
            #expect(banner.html.contains("Dikembalikan ke draf oleh Test admin_instansi-"))
            #expect(banner.html.contains(note))

            try await JobRunner(app: app).runDue()
            let notices = try await Notice.query(on: app.db).filter(\.$topic == .lineSentBack).all()
            #expect(notices.count == 1)
            #expect(notices.first?.$user.id == cast.unitTeknisID)
            #expect(notices.first?.body.contains(note) == true)
            #expect(notices.first?.link == path)
        }
    }

    @Test("the author takes a line back from review; nobody else may")
    func withdraw() async throws {
        try await withJagaApp { app in
            var cast = try await ReportingFixture.cast(app)
            _ = try await ReportingFixture.fill(&cast.unitTeknis, cast.targetID, capaian: "1", narasi: "Isi.")
            let path = SiteURL.reportLine(cast.targetID)
            let page = try await cast.unitTeknis.get(path)
            #expect(page.html.contains("Tarik dari reviu"))
            let byFocal = try await cast.focalPoint.post(
                path + "/tindakan", [("versi", "1"), ("tindakan", "withdraw")],
                csrf: try await cast.focalPoint.csrfToken(from: path))
            #expect(byFocal.status == .forbidden)
            let taken = try await cast.unitTeknis.post(
                path + "/tindakan", [("versi", "1"), ("tindakan", "withdraw")],
                csrf: try await cast.unitTeknis.csrfToken(from: path))
            #expect(taken.location == path + "?pesan=withdraw")
            #expect(try await self.line(cast.targetID, app).state == .draft)
            let editable = try await cast.unitTeknis.get(path)
            #expect(editable.html.contains(#"id="isian""#))
        }
    }
}
