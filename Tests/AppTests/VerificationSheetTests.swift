import Fluent
import Foundation
import StranasCore
import Testing
import VaporTesting

@testable import App

/// A verifikator's spreadsheet round trip: the filtered queue downloaded, each row decided (accept with a value, or
/// return with a reason), uploaded, previewed, then applied all or nothing through the desk.
@Suite("A verifikator decides in a spreadsheet")
struct VerificationSheetTests {
    /// The downloaded file's rows, by column name.
    func rows(of csv: String) throws -> [[String: String]] {
        let table = try CSVTable.upload(
            Data(csv.utf8), maximumBytes: 1_000_000, columns: VerificationFile.columns, requiredColumns: [])
        return table.rows.map { row in
            Dictionary(uniqueKeysWithValues: VerificationFile.columns.map { ($0, row[$0]) })
        }
    }

    /// A decided file as an Indonesian spreadsheet saves it: semicolons, decimal commas.
    func decided(_ rows: [(id: Int, version: String, decision: String, value: String, note: String)]) -> Data {
        var lines = ["id_baris;versi;keputusan;nilai_terverifikasi;catatan"]
        lines += rows.map { "\($0.id);\($0.version);\($0.decision);\($0.value);\"\($0.note)\"" }
        return Data((lines.joined(separator: "\r\n") + "\r\n").utf8)
    }

    func upload(_ browser: inout TestBrowser, _ file: Data) async throws -> TestBrowser.Page {
        try await browser.postFile(
            SiteURL.verificationUpload(), field: "file", fileName: "keputusan.csv", content: file,
            fields: [("_csrf", try await browser.csrfToken(from: SiteURL.verificationQueue()))])
    }

    func line(_ targetID: Int, on app: Application) async throws -> ReportLine {
        try #require(try await ReportLine.query(on: app.db).filter(\.$target.$id == targetID).first())
    }

    @Test("the filtered queue downloads; decisions upload, preview, and apply with a version and entry per line")
    func roundTrip() async throws {
        try await withJagaApp { app in
            var cast = try await ReportingFixture.submittedPair(app)
            let queue = try await cast.verifikator.get(SiteURL.verificationQueue(query: [("aksi", "5")]))
            #expect(queue.html.contains("href=\"/verifikasi/keputusan.csv?aksi=5\""))
            let download = try await cast.verifikator.get(SiteURL.verificationFile(query: [("aksi", "5")]))
            #expect(download.headers.contentType?.subType == "csv")
            let rows = try self.rows(of: download.html)
            #expect(rows.map { $0["id_baris"] } == [String(cast.targetID), String(cast.otherTargetID)])
            #expect(rows.map { $0["capaian"] } == ["1", "2"])
            #expect(rows.allSatisfy { $0["keputusan"] == "" && $0["instansi"] == "Provinsi Aceh" })
            // A filter that keeps one line gives a file of one line.
            let filtered = try await cast.verifikator.get(SiteURL.verificationFile(query: [("cari", "5.2.1")]))
            #expect(try self.rows(of: filtered.html).map { $0["id_baris"] } == [String(cast.otherTargetID)])

            let file = self.decided([
                (cast.targetID, rows[0]["versi"]!, "terima", "0,5", "Bukti berita acara sesuai."),
                (cast.otherTargetID, rows[1]["versi"]!, "Kembalikan", "", "Foto kegiatan tidak menunjukkan tanggal."),
            ])
            let uploaded = try await self.upload(&cast.verifikator, file)
            #expect(uploaded.status == .seeOther)
            let previewPath = try #require(uploaded.location)
            let preview = try await cast.verifikator.get(previewPath)
            #expect(preview.html.contains("1 baris akan diterima dan 1 baris dikembalikan."))
            #expect(preview.html.contains("Klaim 1 → terverifikasi 0,5"))
            // The preview changes nothing.
            #expect(try await self.line(cast.targetID, on: app).state == .submitted)

            let applied = try await cast.verifikator.post(
                previewPath, [], csrf: try await cast.verifikator.csrfToken(from: previewPath))
            #expect(applied.location == SiteURL.verificationQueue(query: [("diputuskan", "2")]))
            let accepted = try await self.line(cast.targetID, on: app)
            #expect(accepted.state == .accepted && accepted.verifiedValue == 0.5)
            #expect(accepted.verificationNote == "Bukti berita acara sesuai.")
            let returned = try await self.line(cast.otherTargetID, on: app)
            #expect(returned.state == .returned && returned.returns == 1)
            #expect(returned.verificationNote == "Foto kegiatan tidak menunjukkan tanggal.")
            let entries = try await AuditEntry.query(on: app.db).all()
            #expect(entries.filter { $0.subject.hasSuffix(": accept") }.count == 1)
            #expect(entries.filter { $0.subject.hasSuffix(": return") }.count == 1)
            // Applied once: the same preview cannot be applied again.
            #expect(try await cast.verifikator.get(previewPath).status == .notFound)
            let after = try await cast.verifikator.get(try #require(applied.location))
            #expect(after.html.contains("2 baris diputuskan dari berkas"))
        }
    }

    @Test("one refused row refuses the file: every problem named with its row, no line changed")
    func allOrNothing() async throws {
        try await withJagaApp { app in
            var cast = try await ReportingFixture.submittedPair(app)
            let rows = try self.rows(of: try await cast.verifikator.get(SiteURL.verificationFile()).html)
            let file = self.decided([
                (cast.targetID, rows[0]["versi"]!, "terima", "", ""),
                (cast.otherTargetID, rows[1]["versi"]!, "kembalikan", "", "kurang"),
                (999_999, "1", "terima", "", ""),
                (cast.targetID + 0, "x", "mungkin", "-3", ""),
            ])
            let refused = try await self.upload(&cast.verifikator, file)
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.html.contains("tidak ada baris yang berubah"))
            #expect(refused.html.contains("Baris berkas 3 (5.2.1, Provinsi Aceh):"))
            #expect(refused.html.contains("id_baris 999999 bukan baris yang menunggu verifikasi Anda."))
            #expect(refused.html.contains("keputusan &quot;mungkin&quot; tidak dikenal"))
            #expect(refused.html.contains("nilai_terverifikasi &quot;-3&quot; bukan angka"))
            #expect(try await self.line(cast.targetID, on: app).state == .submitted)
            #expect(try await self.line(cast.otherTargetID, on: app).state == .submitted)
            #expect(try await VerificationImport.query(on: app.db).count() == 0)
        }
    }

    @Test("a line changed between preview and apply stops the whole file")
    func staleAtApply() async throws {
        try await withJagaApp { app in
            var cast = try await ReportingFixture.submittedPair(app)
            let rows = try self.rows(of: try await cast.verifikator.get(SiteURL.verificationFile()).html)
            let file = self.decided([
                (cast.targetID, rows[0]["versi"]!, "terima", "", ""),
                (cast.otherTargetID, rows[1]["versi"]!, "terima", "", ""),
            ])
            let previewPath = try #require(try await self.upload(&cast.verifikator, file).location)
            // Meanwhile the second line is accepted on its own page.
            let page = try await cast.verifikator.get(SiteURL.reportLine(cast.otherTargetID))
            let direct = try await cast.verifikator.post(
                SiteURL.reportLineAction(cast.otherTargetID),
                [("versi", ReportingFixture.version(page)), ("tindakan", "accept"), ("nilai", "2")],
                csrf: try await cast.verifikator.csrfToken(from: SiteURL.reportLine(cast.otherTargetID)))
            #expect(direct.status == .seeOther)
            let applied = try await cast.verifikator.post(
                previewPath, [], csrf: try await cast.verifikator.csrfToken(from: SiteURL.verificationQueue()))
            #expect(applied.status == .unprocessableEntity)
            #expect(applied.html.contains("berubah setelah berkas diunduh"))
            #expect(try await self.line(cast.targetID, on: app).state == .submitted)
        }
    }
}
