import Fluent
import Foundation
import StranasCore
import Testing
import VaporTesting

@testable import App

@Suite("Cycle administration and plan import in the browser", .serialized)
struct CycleAdminTests {
    func signedInSetnas(_ app: Application) async throws -> TestBrowser {
        let setnas = try await makeAccount([.adminSetnas], on: app)
        var browser = TestBrowser(app)
        _ = try await browser.signIn(setnas.email, setnas.password, totpSecret: setnas.totpSecret)
        return browser
    }

    func newCycle(_ browser: inout TestBrowser) async throws -> TestBrowser.Page {
        let token = try await browser.csrfToken(from: "/setnas/periode")
        return try await browser.post("/setnas/periode", [("startYear", "2023"), ("name", "")], csrf: token)
    }

    @Test("Admin Setnas creates cycle 2023-2024 with eight default reporting windows; a second one is refused")
    func createCycle() async throws {
        try await withJagaApp { app in
            var browser = try await self.signedInSetnas(app)
            let created = try await self.newCycle(&browser)
            #expect(created.location == "/setnas/periode/2023-2024")
            let cycle = try #require(try await Cycle.query(on: app.db).filter(\.$code == "2023-2024").first())
            #expect(cycle.name == "Stranas PK 2023-2024")
            let windows = try await Triwulan.query(on: app.db).filter(\.$cycle.$id == cycle.requireID()).all()
            #expect(windows.count == 8)
            let page = try await browser.get("/setnas/periode/2023-2024")
            #expect(page.html.contains("Rencana periode ini belum berisi aksi."))
            #expect(page.html.contains("Terbitkan rencana"))

            let again = try await self.newCycle(&browser)
            #expect(again.status == .unprocessableEntity)
            #expect(again.html.contains("Periode 2023-2024 sudah ada."))
            let bad = try await browser.post(
                "/setnas/periode", [("startYear", "dua ribu")],
                csrf: try await browser.csrfToken(from: "/setnas/periode"))
            #expect(bad.html.contains("Tahun pertama harus berupa tahun"))
        }
    }

    @Test("importing a plan shows a preview first, changes nothing until applied, and applies exactly once")
    func importWithPreview() async throws {
        try await withJagaApp { app in
            var browser = try await self.signedInSetnas(app)
            _ = try await self.newCycle(&browser)
            let cycle = try #require(try await Cycle.query(on: app.db).filter(\.$code == "2023-2024").first())
            let file = try PlanImportTests.bundledPlan
            let token = try await browser.csrfToken(from: "/setnas/periode/2023-2024")

            let preview = try await browser.postFile(
                "/setnas/periode/2023-2024/impor", field: "file", fileName: "rencana.csv", content: file,
                fields: [("_csrf", token)])
            #expect(preview.status == .ok)
            #expect(preview.html.contains("Pratinjau impor: rencana.csv"))
            let plan = try PlanFile.read(
                file, knownInstansi: try await PlanStore(database: app.db).instansiIndex().references
            )
            .get()
            let expectedAdded =
                plan.fokus.count + plan.aksi.count + plan.outputs.count + plan.indicators.count
                + plan.assignments.count + plan.targets.count
            #expect(preview.html.contains("\(expectedAdded) ditambah, 0 diubah, 0 dihapus."))
            #expect(try await Aksi.query(on: app.db).filter(\.$cycle.$id == cycle.requireID()).count() == 0)

            let importID = try #require(firstCapture(#"/impor/(\d+)""#, in: preview.html))
            let applied = try await browser.post("/setnas/periode/2023-2024/impor/\(importID)", [], csrf: token)
            #expect(applied.location == "/setnas/periode/2023-2024?pesan=impor")
            #expect(try await Aksi.query(on: app.db).filter(\.$cycle.$id == cycle.requireID()).count() == 12)
            #expect(
                PlanFile.write(try await PlanStore(database: app.db).document(for: cycle))
                    == String(decoding: file, as: UTF8.self))

            let twice = try await browser.post("/setnas/periode/2023-2024/impor/\(importID)", [], csrf: token)
            #expect(twice.status == .notFound)
        }
    }

    @Test("a bad file is refused with line-numbered reasons in Indonesian, and the plan does not change")
    func badUpload() async throws {
        try await withJagaApp { app in
            var browser = try await self.signedInSetnas(app)
            _ = try await self.newCycle(&browser)
            let cycle = try #require(try await Cycle.query(on: app.db).filter(\.$code == "2023-2024").first())
            let good = String(decoding: try PlanImportTests.bundledPlan, as: UTF8.self)
            let broken = good.replacingOccurrences(of: "Provinsi Aceh,,1,", with: "Provinsi Atlantis,,1,")
            let token = try await browser.csrfToken(from: "/setnas/periode/2023-2024")
            let refused = try await browser.postFile(
                "/setnas/periode/2023-2024/impor", field: "file", fileName: "rusak.csv", content: Data(broken.utf8),
                fields: [("_csrf", token)])
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.html.contains("Berkas tidak diimpor; rencana tidak berubah."))
            #expect(refused.html.contains("instansi &quot;Provinsi Atlantis&quot; tidak dikenal."))
            #expect(refused.html.contains("Baris "))
            #expect(try await PlanStore(database: app.db).document(for: cycle) == PlanDocument())
            #expect(try await PlanImport.query(on: app.db).count() == 0)

            let missing = try await browser.postFile(
                "/setnas/periode/2023-2024/impor", field: "file", fileName: "kosong.csv", content: Data(),
                fields: [("_csrf", token)])
            #expect(missing.html.contains("Pilih berkas CSV untuk diunggah."))

            // An upload is a state-changing request like any other: no token, no import.
            let forged = try await browser.postFile(
                "/setnas/periode/2023-2024/impor", field: "file", fileName: "rencana.csv", content: Data(good.utf8),
                fields: [])
            #expect(forged.status == .forbidden)
        }
    }

    @Test("a published plan's structure is frozen: a file import is refused with the reason")
    func publishedIsFrozen() async throws {
        try await withJagaApp { app in
            var browser = try await self.signedInSetnas(app)
            let token = try await browser.csrfToken(from: "/setnas/periode/2021-2022")
            let refused = try await browser.postFile(
                "/setnas/periode/2021-2022/impor", field: "file", fileName: "rencana.csv",
                content: try PlanImportTests.bundledPlan, fields: [("_csrf", token)])
            #expect(refused.status == .conflict)
            #expect(refused.html.contains("Rencana periode ini sudah diterbitkan"))
        }
    }

    @Test("a draft cycle is hidden from the public until Admin Setnas publishes it")
    func publishing() async throws {
        try await withJagaApp { app in
            var browser = try await self.signedInSetnas(app)
            _ = try await self.newCycle(&browser)
            var visitor = TestBrowser(app)
            #expect(try await visitor.get("/?periode=2023-2024").status == .badRequest)
            let published = try await browser.post(
                "/setnas/periode/2023-2024/terbitkan", [],
                csrf: try await browser.csrfToken(from: "/setnas/periode/2023-2024"))
            #expect(published.location == "/setnas/periode/2023-2024?pesan=terbit")
            #expect(try await visitor.get("/?periode=2023-2024").status == .ok)
        }
    }

    @Test("after publication a target changes only with a written reason, and the public aksi page shows the revision")
    func revisionNeedsReason() async throws {
        try await withJagaApp { app in
            var browser = try await self.signedInSetnas(app)
            let aceh = try #require(try await Instansi.query(on: app.db).filter(\.$name == "Provinsi Aceh").first())
            let path = "/setnas/periode/2021-2022/target/5.1.1"
            let grid = try await browser.get(path)
            #expect(grid.status == .ok)
            let cell = "t_\(aceh.id!)_8"
            #expect(grid.html.contains("name=\"\(cell)\" value=\"1\""))
            // Send the grid back as shown, with one cell changed.
            let fields = formFields(matching: #"t_\d+_\d"#, in: grid.html).map { ($0.0, $0.0 == cell ? "2" : $0.1) }
            let token = try await browser.csrfToken(from: path)
            let noReason = try await browser.post(path, fields + [("reason", "koreksi")], csrf: token)
            #expect(noReason.status == .unprocessableEntity)
            #expect(noReason.html.contains("Tuliskan alasan perubahan"))
            #expect(noReason.html.contains("name=\"\(cell)\" value=\"2\""))
            #expect(try await TargetRevision.query(on: app.db).count() == 0)

            let reason = "Aceh menambah katalog kedua sesuai surat LKPP Desember 2022."
            let saved = try await browser.post(path, fields + [("reason", reason)], csrf: token)
            #expect(saved.location == path + "?pesan=tersimpan")
            let revision = try #require(try await TargetRevision.query(on: app.db).first())
            #expect(revision.oldValue == 1)
            #expect(revision.newValue == 2)
            #expect(revision.reason == reason)

            var visitor = TestBrowser(app)
            let page = try await visitor.get("/aksi/5")
            #expect(page.html.contains("Riwayat revisi target"))
            #expect(page.html.contains("Provinsi Aceh, TW IV 2022: 1 → 2"))
            #expect(page.html.contains(reason))
            let instansiPage = try await visitor.get("/instansi/\(aceh.id!)")
            #expect(instansiPage.html.contains("Indikator 5.1.1, TW IV 2022: 1 → 2"))
            #expect(instansiPage.html.contains(reason))

            let bad = try await browser.post(path, [(cell, "dua")] + [("reason", reason)], csrf: token)
            #expect(bad.status == .unprocessableEntity)
            #expect(bad.html.contains("“dua” bukan angka yang sah"))
        }
    }

    @Test("a save over someone else's newer change is refused with 409, naming their value and keeping the input")
    func staleGrid() async throws {
        try await withJagaApp { app in
            var browser = try await self.signedInSetnas(app)
            let aceh = try #require(try await Instansi.query(on: app.db).filter(\.$name == "Provinsi Aceh").first())
            let path = "/setnas/periode/2021-2022/target/5.1.1"
            let grid = try await browser.get(path)
            let fields = formFields(matching: #"(?:o_)?t_\d+_\d"#, in: grid.html)
            #expect(fields.contains { $0.0.hasPrefix("o_") })
            // Meanwhile someone else changes Aceh's TW 8 target.
            let target = try #require(
                try await Target.query(on: app.db).filter(\.$instansi.$id == aceh.id!)
                    .join(Indicator.self, on: \Target.$indicator.$id == \Indicator.$id)
                    .filter(Indicator.self, \.$code == "5.1.1")
                    .join(Triwulan.self, on: \Target.$triwulan.$id == \Triwulan.$id)
                    .filter(Triwulan.self, \.$number == 8).first())
            target.value = 3
            try await target.save(on: app.db)

            let mine = fields.map { $0.0 == "t_\(aceh.id!)_7" ? ($0.0, "1,5") : $0 }
            let stale = try await browser.post(
                path, mine + [("reason", "Penyesuaian jadwal katalog Aceh triwulan tiga.")],
                csrf: try await browser.csrfToken(from: path))
            #expect(stale.status == .conflict)
            #expect(stale.html.contains("Provinsi Aceh, TW IV 2022: sudah diubah orang lain"))
            #expect(stale.html.contains("nilainya sekarang 3"))
            #expect(stale.html.contains("name=\"t_\(aceh.id!)_7\" value=\"1,5\""))
            #expect(try await TargetRevision.query(on: app.db).count() == 0)
        }
    }

    @Test("each aksi gets one Verifikator Setnas; another role cannot be assigned")
    func verifikator() async throws {
        try await withJagaApp { app in
            var browser = try await self.signedInSetnas(app)
            let verifier = try await makeAccount([.verifikatorSetnas], on: app)
            let focal = try await makeAccount([.focalPoint], instansi: try await instansi("LKPP", on: app), on: app)
            let token = try await browser.csrfToken(from: "/setnas/periode/2021-2022")
            let done = try await browser.post(
                "/setnas/periode/2021-2022/verifikator", [("aksi", "5"), ("user", String(verifier.id))], csrf: token)
            #expect(done.location == "/setnas/periode/2021-2022?pesan=verifikator")
            let aksi5 = try #require(try await Aksi.query(on: app.db).filter(\.$number == 5).first())
            let assigned = try await VerifikatorAssignment.query(on: app.db).filter(\.$aksi.$id == aksi5.id!).all()
            #expect(assigned.map { $0.$user.id } == [verifier.id])

            let wrong = try await browser.post(
                "/setnas/periode/2021-2022/verifikator", [("aksi", "5"), ("user", String(focal.id))], csrf: token)
            #expect(wrong.status == .badRequest)
            #expect(try await VerifikatorAssignment.query(on: app.db).filter(\.$aksi.$id == aksi5.id!).count() == 1)
        }
    }

    @Test("reporting windows are saved when every date is valid and in order; otherwise nothing is, and input stays")
    func windows() async throws {
        try await withJagaApp { app in
            var browser = try await self.signedInSetnas(app)
            let token = try await browser.csrfToken(from: "/setnas/periode/2021-2022")
            var fields: [(String, String)] = []
            for number in 1...8 {
                fields += [
                    ("opens_\(number)", "2021-03-01"), ("due_\(number)", "2021-04-10"),
                    ("locks_\(number)", "2021-04-30"),
                ]
            }
            var wrong = fields
            wrong[4] = ("due_2", "2021-05-31")
            let refused = try await browser.post("/setnas/periode/2021-2022/jadwal", wrong, csrf: token)
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.html.contains("TW II 2021: tanggal dibuka, batas waktu dan dikunci harus berurutan."))
            #expect(refused.html.contains("value=\"2021-05-31\""))
            let first = try #require(try await Triwulan.query(on: app.db).filter(\.$number == 1).first())
            #expect(first.dueOn == "2021-04-15")

            let saved = try await browser.post("/setnas/periode/2021-2022/jadwal", fields, csrf: token)
            #expect(saved.location == "/setnas/periode/2021-2022?pesan=jadwal")
            let updated = try #require(try await Triwulan.query(on: app.db).filter(\.$number == 1).first())
            #expect(updated.dueOn == "2021-04-10")
        }
    }

    @Test(
        "a window save over someone else's newer change is refused with 409, naming their dates and keeping the input")
    func windowConflict() async throws {
        try await withJagaApp { app in
            var browser = try await self.signedInSetnas(app)
            let path = "/setnas/periode/2021-2022"
            let form = try await browser.get(path)
            // The form as shown, with the first window's due date moved.
            var fields = formFields(matching: #"(?:opens|due|locks|stored)_\d"#, in: form.html)
            #expect(fields.count == 32)
            fields = fields.map { $0.0 == "due_1" ? ($0.0, "2021-04-20") : $0 }
            // Meanwhile someone else moves the same window.
            let first = try #require(try await Triwulan.query(on: app.db).filter(\.$number == 1).first())
            first.dueOn = "2021-04-16"
            try await first.save(on: app.db)

            let refused = try await browser.post(
                path + "/jadwal", fields, csrf: try await browser.csrfToken(from: path))
            #expect(refused.status == .conflict)
            #expect(refused.html.contains("TW I 2021: jadwalnya sudah diubah orang lain"))
            #expect(refused.html.contains("batas 16 April 2021"))
            #expect(refused.html.contains("value=\"2021-04-20\""))
            let stored = try #require(try await Triwulan.query(on: app.db).filter(\.$number == 1).first())
            #expect(stored.dueOn == "2021-04-16")
            #expect(try await AuditEntry.query(on: app.db).count() == 0)

            // Saving again from the refreshed form (which now carries the new stored dates) goes through.
            let again = formFields(matching: #"(?:opens|due|locks|stored)_\d"#, in: refused.html)
            let saved = try await browser.post(path + "/jadwal", again, csrf: try await browser.csrfToken(from: path))
            #expect(saved.location == path + "?pesan=jadwal")
            #expect(try await Triwulan.query(on: app.db).filter(\.$number == 1).first()?.dueOn == "2021-04-20")
            let entry = try #require(try await AuditEntry.query(on: app.db).first())
            #expect(entry.action == "cycle.windows")
            #expect(
                entry.detail.contains(
                    "TW 1: 2021-03-01 / 2021-04-16 / 2021-04-30 → 2021-03-01 / 2021-04-20 / 2021-04-30"))
        }
    }

    @Test("the plan downloads as a CSV attachment identical to the command-line export")
    func download() async throws {
        try await withJagaApp { app in
            var browser = try await self.signedInSetnas(app)
            let page = try await browser.get("/setnas/periode/2021-2022/rencana.csv")
            #expect(page.status == .ok)
            #expect(page.headers.contentType?.subType == "csv")
            #expect(
                page.headers.first(name: .contentDisposition) == "attachment; filename=\"rencana-aksi-2021-2022.csv\"")
            #expect(page.html == String(decoding: try PlanImportTests.bundledPlan, as: UTF8.self))
            #expect(try await browser.get("/setnas/periode/1999-2000").status == .notFound)
        }
    }
}
