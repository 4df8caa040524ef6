import Fluent
import Foundation
import StranasCore
import Testing
import VaporTesting

@testable import App

@Suite("Building a draft plan item by item", .serialized)
struct PlanTreeTests {
    static let tree = "/setnas/periode/2023-2024/rencana"

    /// Signs in as Admin Setnas and creates the empty draft cycle 2023-2024.
    func draft(_ app: Application) async throws -> TestBrowser {
        let admin = CycleAdminTests()
        var browser = try await admin.signedInSetnas(app)
        _ = try await admin.newCycle(&browser)
        return browser
    }

    /// Posts a form of `page`, with the plan version the page carries.
    func submit(
        _ browser: inout TestBrowser, _ path: String, from page: String, _ fields: [(String, String)]
    ) async throws -> TestBrowser.Page {
        let shown = try await browser.get(page)
        let version = try #require(firstCapture(#"name="versi" value="([0-9a-f]+)""#, in: shown.html))
        return try await browser.post(
            path, fields + [("versi", version)], csrf: try await browser.csrfToken(from: page))
    }

    func document(_ app: Application) async throws -> PlanDocument {
        let cycle = try #require(try await Cycle.find(code: "2023-2024", on: app.db))
        return try await PlanStore(database: app.db).document(for: cycle)
    }

    /// One fokus, one aksi, one output with one indicator, through the forms.
    func buildSmallPlan(_ browser: inout TestBrowser) async throws {
        let tree = Self.tree
        var page = try await self.submit(
            &browser, tree + "/fokus/baru", from: tree + "/fokus/baru", [("judul", "Perizinan dan Tata Niaga")])
        #expect(page.location == tree + "?pesan=tersimpan#fokus-1")
        page = try await self.submit(
            &browser, tree + "/aksi/baru", from: tree + "/aksi/baru?induk=1", [("induk", "1"), ("judul", "Perizinan")])
        #expect(page.location == tree + "?pesan=tersimpan#aksi-1")
        page = try await self.submit(
            &browser, tree + "/output/baru", from: tree + "/output/baru?induk=1", [("induk", "1"), ("judul", "OSS")])
        #expect(page.location == tree + "?pesan=tersimpan#output-1.1")
        page = try await self.submit(
            &browser, tree + "/indikator/baru", from: tree + "/indikator/baru?induk=1.1",
            [
                ("induk", "1.1"), ("judul", "Persentase izin terbit tepat waktu"), ("satuan", "persen"),
                ("tipe", "percentage"), ("bobot", "1,5"), ("targetAkhir", "90"),
            ])
        #expect(page.location == tree + "?pesan=tersimpan#indikator-1.1.1")
    }

    @Test("Admin Setnas adds a fokus, an aksi, an output and an indicator; the tree shows them and the log has each")
    func buildATree() async throws {
        try await withJagaApp { app in
            var browser = try await self.draft(app)
            try await self.buildSmallPlan(&browser)
            let plan = try await self.document(app)
            #expect(plan.fokus == [.init(code: "1", name: "Perizinan dan Tata Niaga")])
            #expect(plan.aksi == [.init(number: 1, fokusCode: "1", title: "Perizinan")])
            #expect(plan.indicators.first?.weight == 1.5)
            #expect(plan.indicators.first?.kind == .percentage)
            let tree = try await browser.get(Self.tree)
            #expect(tree.html.contains("Persentase izin terbit tepat waktu"))
            #expect(tree.html.contains("Persentase · satuan persen · bobot 1,5 · target akhir 90"))
            let entries = try await AuditEntry.query(on: app.db).filter(\.$action == "plan.edit").sort(\.$sequence)
                .all()
            #expect(
                entries.map(\.subject) == [
                    "2023-2024 fokus 1", "2023-2024 aksi 1", "2023-2024 output 1.1", "2023-2024 indikator 1.1.1",
                ])
            #expect(entries.allSatisfy { !$0.isPublic })
            #expect(entries[3].detail == "+ indikator 1.1.1")
        }
    }

    @Test("a bad indicator form is refused with every reason, keeps the input, and changes nothing")
    func badIndicator() async throws {
        try await withJagaApp { app in
            var browser = try await self.draft(app)
            try await self.buildSmallPlan(&browser)
            let before = try await self.document(app)
            let edit = Self.tree + "/indikator/1.1.1"
            let refused = try await self.submit(
                &browser, edit, from: edit,
                [
                    ("judul", "Ukuran baru"), ("satuan", ""), ("tipe", "lainnya"), ("bobot", "0"),
                    ("targetAkhir", "banyak"),
                ])
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.html.contains("Satuan wajib diisi"))
            #expect(refused.html.contains("Pilih jenis indikator."))
            #expect(refused.html.contains("Bobot “0” harus berupa angka lebih dari 0, paling besar 1.000.000.000.000."))
            #expect(refused.html.contains("Target akhir “banyak” harus berupa angka dari 0 sampai 1.000.000.000.000."))
            #expect(refused.html.contains(">Ukuran baru</textarea>"))
            #expect(try await self.document(app) == before)
        }
    }

    @Test("moving and removing re-number the items; pelaksana and targets follow them")
    func moveAndRemove() async throws {
        try await withJagaApp { app in
            var browser = try await self.draft(app)
            try await self.buildSmallPlan(&browser)
            let tree = Self.tree
            _ = try await self.submit(
                &browser, tree + "/output/baru", from: tree + "/output/baru?induk=1",
                [("induk", "1"), ("judul", "Perizinan daerah")])
            let assigned = try await self.submit(
                &browser, tree + "/output/1.2/pelaksana", from: tree + "/output/1.2",
                [("instansi", "LKPP"), ("peran", "koordinator")])
            #expect(assigned.location == tree + "/output/1.2#pelaksana")
            let unknown = try await self.submit(
                &browser, tree + "/output/1.2/pelaksana", from: tree + "/output/1.2",
                [("instansi", "Kementerian Sihir"), ("peran", "koordinator")])
            #expect(unknown.status == .unprocessableEntity)
            #expect(unknown.html.contains("Pilih instansi aktif dan perannya."))

            let moved = try await self.submit(&browser, tree + "/output/1.2/geser", from: tree, [("arah", "naik")])
            #expect(moved.location == tree + "?pesan=tersimpan#output")
            var plan = try await self.document(app)
            #expect(plan.outputs.map { "\($0.code) \($0.title)" } == ["1.1 Perizinan daerah", "1.2 OSS"])
            #expect(plan.assignments.map(\.parentCode) == ["1.1"])
            #expect(plan.indicators.map(\.code) == ["1.2.1"])

            let removed = try await self.submit(&browser, tree + "/output/1.1/hapus", from: tree + "/output/1.1", [])
            #expect(removed.status == .seeOther)
            plan = try await self.document(app)
            #expect(plan.outputs.map { "\($0.code) \($0.title)" } == ["1.1 OSS"])
            #expect(plan.assignments.isEmpty)
        }
    }

    @Test("a form made from an older plan is refused with 409 instead of hitting an item whose code moved")
    func staleForm() async throws {
        try await withJagaApp { app in
            var browser = try await self.draft(app)
            try await self.buildSmallPlan(&browser)
            let tree = Self.tree
            let old = try await browser.get(tree)
            let oldVersion = try #require(firstCapture(#"name="versi" value="([0-9a-f]+)""#, in: old.html))
            _ = try await self.submit(
                &browser, tree + "/aksi/baru", from: tree + "/aksi/baru?induk=1", [("induk", "1"), ("judul", "Kedua")])
            let before = try await self.document(app)
            let stale = try await browser.post(
                tree + "/aksi/1/hapus", [("versi", oldVersion)], csrf: try await browser.csrfToken(from: tree))
            #expect(stale.status == .conflict)
            #expect(stale.html.contains("Susunan rencana sudah berubah sejak halaman ini dibuka"))
            #expect(try await self.document(app) == before)
        }
    }

    @Test("a published plan's tree is read-only: an edit is refused with the reason, and nothing changes")
    func publishedIsReadOnly() async throws {
        try await withJagaApp { app in
            var browser = try await CycleAdminTests().signedInSetnas(app)
            let cycle = try #require(try await Cycle.find(code: "2021-2022", on: app.db))
            let before = try await PlanStore(database: app.db).document(for: cycle)
            let tree = "/setnas/periode/2021-2022/rencana"
            let page = try await browser.get(tree)
            #expect(page.status == .ok)
            #expect(page.html.contains("Rencana ini sudah terbit: susunannya dikunci."))
            #expect(!page.html.contains("/geser"))
            let version = PlanTreeController.version(of: before)
            let refused = try await browser.post(
                tree + "/aksi/5", [("versi", version), ("judul", "Judul lain"), ("fokus", "2")],
                csrf: try await browser.csrfToken(from: tree))
            #expect(refused.status == .conflict)
            #expect(refused.html.contains("Rencana periode 2021-2022 sudah diterbitkan"))
            #expect(try await PlanStore(database: app.db).document(for: cycle) == before)
        }
    }

    @Test("an indicator is mapped to its predecessor in the previous cycle, also after publication; unknown codes fail")
    func predecessor() async throws {
        try await withJagaApp { app in
            var browser = try await self.draft(app)
            try await self.buildSmallPlan(&browser)
            let tree = Self.tree
            let page = try await browser.get(tree)
            #expect(page.html.contains("Pendahulu di periode 2021-2022:"))
            let token = try await browser.csrfToken(from: tree)
            let mapped = try await browser.post(
                tree + "/indikator/1.1.1/pendahulu", [("pendahulu", "5.1.1")], csrf: token)
            #expect(mapped.location == tree + "?pesan=pendahulu#indikator-1.1.1")
            #expect(try await self.document(app).indicators.first?.predecessorCode == "5.1.1")
            #expect(PlanFile.write(try await self.document(app)).contains(",5.1.1\n"))
            let entry = try #require(
                try await AuditEntry.query(on: app.db).filter(\.$action == "indicator.predecessor").first())
            #expect(entry.detail == "pendahulu: – → 5.1.1")

            let unknown = try await browser.post(
                tree + "/indikator/1.1.1/pendahulu", [("pendahulu", "99.9.9")], csrf: token)
            #expect(unknown.status == .badRequest)
            #expect(unknown.html.contains("pendahulu 99.9.9 bukan indikator periode sebelumnya."))
            #expect(try await self.document(app).indicators.first?.predecessorCode == "5.1.1")
        }
    }
}
