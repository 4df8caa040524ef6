import Fluent
import Foundation
import StranasCore
import Testing
import VaporTesting

@testable import App

@Suite("Instansi administration and history", .serialized)
struct InstansiAdminTests {
    func instansi(_ name: String, _ app: Application) async throws -> Instansi {
        try #require(try await Instansi.query(on: app.db).filter(\.$name == name).first())
    }

    @Test("a new kab/kota needs its province; the refused form keeps its input; the created one has its history")
    func create() async throws {
        try await withJagaApp { app in
            var browser = try await CycleAdminTests().signedInSetnas(app)
            let token = try await browser.csrfToken(from: "/setnas/instansi")
            let refused = try await browser.post(
                "/setnas/instansi", [("jenis", "kabkota"), ("nama", "Kabupaten Contoh Baru"), ("provinsi", "")],
                csrf: token)
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.html.contains("Pilih provinsi tempat kabupaten/kota ini berada."))
            #expect(refused.html.contains("value=\"Kabupaten Contoh Baru\""))
            let aceh = try await self.instansi("Provinsi Aceh", app)
            let created = try await browser.post(
                "/setnas/instansi",
                [("jenis", "kabkota"), ("nama", "Kabupaten Contoh Baru"), ("provinsi", String(aceh.id!))], csrf: token)
            let made = try await self.instansi("Kabupaten Contoh Baru", app)
            #expect(created.location == "/setnas/instansi/\(made.id!)?pesan=tersimpan")
            #expect(made.$parent.id == aceh.id)
            #expect(made.provinceCode == aceh.provinceCode)
            let duplicate = try await browser.post(
                "/setnas/instansi",
                [("jenis", "kabkota"), ("nama", "Kabupaten Contoh Baru"), ("provinsi", String(aceh.id!))], csrf: token)
            #expect(duplicate.html.contains("Sudah ada instansi sejenis bernama “Kabupaten Contoh Baru”."))
            let entry = try #require(try await AuditEntry.query(on: app.db).first())
            #expect(entry.action == "instansi.create")
            #expect(entry.isPublic)
        }
    }

    @Test("a rename keeps the old name in the history the public sees; a name already taken is refused")
    func rename() async throws {
        try await withJagaApp { app in
            var browser = try await CycleAdminTests().signedInSetnas(app)
            let lkpp = try await self.instansi("Lembaga Kebijakan Pengadaan Barang/Jasa Pemerintah", app)
            let path = "/setnas/instansi/\(lkpp.id!)"
            let token = try await browser.csrfToken(from: path)
            let taken = try await browser.post(
                path + "/nama", [("nama", "Kementerian Keuangan"), ("tanggal", "2024-01-01")], csrf: token)
            #expect(taken.status == .unprocessableEntity)
            #expect(taken.html.contains("Sudah ada instansi sejenis bernama “Kementerian Keuangan”."))
            #expect(try await Instansi.find(lkpp.id, on: app.db)?.name == lkpp.name)
            let badDate = try await browser.post(
                path + "/nama", [("nama", "Badan Pengadaan Nasional"), ("tanggal", "31-02-2024")], csrf: token)
            #expect(badDate.html.contains("“31-02-2024” bukan tanggal yang sah."))
            #expect(badDate.html.contains("value=\"Badan Pengadaan Nasional\""))

            let renamed = try await browser.post(
                path + "/nama",
                [
                    ("nama", "Badan Pengadaan Nasional"), ("singkatan", "BPN"), ("tanggal", "2024-01-01"),
                    ("catatan", "Perpres 1/2024"),
                ], csrf: token)
            #expect(renamed.location == path + "?pesan=tersimpan")
            var visitor = TestBrowser(app)
            let page = try await visitor.get("/instansi/\(lkpp.id!)")
            #expect(page.html.contains("Badan Pengadaan Nasional"))
            #expect(page.html.contains("Berganti nama; sebelumnya Lembaga Kebijakan Pengadaan Barang/Jasa Pemerintah."))
            #expect(page.html.contains("Perpres 1/2024"))
            #expect(page.html.contains("1 Januari 2024"))
        }
    }

    @Test("a split forms a new instansi linked both ways; a merge ends one, which leaves the directory and the import")
    func splitAndMerge() async throws {
        try await withJagaApp { app in
            var browser = try await CycleAdminTests().signedInSetnas(app)
            let papua = try await self.instansi("Provinsi Papua", app)
            let path = "/setnas/instansi/\(papua.id!)"
            let token = try await browser.csrfToken(from: path)
            let split = try await browser.post(
                path + "/mekarkan",
                [("nama", "Provinsi Papua Selatan"), ("tanggal", "2022-07-25"), ("catatan", "UU 14/2022")], csrf: token)
            let formed = try await self.instansi("Provinsi Papua Selatan", app)
            #expect(split.location == "/setnas/instansi/\(formed.id!)?pesan=tersimpan")
            var visitor = TestBrowser(app)
            let formedPage = try await visitor.get("/instansi/\(formed.id!)")
            #expect(
                formedPage.html.contains(
                    "Dibentuk dari pemekaran <a href=\"/instansi/\(papua.id!)\">Provinsi Papua</a>"))
            let papuaPage = try await visitor.get("/instansi/\(papua.id!)")
            #expect(
                papuaPage.html.contains(
                    "Dimekarkan; instansi baru: <a href=\"/instansi/\(formed.id!)\">Provinsi Papua Selatan</a>"))

            // Merging needs another active instansi of the same kind.
            let lkpp = try await self.instansi("Lembaga Kebijakan Pengadaan Barang/Jasa Pemerintah", app)
            let wrongKind = try await browser.post(
                "/setnas/instansi/\(formed.id!)/gabung", [("ke", String(lkpp.id!))], csrf: token)
            #expect(wrongKind.status == .unprocessableEntity)
            #expect(try await Instansi.find(formed.id, on: app.db)?.isActive == true)

            let merged = try await browser.post(
                "/setnas/instansi/\(formed.id!)/gabung", [("ke", String(papua.id!)), ("tanggal", "2023-01-01")],
                csrf: token)
            #expect(merged.status == .seeOther)
            #expect(try await Instansi.find(formed.id, on: app.db)?.isActive == false)
            let directory = try await visitor.get("/instansi?nama=Papua")
            #expect(!directory.html.contains("Provinsi Papua Selatan"))
            #expect(try await visitor.get("/instansi/\(formed.id!)").html.contains("Instansi ini sudah tidak aktif."))
            let again = try await browser.post(
                "/setnas/instansi/\(formed.id!)/nonaktifkan", [], csrf: token)
            #expect(again.html.contains("Instansi ini sudah tidak aktif; perubahannya tidak bisa dicatat lagi."))

            // A plan file naming the ended instansi is refused with that reason.
            let cycle = try #require(try await Cycle.find(code: "2021-2022", on: app.db))
            let file =
                PlanFile.write(try await PlanStore(database: app.db).document(for: cycle))
                + "pelaksana,,5,,,,,,Provinsi Papua Selatan,pelaksana,,,,,\n"
            let read = try await PlanStore(database: app.db).read(Data(file.utf8), for: cycle)
            guard case .failure(let rejection) = read else {
                Issue.record("a file naming an ended instansi was accepted")
                return
            }
            #expect(rejection.problems.map(\.kind) == [.inactiveInstansi("Provinsi Papua Selatan")])
            let actions = try await AuditEntry.query(on: app.db).sort(\.$sequence).all().map(\.action)
            #expect(actions == ["instansi.split", "instansi.merge"])
        }
    }

    @Test("an indicator mapped to its predecessor shows the instansi's targets across both cycles")
    func trend() async throws {
        try await withJagaApp { app in
            var browser = try await PlanTreeTests().draft(app)
            try await PlanTreeTests().buildSmallPlan(&browser)
            let cycle = try #require(try await Cycle.find(code: "2023-2024", on: app.db))
            let store = PlanStore(database: app.db)
            var plan = try await store.document(for: cycle)
            plan.indicators[0].predecessorCode = "5.1.1"
            plan.targets = (1...8).map {
                .init(
                    indicatorCode: "1.1.1", instansi: "Provinsi Aceh", triwulan: $0, value: Double($0 * 10),
                    description: nil)
            }
            try await store.write(plan, to: cycle)
            cycle.publishedAt = Date()
            try await cycle.save(on: app.db)

            let aceh = try await self.instansi("Provinsi Aceh", app)
            var visitor = TestBrowser(app)
            let page = try await visitor.get("/instansi/\(aceh.id!)?periode=2023-2024")
            #expect(page.html.contains("Tren lintas periode"))
            #expect(page.html.contains("1.1.1, pendahulu 5.1.1"))
            #expect(page.html.contains("· pendahulu 5.1.1</caption>"))
            let earlier = try await store.document(
                for: try #require(try await Cycle.find(code: "2021-2022", on: app.db))
            )
            .targets.filter { $0.indicatorCode == "5.1.1" && $0.instansi == "Provinsi Aceh" }
            #expect(!earlier.isEmpty)
            let earlierCells = (1...8).map { number in
                earlier.first { $0.triwulan == number }.map { app.locales.displayFormat(.id).number($0.value) } ?? "–"
            }
            #expect(
                page.html.contains("<th scope=\"row\">2021-2022</th>" + earlierCells.map { "<td>\($0)</td>" }.joined()))
            #expect(page.html.contains("<th scope=\"row\">2023-2024</th><td>10</td><td>20</td>"))
            // The earlier cycle's page has no trend: the mapping points backwards.
            #expect(
                !(try await visitor.get("/instansi/\(aceh.id!)?periode=2021-2022").html.contains("Tren lintas periode"))
            )
        }
    }
}
