import Fluent
import Foundation
import Testing
import VaporTesting

@testable import App

@Suite("The aksi page", .serialized)
struct AksiPageTests {
    @Test("/aksi/5 shows each pelaksana's target per triwulan")
    func targetsPerTriwulan() async throws {
        try await withJagaApp { app in
            try await app.testing().test(.GET, "/aksi/5") { response in
                #expect(response.status == .ok)
                let html = response.html
                #expect(html.contains("Efektivitas dan efisiensi pengadaan barang dan jasa"))
                // Eight triwulan columns in each of the three target tables.
                for label in ["TW I 2021", "TW IV 2021", "TW I 2022", "TW IV 2022"] {
                    #expect(html.occurrences(of: "<th scope=\"col\">\(label)</th>") == 3)
                }
                // LKPP carries the national count of 34 provinces; each province its share of 1.
                let lkpp = try #require(
                    html.range(of: "Lembaga Kebijakan Pengadaan Barang/Jasa Pemerintah</span></a><span"))
                let lkppRow = html[lkpp.upperBound...].prefix(while: { $0 != "\n" })
                #expect(
                    lkppRow.hasSuffix(
                        "<td>5</td><td>9</td><td>13</td><td>17</td><td>22</td><td>26</td><td>30</td><td>34</td></tr>"))
                let aceh = try #require(
                    html.range(of: "Provinsi Aceh</span></a><span class=\"role\">Pelaksana</span></th>"))
                let acehRow = html[aceh.upperBound...].prefix(while: { $0 != "\n" })
                #expect(acehRow.hasPrefix("<td>1</td>"))
                // 34 provinces and LKPP in each of the two count indicators, KemenPUPR and LKPP in the milestone.
                #expect(html.occurrences(of: "<tr><th scope=\"row\"><a href=\"/instansi/") == 35 + 35 + 2)
            }
        }
    }

    @Test("a milestone has one target, 1, in its due triwulan and none elsewhere")
    func milestoneTarget() async throws {
        try await withJagaApp { app in
            try await app.testing().test(.GET, "/aksi/5") { response in
                let html = response.html
                let milestone = try #require(html.range(of: "<span class=\"code\">5.3.1</span>"))
                let table = html[milestone.upperBound...]
                let row = try #require(table.range(of: "Kementerian Pekerjaan Umum dan Perumahan Rakyat</span></a>"))
                let cells = table[row.upperBound...].prefix(while: { $0 != "\n" })
                // Aksi 5 is odd, so its milestone falls due in triwulan 4.
                #expect(
                    cells.hasSuffix(
                        "<td>–</td><td>–</td><td>–</td><td>1</td><td>–</td><td>–</td><td>–</td><td>–</td></tr>"))
            }
        }
    }

    @Test("the coordinator leads and every pelaksana links to its instansi page")
    func pelaksanaLinks() async throws {
        try await withJagaApp { app in
            try await app.testing().test(.GET, "/aksi/5") { response in
                let html = response.html
                let lead = try #require(html.range(of: "Dikoordinasikan oleh"))
                #expect(html[lead.upperBound...].prefix(200).contains("Lembaga Kebijakan Pengadaan"))
                #expect(html.occurrences(of: "<a class=\"chip") == 36)
                // All 34 provinces are folded away under one heading; the two K/L are shown.
                #expect(html.contains("<summary><h3>Provinsi (34)</h3></summary>"))
                #expect(html.contains("<h3>Kementerian/Lembaga (2)</h3>"))
            }
        }
    }

    @Test("the indicator's data certainty is shown next to it")
    func provenancePerIndicator() async throws {
        try await withJagaApp { app in
            try await app.testing().test(.GET, "/aksi/5") { response in
                #expect(response.html.contains("capaian 21 provinsi pada akhir 2021 bersumber"))
            }
        }
    }

    @Test("an unknown aksi is a 404 page that names the aksi and the periode")
    func unknownAksi() async throws {
        try await withJagaApp { app in
            try await app.testing().test(.GET, "/aksi/99") { response in
                #expect(response.status == .notFound)
                #expect(response.html.contains("Aksi nomor 99 tidak ada dalam rencana aksi periode 2021-2022."))
                #expect(response.html.contains("<html lang=\"id\">"))
            }
        }
    }

    @Test(
        "a non-numeric or out-of-range aksi number is a 404 page, never a 500",
        arguments: [
            "abc", "5abc", "-1", "0", "99999999999999999999999", "%27%20OR%201=1", "5.0",
        ])
    func malformedNumber(number: String) async throws {
        try await withJagaApp(seeded: true) { app in
            try await app.testing().test(.GET, "/aksi/\(number)") { response in
                #expect(response.status == .notFound)
                #expect(response.html.contains("Halaman tidak ditemukan"))
            }
        }
    }

    /// Gives aksi 5 45 kab/kota pelaksana (30 in Jawa Timur, 15 in Jawa Barat, made up for the test) on its first
    /// indicator, with a target in TW I 2021, and accepts eleven of Jawa Timur's lines.
    func nationalScale(_ app: Application) async throws -> (indicator: Indicator, jatim: [Instansi]) {
        let aksi = try #require(try await Aksi.query(on: app.db).filter(\.$number == 5).first())
        let indicator = try #require(try await Indicator.query(on: app.db).filter(\.$code == "5.1.1").first())
        let tw1 = try #require(try await Triwulan.query(on: app.db).filter(\.$number == 1).first())
        var regencies: [Instansi] = []
        for (code, count) in [("35", 30), ("32", 15)] {
            let province = try #require(
                try await Instansi.query(on: app.db).filter(\.$kind == .provinsi).filter(\.$provinceCode == code)
                    .first())
            for index in 1...count {
                let regency = Instansi(
                    kind: .kabkota, name: "Kabupaten Uji \(code)-\(index < 10 ? "0" : "")\(index)", provinceCode: code,
                    parentID: try province.requireID())
                try await regency.create(on: app.db)
                regencies.append(regency)
            }
        }
        #expect(regencies.count > AksiController.kabKotaInline)
        var accepted = 0
        for regency in regencies {
            try await Pelaksana(
                instansiID: regency.requireID(), aksiID: aksi.requireID(), outputID: nil, role: .pelaksana
            )
            .create(on: app.db)
            let target = Target(
                indicatorID: try indicator.requireID(), instansiID: try regency.requireID(),
                triwulanID: try tw1.requireID(),
                value: 1, description: nil)
            try await target.create(on: app.db)
            if regency.provinceCode == "35" && accepted < 11 {
                let line = ReportLine(
                    targetID: try target.requireID(), now: Date(timeIntervalSince1970: Double(accepted)))
                line.state = .accepted
                line.capaian = 1
                line.verifiedValue = 1
                line.verifiedAt = Date(timeIntervalSince1970: 1_620_000_000 + Double(accepted) * 60)
                try await line.create(on: app.db)
                accepted += 1
            }
        }
        return (indicator, regencies.filter { $0.provinceCode == "35" })
    }

    @Test("at national scale the aksi page leaves kab/kota targets to the indicator page, a province at a time")
    func nationalScalePages() async throws {
        try await withJagaApp { app in
            let (_, jatim) = try await nationalScale(app)
            var visitor = TestBrowser(app)
            let aksi = try await visitor.get("/aksi/5")
            #expect(aksi.status == .ok)
            #expect(!aksi.html.contains(">\(jatim[0].name)</a></th>"))
            #expect(
                aksi.html.contains(
                    "Target 45 kabupaten/kota pelaksana ditampilkan per provinsi: pilih provinsi di bagian Wilayah."))
            // Nor in the breakdown or the pelaksana list; the province view of the aksi has them.
            #expect(!aksi.html.contains(">\(jatim[0].name)<"))
            #expect(aksi.html.contains("wilayah=35\">Provinsi Jawa Timur</a>"))
            let eastAksi = try await visitor.get("/aksi/5?periode=2021-2022&wilayah=35")
            #expect(eastAksi.html.contains("Wilayah: Provinsi Jawa Timur"))
            #expect(eastAksi.html.contains(">\(jatim[0].name)</span></a></th>"))
            #expect(eastAksi.html.contains("<h3>Kabupaten/Kota (30)</h3>"))
            #expect(!eastAksi.html.contains("Kabupaten Uji 32-"))
            #expect(!eastAksi.html.contains("Provinsi Aceh</span></a><span class=\"role\">"))
            #expect(eastAksi.html.contains("href=\"/aksi/5/indikator/5.1.1?periode=2021-2022&amp;wilayah=35\""))
            // The ten latest verifications, the newest first, and where the rest are.
            #expect(aksi.html.contains("10 verifikasi terbaru dari 11."))
            let verified = try #require(aksi.html.range(of: "Capaian terverifikasi"))
            let newest = try #require(
                aksi.html.range(of: jatim[10].name, range: verified.upperBound..<aksi.html.endIndex))
            let tenth = try #require(
                aksi.html.range(of: jatim[1].name, range: verified.upperBound..<aksi.html.endIndex))
            #expect(newest.lowerBound < tenth.lowerBound)
            #expect(!aksi.html.contains("<th scope=\"row\"><span lang=\"id\">\(jatim[0].name)</span></th>"))
            #expect(aksi.html.contains("href=\"/aksi/5/indikator/5.1.1?periode=2021-2022\""))

            // The indicator page: K/L and provinces first, with a way to each province.
            let national = try await visitor.get("/aksi/5/indikator/5.1.1?periode=2021-2022")
            #expect(national.status == .ok)
            #expect(national.html.contains("Provinsi Aceh</span></a><span class=\"role\">"))
            #expect(!national.html.contains(">\(jatim[0].name)</span></a></th>"))
            #expect(national.html.contains("wilayah=35\">Provinsi Jawa Timur</a>"))
            // Jawa Timur: the province and its kab/kota, with all eleven verified results; no Jawa Barat.
            let east = try await visitor.get("/aksi/5/indikator/5.1.1?periode=2021-2022&wilayah=35")
            #expect(east.status == .ok)
            #expect(east.html.contains("Wilayah: Provinsi Jawa Timur"))
            for regency in jatim { #expect(east.html.contains(">\(regency.name)</span></a></th>"), "\(regency.name)") }
            #expect(!east.html.contains("Kabupaten Uji 32-"))
            #expect(!east.html.contains("Provinsi Aceh</span></a><span class=\"role\">"))
            #expect(east.html.occurrences(of: "<tr><th scope=\"row\"><span lang=\"id\">Kabupaten Uji 35-") == 11)

            // Wrong region or indicator: a page that says so.
            let region = try await visitor.get("/aksi/5/indikator/5.1.1?wilayah=99")
            #expect(region.status == .badRequest)
            #expect(region.html.contains("99&quot; tidak ada di antara pelaksana aksi ini."))
            let indicator = try await visitor.get("/aksi/5/indikator/9.9.9")
            #expect(indicator.status == .notFound)
            #expect(indicator.html.contains("Indikator 9.9.9 tidak ada dalam aksi nomor 5."))
            #expect(try await visitor.get("/aksi/5/indikator/%3Cscript%3E").status == .notFound)
        }
    }
}
