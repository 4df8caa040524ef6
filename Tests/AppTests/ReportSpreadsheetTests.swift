import Fluent
import Foundation
import StranasCore
import Testing
import VaporTesting

@testable import App

@Suite("Report lines by spreadsheet", .serialized)
struct ReportSpreadsheetTests {
    static let query = "periode=2021-2022&triwulan=1"
    static let downloadPath = "/laporan/baris.csv?\(query)"
    static let uploadPath = "/laporan/unggah?\(query)"

    struct Setting {
        var unitTeknis: TestBrowser
        let account: TestAccount
        let aceh: Instansi
        /// Aceh's TW I 2021 targets, in plan order.
        let targets: [Target]
    }

    func setting(_ app: Application) async throws -> Setting {
        app.clock = .fixed(reportingDay)
        let aceh = try #require(try await Instansi.query(on: app.db).filter(\.$name == "Provinsi Aceh").first())
        let account = try await makeAccount([.unitTeknis], instansi: aceh, on: app)
        var browser = TestBrowser(app)
        _ = try await browser.signIn(account.email, account.password)
        let targets = try await Target.query(on: app.db).filter(\.$instansi.$id == aceh.requireID())
            .join(Triwulan.self, on: \Target.$triwulan.$id == \Triwulan.$id).filter(Triwulan.self, \.$number == 1)
            .with(\.$indicator).all()
            .sorted { PlanCode.precedes($0.indicator.code, $1.indicator.code) }
        #expect(targets.count >= 3)
        return Setting(unitTeknis: browser, account: account, aceh: aceh, targets: targets)
    }

    /// The downloaded file as rows of named fields.
    func rows(_ page: TestBrowser.Page) throws -> [[String: String]] {
        let table = try CSVTable(text: page.html)
        return table.rows.map { row in
            Dictionary(uniqueKeysWithValues: table.header.map { ($0, row[$0]) })
        }
    }

    /// A file as an Indonesian-locale spreadsheet saves it: semicolons, CRLF, no byte order mark.
    func semicolonFile(_ rows: [[String: String]]) -> Data {
        let columns = ReportLinesFile.columns
        func quote(_ field: String) -> String {
            field.contains(where: { $0 == ";" || $0 == "\"" || $0.isNewline })
                ? "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : field
        }
        let lines =
            [columns.joined(separator: ";")]
            + rows.map { row in
                columns.map { quote(row[$0] ?? "") }.joined(separator: ";")
            }
        return Data((lines.joined(separator: "\r\n") + "\r\n").utf8)
    }

    func upload(
        _ browser: inout TestBrowser, _ file: Data, name: String = "laporan.csv"
    ) async throws
        -> TestBrowser.Page
    {
        try await browser.postFile(
            Self.uploadPath, field: "file", fileName: name, content: file,
            fields: [("_csrf", try await browser.csrfToken(from: "/laporan?\(Self.query)"))])
    }

    func line(_ target: Target, on app: Application) async throws -> ReportLine? {
        try await ReportLine.query(on: app.db).filter(\.$target.$id == target.requireID()).first()
    }

    @Test("download the open lines, fill them in a spreadsheet, preview, apply: each line gets a version as on the web")
    func roundTrip() async throws {
        try await withJagaApp { app in
            var setting = try await self.setting(app)
            let report = try await setting.unitTeknis.get("/laporan?\(Self.query)")
            #expect(report.html.contains(#"href="\#(Self.downloadPath.replacingOccurrences(of: "&", with: "&amp;"))""#))
            #expect(report.html.contains(#"action="/laporan/unggah?periode=2021-2022&amp;triwulan=1""#))

            let download = try await setting.unitTeknis.get(Self.downloadPath)
            #expect(download.status == .ok)
            #expect(download.headers.first(name: .contentType) == "text/csv; charset=utf-8")
            #expect(download.headers.cacheControl?.noStore == true)
            #expect(
                download.headers.first(name: .contentDisposition)
                    == "attachment; filename=\"laporan-\(setting.aceh.id!)-2021-2022-tw1.csv\"")
            var rows = try self.rows(download)
            #expect(rows.map { $0["id_baris"] } == setting.targets.map { String($0.id!) })
            #expect(rows.allSatisfy { $0["versi"] == "0" && $0["status"] == "Belum diisi" && $0["capaian"] == "" })
            #expect(rows[0]["indikator"] == setting.targets[0].indicator.code)

            // Two lines filled, one of them sent to review; the rest left as they were.
            rows[0]["capaian"] = "12,5"
            rows[0]["narasi"] = "Rapat koordinasi; tiga kali.\nNotula terlampir."
            rows[0]["kirim"] = "ya"
            rows[1]["capaian"] = "4"
            rows[1]["tautan"] = "https://lpse.acehprov.go.id/a https://lpse.acehprov.go.id/b"
            let uploaded = try await self.upload(&setting.unitTeknis, self.semicolonFile(rows))
            let previewPath = try #require(uploaded.location)
            #expect(previewPath.hasPrefix("/laporan/unggah/"))
            #expect(try await self.line(setting.targets[0], on: app) == nil)

            let preview = try await setting.unitTeknis.get(previewPath)
            #expect(preview.status == .ok)
            #expect(preview.html.contains("2 baris akan berubah; \(rows.count - 2) baris di berkas tidak mengubah"))
            #expect(preview.html.contains("Simpan dan ajukan ke reviu instansi"))
            #expect(preview.html.contains("Simpan draf"))
            #expect(preview.html.contains("Capaian: – → 12,5"))
            #expect(preview.html.contains("Tautan bukti diubah"))
            #expect(try await self.line(setting.targets[0], on: app) == nil)

            let applied = try await setting.unitTeknis.post(
                previewPath, [], csrf: try #require(firstCapture(#"name="_csrf" value="([^"]+)""#, in: preview.html)))
            #expect(applied.location == "/laporan?\(Self.query)&diperbarui=2")
            let first = try #require(try await self.line(setting.targets[0], on: app))
            #expect(first.state == .review)
            #expect(first.capaian == 12.5)
            #expect(first.narasi == "Rapat koordinasi; tiga kali.\nNotula terlampir.")
            let second = try #require(try await self.line(setting.targets[1], on: app))
            #expect(second.state == .draft)
            #expect(second.links == "https://lpse.acehprov.go.id/a\nhttps://lpse.acehprov.go.id/b")
            #expect(try await self.line(setting.targets[2], on: app) == nil)
            let versions = try await ReportVersion.query(on: app.db).filter(\.$line.$id ~~ [first.id!, second.id!])
                .all()
            #expect(Set(versions.map(\.action)) == [.submitForReview, .save])
            #expect(versions.allSatisfy { $0.actor.hasPrefix("Test unit_teknis") && $0.number == 1 })
            #expect(try await AuditEntry.query(on: app.db).filter(\.$action == "report.line").count() == 2)

            let after = try await setting.unitTeknis.get(applied.location!)
            #expect(after.html.contains("2 baris diperbarui dari berkas."))
            #expect(
                try await setting.unitTeknis.get(SiteURL.reportLine(first.$target.id)).html.contains(
                    "Notula terlampir."))
            // Applied once only.
            let again = try await setting.unitTeknis.post(
                previewPath, [], csrf: try await setting.unitTeknis.csrfToken(from: "/laporan?\(Self.query)"))
            #expect(again.status == .notFound)

            // The same file again, with a third line filled: the two applied rows are now the lines' content (at a
            // newer version, one of them in review), so they change nothing and do not hold the third back.
            rows[0]["kirim"] = ""
            rows[2]["capaian"] = "1"
            let more = try await self.upload(&setting.unitTeknis, self.semicolonFile(rows))
            let morePreview = try await setting.unitTeknis.get(try #require(more.location))
            #expect(morePreview.html.contains("1 baris akan berubah; \(rows.count - 1) baris di berkas tidak mengubah"))

            // The next download has the draft at its new version and no longer the line under review.
            let next = try self.rows(try await setting.unitTeknis.get(Self.downloadPath))
            #expect(!next.contains { $0["id_baris"] == String(first.$target.id) })
            let draft = try #require(next.first { $0["id_baris"] == String(second.$target.id) })
            #expect(draft["versi"] == "1" && draft["capaian"] == "4" && draft["status"] == "Draf")
            #expect(draft["tautan"] == "https://lpse.acehprov.go.id/a\nhttps://lpse.acehprov.go.id/b")

            // Uploading the same file back changes nothing, and says so.
            let unchanged = try await self.upload(
                &setting.unitTeknis, Data(try await setting.unitTeknis.get(Self.downloadPath).html.utf8))
            #expect(unchanged.status == .ok)
            #expect(unchanged.html.contains("Berkas ini tidak mengubah baris mana pun."))
        }
    }

    @Test("one bad row refuses the whole file, named by its row and line, and no line changes")
    func oneBadRowRefusesAll() async throws {
        try await withJagaApp { app in
            var setting = try await self.setting(app)
            var rows = try self.rows(try await setting.unitTeknis.get(Self.downloadPath))
            rows[0]["capaian"] = "3"
            rows[1]["capaian"] = "banyak"
            rows[2]["tautan"] = "lpse.acehprov.go.id"
            let refused = try await self.upload(&setting.unitTeknis, self.semicolonFile(rows))
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.html.contains("tidak ada baris yang berubah"))
            #expect(
                refused.html.contains(
                    "Baris berkas 3: Capaian “banyak” harus berupa angka dari 0 sampai 1.000.000.000.000."))
            #expect(refused.html.contains("Baris berkas 4 (\(setting.targets[2].indicator.code)): Tautan"))
            #expect(try await ReportLine.query(on: app.db).count() == 0)
            #expect(try await ReportImport.query(on: app.db).count() == 0)

            // A line of another instansi.
            let bali = try #require(try await Instansi.query(on: app.db).filter(\.$name == "Provinsi Bali").first())
            let baliTarget = try #require(
                try await Target.query(on: app.db).filter(\.$instansi.$id == bali.requireID()).first())
            rows[1]["capaian"] = "1"
            rows[2]["tautan"] = ""
            rows[2]["id_baris"] = String(baliTarget.id!)
            let foreign = try await self.upload(&setting.unitTeknis, self.semicolonFile(rows))
            #expect(foreign.status == .unprocessableEntity)
            #expect(foreign.html.contains("id_baris \(baliTarget.id!) bukan baris instansi Anda pada triwulan ini."))
            #expect(try await ReportLine.query(on: app.db).count() == 0)

            // Sending on a line without capaian.
            rows[2]["id_baris"] = String(setting.targets[2].id!)
            rows[2]["kirim"] = "ya"
            let incomplete = try await self.upload(&setting.unitTeknis, self.semicolonFile(rows))
            #expect(incomplete.status == .unprocessableEntity)
            #expect(incomplete.html.contains("(\(setting.targets[2].indicator.code)): Isi capaian"))

            // Excel's plain "CSV" on Windows: not UTF-8.
            let windows =
                Data("id_baris;versi;capaian;narasi;kendala;tindak_lanjut;tautan\r\n".utf8)
                + Data("\(setting.targets[0].id!);0;1;Rapat ".utf8) + Data([0x93, 0x41, 0x94]) + Data(";;;\r\n".utf8)
            let notUTF8 = try await self.upload(&setting.unitTeknis, windows)
            #expect(notUTF8.status == .unprocessableEntity)
            #expect(notUTF8.html.contains("berkas bukan teks UTF-8. Simpan sebagai &quot;CSV UTF-8&quot;."))
            #expect(try await ReportLine.query(on: app.db).count() == 0)
        }
    }

    @Test("a line saved on the web after the download or after the preview refuses the whole file")
    func staleLinesRefuseAll() async throws {
        try await withJagaApp { app in
            var setting = try await self.setting(app)
            var rows = try self.rows(try await setting.unitTeknis.get(Self.downloadPath))
            rows[0]["capaian"] = "3"
            rows[1]["capaian"] = "5"
            let file = self.semicolonFile(rows)
            let uploaded = try await self.upload(&setting.unitTeknis, file)
            let previewPath = try #require(uploaded.location)
            let preview = try await setting.unitTeknis.get(previewPath)

            // Someone saves the second line on the web between the preview and "apply".
            let path = SiteURL.reportLine(setting.targets[1].id!)
            let form = try await setting.unitTeknis.get(path)
            let saved = try await setting.unitTeknis.postMultipart(
                path,
                fields: [
                    ("_csrf", try #require(firstCapture(#"name="_csrf" value="([^"]+)""#, in: form.html))),
                    ("versi", "0"), ("tindakan", "save"), ("capaian", "7"), ("narasi", "Diisi di web."),
                ], files: [])
            #expect(saved.status == .seeOther)
            let applied = try await setting.unitTeknis.post(
                previewPath, [], csrf: try #require(firstCapture(#"name="_csrf" value="([^"]+)""#, in: preview.html)))
            #expect(applied.status == .unprocessableEntity)
            #expect(
                applied.html.contains(
                    "Baris berkas 3 (\(setting.targets[1].indicator.code)): baris ini berubah setelah berkas diunduh "
                        + "(versi 0 di berkas, sekarang versi 1)"))
            // The first line, fine on its own, was not applied either; the web save stands.
            #expect(try await self.line(setting.targets[0], on: app) == nil)
            let web = try #require(try await self.line(setting.targets[1], on: app))
            #expect(web.capaian == 7 && web.version == 1)

            // Uploading the old file again is refused at once.
            let again = try await self.upload(&setting.unitTeknis, file)
            #expect(again.status == .unprocessableEntity)
            #expect(again.html.contains("versi 0 di berkas, sekarang versi 1"))
        }
    }

    @Test("a returned line sent on from the file goes back to Setnas; after the lock nothing is open")
    func returnedAndLocked() async throws {
        try await withJagaApp { app in
            var setting = try await self.setting(app)
            let target = setting.targets[0]
            let returned = ReportLine(targetID: try target.requireID(), now: app.clock.now())
            returned.state = .returned
            returned.capaian = 1
            returned.version = 3
            returned.firstSubmittedAt = app.clock.now()
            returned.returns = 1
            try await returned.save(on: app.db)

            var rows = try self.rows(try await setting.unitTeknis.get(Self.downloadPath))
            var row = try #require(rows.first { $0["id_baris"] == String(target.id!) })
            #expect(row["versi"] == "3" && row["status"] == "Perlu perbaikan" && row["capaian"] == "1")
            row["capaian"] = "2"
            row["kirim"] = "Ya"
            rows = [row]
            let uploaded = try await self.upload(&setting.unitTeknis, self.semicolonFile(rows))
            let preview = try await setting.unitTeknis.get(try #require(uploaded.location))
            #expect(preview.html.contains("Simpan dan ajukan ulang ke Setnas"))
            _ = try await setting.unitTeknis.post(
                uploaded.location!, [],
                csrf: try #require(firstCapture(#"name="_csrf" value="([^"]+)""#, in: preview.html)))
            let resubmitted = try #require(try await self.line(target, on: app))
            #expect(resubmitted.state == .submitted && resubmitted.capaian == 2 && resubmitted.version == 4)

            // After the lock day (30 April) the file has no lines, and an old file is refused as locked.
            let stale = [
                try #require(
                    try self.rows(try await setting.unitTeknis.get(Self.downloadPath)).first {
                        $0["id_baris"] == String(setting.targets[1].id!)
                    })
            ]
            app.clock = .fixed(reportingDay.addingTimeInterval(30 * 86_400))
            setting.unitTeknis = TestBrowser(app)
            _ = try await setting.unitTeknis.signIn(setting.account.email, setting.account.password)
            #expect(try self.rows(try await setting.unitTeknis.get(Self.downloadPath)).isEmpty)
            let lockedReport = try await setting.unitTeknis.get("/laporan?\(Self.query)")
            #expect(lockedReport.html.contains("Laporan capaian TW I 2021"))
            #expect(!lockedReport.html.contains("/laporan/baris.csv"))
            var late = stale
            late[0]["capaian"] = "9"
            let locked = try await self.upload(&setting.unitTeknis, self.semicolonFile(late))
            #expect(locked.status == .unprocessableEntity)
            #expect(locked.html.contains("terkunci"))
        }
    }

    @Test("the Focal Point downloads but cannot upload; another person's upload is not found")
    func access() async throws {
        try await withJagaApp { app in
            var setting = try await self.setting(app)
            let focal = try await makeAccount([.focalPoint], instansi: setting.aceh, on: app)
            var focalPoint = TestBrowser(app)
            _ = try await focalPoint.signIn(focal.email, focal.password, totpSecret: focal.totpSecret)
            let report = try await focalPoint.get("/laporan?\(Self.query)")
            #expect(report.html.contains("Unduh baris yang masih bisa diisi instansi (CSV)."))
            #expect(!report.html.contains("/laporan/unggah"))
            let download = try await focalPoint.get(Self.downloadPath)
            #expect(download.status == .ok)
            #expect(try self.rows(download).count == setting.targets.count)

            var rows = try self.rows(download)
            rows[0]["capaian"] = "1"
            let file = self.semicolonFile(rows)
            let refused = try await focalPoint.postFile(
                Self.uploadPath, field: "file", fileName: "f.csv", content: file,
                fields: [("_csrf", try await focalPoint.csrfToken(from: "/laporan?\(Self.query)"))])
            #expect(refused.status == .forbidden)

            let uploaded = try await self.upload(&setting.unitTeknis, file)
            let previewPath = try #require(uploaded.location)
            let colleague = try await makeAccount([.unitTeknis], instansi: setting.aceh, on: app)
            var other = TestBrowser(app)
            _ = try await other.signIn(colleague.email, colleague.password)
            #expect(try await other.get(previewPath).status == .notFound)

            var visitor = TestBrowser(app)
            #expect(try await visitor.get(Self.downloadPath).status == .seeOther)

            // The day's housekeeping keeps a fresh upload for its preview and forgets it after 14 days.
            try await ReminderScan(app: app).run()
            #expect(try await ReportImport.query(on: app.db).count() == 1)
            app.clock = .fixed(reportingDay.addingTimeInterval(15 * 86_400))
            try await ReminderScan(app: app).run()
            #expect(try await ReportImport.query(on: app.db).count() == 0)
        }
    }
}
