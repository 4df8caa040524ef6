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
                let lkpp = try #require(html.range(of: "Lembaga Kebijakan Pengadaan Barang/Jasa Pemerintah</a><span"))
                let lkppRow = html[lkpp.upperBound...].prefix(while: { $0 != "\n" })
                #expect(
                    lkppRow.hasSuffix(
                        "<td>5</td><td>9</td><td>13</td><td>17</td><td>22</td><td>26</td><td>30</td><td>34</td></tr>"))
                let aceh = try #require(html.range(of: "Provinsi Aceh</a><span class=\"role\">Pelaksana</span></th>"))
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
                let row = try #require(table.range(of: "Kementerian Pekerjaan Umum dan Perumahan Rakyat</a>"))
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
}
