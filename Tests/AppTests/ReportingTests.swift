import Fluent
import Foundation
import SQLKit
import StranasCore
import Testing
import VaporTesting

@testable import App

@Suite("Reporting and verification", .serialized)
struct ReportingTests {
    @Test("fill, review, submit, return with a reason, fix, resubmit, accept: every step kept and shown publicly")
    func wholeLoop() async throws {
        try await withJagaApp { app in
            var cast = try await ReportingFixture.cast(app)
            let path = SiteURL.reportLine(cast.targetID)
            let filled = try await ReportingFixture.fill(
                &cast.unitTeknis, cast.targetID, capaian: "1", narasi: "Katalog lokal tayang.")
            #expect(filled.location == path + "?pesan=submit_for_review")
            let line = try #require(
                try await ReportLine.query(on: app.db).filter(\.$target.$id == cast.targetID).first())
            #expect(line.state == .review)
            #expect(line.version == 1)

            // The Focal Point submits every reviewed line from the instansi's page.
            let report = try await cast.focalPoint.get("/laporan")
            #expect(report.html.contains("Laporan capaian TW I 2021"))
            let submitted = try await ReportingFixture.submitAll(&cast.focalPoint)
            let confirmation = try await cast.focalPoint.get(try #require(submitted.location))
            #expect(confirmation.html.contains("1 baris diajukan ke Setnas"))
            var stored = try #require(try await ReportLine.find(line.id, on: app.db))
            #expect(stored.state == .submitted)
            #expect(stored.timeliness == .onTime)

            // The verifikator finds it in the queue and returns it with a reason.
            let queue = try await cast.verifikator.get("/verifikasi")
            #expect(queue.html.contains(path))
            let token = try await cast.verifikator.csrfToken(from: path)
            let shortReason = try await cast.verifikator.post(
                path + "/tindakan", [("versi", "3"), ("tindakan", "return"), ("catatan", "kurang")], csrf: token)
            #expect(shortReason.status == .unprocessableEntity)
            #expect(shortReason.html.contains("Tuliskan alasan, paling sedikit 15 karakter."))
            let reason = "Berita acara belum ditandatangani kepala dinas."
            let returned = try await cast.verifikator.post(
                path + "/tindakan", [("versi", "3"), ("tindakan", "return"), ("catatan", reason)], csrf: token)
            #expect(returned.location == path + "?pesan=return")

            // The Unit Teknis sees the reason, fixes the line and resubmits it straight to Setnas.
            let fix = try await cast.unitTeknis.get(path)
            #expect(fix.html.contains(reason))
            let shaPDF = BlobStore.sha256(ReportingFixture.pdf)
            let shaPNG = BlobStore.sha256(ReportingFixture.png)
            let fixed = try await cast.unitTeknis.postMultipart(
                path,
                fields: [
                    ("_csrf", try #require(firstCapture(#"name="_csrf" value="([^"]+)""#, in: fix.html))),
                    ("versi", ReportingFixture.version(fix)), ("tindakan", "resubmit"), ("capaian", "1"),
                    ("narasi", "Katalog lokal tayang; berita acara ditandatangani."), ("simpan[]", shaPDF),
                    ("simpan[]", shaPNG), ("publik[]", shaPDF),
                ], files: [])
            #expect(fixed.location == path + "?pesan=resubmit")

            let accepted = try await cast.verifikator.post(
                path + "/tindakan",
                [("versi", "5"), ("tindakan", "accept"), ("nilai", "1"), ("catatan", "Sesuai bukti.")],
                csrf: try await cast.verifikator.csrfToken(from: path))
            #expect(accepted.location == path + "?pesan=accept")
            stored = try #require(try await ReportLine.find(line.id, on: app.db))
            #expect(stored.state == .accepted)
            #expect(stored.verifiedValue == 1)

            // Every save is a version; the history shows the changes.
            let versions = try await ReportVersion.query(on: app.db).filter(\.$line.$id == stored.requireID())
                .sort(\.$number).all()
            #expect(
                versions.map(\.action) == [
                    .submitForReview, .approveReview, .submitToSetnas, .return, .resubmit, .accept,
                ])
            let history = try await cast.unitTeknis.get(path)
            #expect(history.html.contains("narasi diubah"))
            #expect(history.html.contains("+ bukti berita-acara.pdf sha256 \(shaPDF) (publik)"))

            // The public aksi page shows the verified value and the public evidence with its hash; the PNG is not
            // public, so it is neither listed nor downloadable.
            var visitor = TestBrowser(app)
            let aksi = try await visitor.get("/aksi/5")
            #expect(aksi.html.contains("Capaian terverifikasi"))
            #expect(aksi.html.contains(shaPDF))
            #expect(!aksi.html.contains(shaPNG))
            let download = try await visitor.get(EvidenceController.url(sha256: shaPDF, targetID: cast.targetID))
            #expect(download.status == .ok)
            #expect(download.headers.first(name: .contentDisposition)?.contains("berita-acara.pdf") == true)
            #expect(download.headers.first(name: .contentType) == "application/pdf")
            let hidden = try await visitor.get(EvidenceController.url(sha256: shaPNG, targetID: cast.targetID))
            #expect(hidden.status == .notFound)
            #expect(
                try await cast.unitTeknis.get(EvidenceController.url(sha256: shaPNG, targetID: cast.targetID)).status
                    == .ok)
            let stored1 = try #require(try app.blobStore.read(shaPDF))
            #expect(stored1 == ReportingFixture.pdf)

            // The audit log holds every step, chained.
            let actions = try await AuditEntry.query(on: app.db).filter(\.$action == "report.line").sort(\.$sequence)
                .all()
            #expect(actions.count == 6)
            #expect(actions.filter(\.isPublic).count == 2)
            #expect(
                try await AuditTrail(database: app.db, clock: app.clock).verify()
                    == .success(
                        try await AuditTrail(database: app.db, clock: app.clock).head()))
        }
    }

    @Test(
        "a 25 MB file, an executable named .pdf and an empty file are refused with a clear reason; the narasi stays",
        arguments: ["too large", "executable", "empty"])
    func badUploads(_ case: String) async throws {
        try await withJagaApp { app in
            var cast = try await ReportingFixture.cast(app)
            let path = SiteURL.reportLine(cast.targetID)
            let page = try await cast.unitTeknis.get(path)
            let (name, bytes, message): (String, Data, String) =
                switch `case` {
                case "too large":
                    (
                        "laporan.pdf", Data("%PDF-1.7\n".utf8) + Data(count: 25 * 1024 * 1024),
                        "berukuran 25 MB; paling besar 20 MB"
                    )
                case "executable":
                    (
                        "laporan.pdf", Data([0x7F, 0x45, 0x4C, 0x46, 2, 1, 1, 0]) + Data(count: 4096),
                        "bukan PDF, PNG, JPEG"
                    )
                default:
                    ("kosong.pdf", Data(), "kosong (0 byte)")
                }
            let narasi = "Narasi panjang yang diketik dengan susah payah: \(`case`)."
            let refused = try await cast.unitTeknis.postMultipart(
                path,
                fields: [
                    ("_csrf", try #require(firstCapture(#"name="_csrf" value="([^"]+)""#, in: page.html))),
                    ("versi", ReportingFixture.version(page)), ("tindakan", "save"), ("capaian", "1"),
                    ("narasi", narasi),
                ],
                files: [("bukti[]", name, bytes), ("bukti[]", "foto.png", ReportingFixture.png)])
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.html.contains(message))
            #expect(refused.html.contains(narasi))
            // The good file in the same form is kept, ready to be attached.
            #expect(refused.html.contains("name=\"tertunda[]\""))
            #expect(try await ReportLine.query(on: app.db).filter(\.$target.$id == cast.targetID).count() == 0)
        }
    }

    @Test("a save from a stale page gets the conflict page with both versions; choosing mine then saves it")
    func staleSave() async throws {
        try await withJagaApp { app in
            var cast = try await ReportingFixture.cast(app)
            let path = SiteURL.reportLine(cast.targetID)
            let stale = try await cast.unitTeknis.get(path)
            // A colleague in the same instansi saves first.
            var colleague = cast.unitTeknis
            let colleaguePage = try await colleague.get(path)
            _ = try await colleague.postMultipart(
                path,
                fields: [
                    ("_csrf", try #require(firstCapture(#"name="_csrf" value="([^"]+)""#, in: colleaguePage.html))),
                    ("versi", "0"), ("tindakan", "save"), ("capaian", "1"), ("narasi", "Versi rekan kerja."),
                ], files: [])
            let conflict = try await cast.unitTeknis.postMultipart(
                path,
                fields: [
                    ("_csrf", try #require(firstCapture(#"name="_csrf" value="([^"]+)""#, in: stale.html))),
                    ("versi", ReportingFixture.version(stale)), ("tindakan", "save"), ("capaian", "0"),
                    ("narasi", "Versi saya."),
                ], files: [("bukti[]", "foto.png", ReportingFixture.png)])
            #expect(conflict.status == .conflict)
            #expect(conflict.html.contains("Dua perubahan pada baris yang sama"))
            #expect(conflict.html.contains("Versi rekan kerja."))
            #expect(conflict.html.contains("Versi saya."))
            var line = try #require(
                try await ReportLine.query(on: app.db).filter(\.$target.$id == cast.targetID).first())
            #expect(line.narasi == "Versi rekan kerja.")

            let mine = formFields(matching: #"[a-zA-Z_\[\]]+"#, in: conflict.html).filter { $0.0 != "_csrf" }
            let chosen = try await cast.unitTeknis.postMultipart(
                path,
                fields: mine + [
                    ("_csrf", try #require(firstCapture(#"name="_csrf" value="([^"]+)""#, in: conflict.html)))
                ],
                files: [])
            #expect(chosen.location == path + "?pesan=save")
            line = try #require(try await ReportLine.query(on: app.db).filter(\.$target.$id == cast.targetID).first())
            #expect(line.narasi == "Versi saya.")
            #expect(
                try await ReportDesk(database: app.db, clock: app.clock, actor: nil).currentEvidence(line).map(
                    \.fileName) == ["foto.png"])
        }
    }

    @Test("after the lock date the instansi cannot change a line; Admin Setnas reopens it with a reason")
    func lockAndReopen() async throws {
        try await withJagaApp { app in
            var cast = try await ReportingFixture.cast(app)
            let path = SiteURL.reportLine(cast.targetID)
            // Setnas moved TW I's lock day to yesterday (moving the clock instead would end everyone's session).
            let cycle = try #require(try await Cycle.find(code: "2021-2022", on: app.db))
            let first = try #require(
                try await Triwulan.query(on: app.db).filter(\.$cycle.$id == cycle.requireID()).filter(\.$number == 1)
                    .first())
            first.dueOn = "2021-04-01"
            first.locksOn = "2021-04-04"
            try await first.save(on: app.db)
            let page = try await cast.unitTeknis.get(path)
            #expect(page.html.contains("Terkunci"))
            #expect(!page.html.contains("id=\"isian\""))
            let refused = try await cast.unitTeknis.postMultipart(
                path,
                fields: [
                    ("_csrf", try #require(firstCapture(#"name="_csrf" value="([^"]+)""#, in: page.html))),
                    ("versi", "0"), ("tindakan", "save"), ("capaian", "1"), ("narasi", "Terlambat."),
                ], files: [])
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.html.contains("Baris ini sudah terkunci"))
            #expect(refused.html.contains("Terlambat."))
            #expect(try await ReportLine.query(on: app.db).count() == 0)

            let reopened = try await cast.setnas.post(
                path + "/tindakan",
                [("versi", "0"), ("tindakan", "reopen"), ("catatan", "Gangguan server daerah 28-30 April.")],
                csrf: try await cast.setnas.csrfToken(from: path))
            #expect(reopened.location == path + "?pesan=reopen")
            let open = try await cast.unitTeknis.get(path)
            #expect(open.html.contains("Dibuka kembali sampai 19 April 2021"))
            let saved = try await cast.unitTeknis.postMultipart(
                path,
                fields: [
                    ("_csrf", try #require(firstCapture(#"name="_csrf" value="([^"]+)""#, in: open.html))),
                    ("versi", ReportingFixture.version(open)), ("tindakan", "save"), ("capaian", "1"),
                    ("narasi", "Setelah dibuka."),
                ], files: [])
            #expect(saved.location == path + "?pesan=save")
        }
    }

    @Test("other instansi's staff cannot see a line; a verifikator of another aksi cannot verify it")
    func scope() async throws {
        try await withJagaApp { app in
            var cast = try await ReportingFixture.cast(app)
            _ = try await ReportingFixture.fill(&cast.unitTeknis, cast.targetID, capaian: "1", narasi: "Isi.")
            let lkpp = try await instansi("LKPP", on: app)
            let outsider = try await makeAccount([.unitTeknis], instansi: lkpp, on: app)
            var browser = TestBrowser(app)
            _ = try await browser.signIn(outsider.email, outsider.password)
            #expect(try await browser.get(SiteURL.reportLine(cast.targetID)).status == .notFound)

            let other = try await makeAccount([.verifikatorSetnas], on: app)
            var verifikator = TestBrowser(app)
            _ = try await verifikator.signIn(other.email, other.password, totpSecret: other.totpSecret)
            let path = SiteURL.reportLine(cast.targetID)
            #expect(try await verifikator.get(path).status == .notFound)

            // The line waits for verification; only its own aksi's verifikator may decide it.
            _ = try await ReportingFixture.submitAll(&cast.focalPoint)
            let accept = try await verifikator.post(
                path + "/tindakan", [("versi", "3"), ("tindakan", "accept"), ("nilai", "1")],
                csrf: try await verifikator.csrfToken(from: "/beranda"))
            #expect(accept.status == .notFound)
            let line = try #require(
                try await ReportLine.query(on: app.db).filter(\.$target.$id == cast.targetID).first())
            #expect(line.state == .submitted)
            #expect(line.verifiedValue == nil)
        }
    }

    @Test("changing one report audit row in the database makes `jaga audit verify` name that row")
    func tamperedReportAudit() async throws {
        try await withJagaApp { app in
            var cast = try await ReportingFixture.cast(app)
            _ = try await ReportingFixture.fill(&cast.unitTeknis, cast.targetID, capaian: "1", narasi: "Isi.")
            _ = try await ReportingFixture.fill(&cast.unitTeknis, cast.otherTargetID, capaian: "1", narasi: "Isi juga.")
            let entries = try await AuditEntry.query(on: app.db).sort(\.$sequence).all()
            #expect(entries.count == 2)
            try await (app.db as! any SQLDatabase).update("audit_log").set("detail", to: "capaian: – → 9")
                .where("seq", .equal, entries[0].sequence).run()
            do {
                _ = try await AuditVerifyCommand.check(app)
                Issue.record("a changed row passed")
            } catch let error as StartupError {
                #expect(error.description.contains("broken at entry \(entries[0].sequence)"))
            }
        }
    }
}
