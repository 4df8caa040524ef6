import Fluent
import Testing
import VaporTesting

@testable import App

@Suite("The instansi directory and pages", .serialized)
struct InstansiPageTests {
    /// Rows of the directory table, by the kind shown in the row.
    func rows(_ html: String, kind: String) -> Int {
        html.occurrences(of: "<td>\(kind)</td>")
    }

    @Test("/instansi lists every K/L, all 34 provinsi and the 42 kab/kota")
    func directoryListsAll() async throws {
        try await withJagaApp { app in
            try await app.testing().test(.GET, "/instansi") { response in
                #expect(response.status == .ok)
                #expect(self.rows(response.html, kind: "Kementerian/Lembaga") == 50)
                #expect(self.rows(response.html, kind: "Provinsi") == 34)
                #expect(self.rows(response.html, kind: "Kabupaten/Kota") == 42)
                #expect(response.html.contains("126 instansi ditampilkan: 50 K/L, 34 provinsi, 42 kabupaten/kota."))
                // The five Timnas PK members are marked.
                #expect(response.html.occurrences(of: "<span class=\"badge\">Timnas PK</span>") == 5)
            }
        }
    }

    @Test("the directory filters by kind, by province and by name")
    func filters() async throws {
        try await withJagaApp { app in
            try await app.testing().test(.GET, "/instansi?jenis=provinsi") { response in
                #expect(self.rows(response.html, kind: "Provinsi") == 34)
                #expect(self.rows(response.html, kind: "Kementerian/Lembaga") == 0)
                #expect(response.html.contains("<option value=\"provinsi\" selected>"))
            }
            // Kalimantan Timur (64): the province and its two participating cities.
            try await app.testing().test(.GET, "/instansi?provinsi=64") { response in
                #expect(self.rows(response.html, kind: "Provinsi") == 1)
                #expect(self.rows(response.html, kind: "Kabupaten/Kota") == 2)
                #expect(response.html.contains("Kota Balikpapan"))
                #expect(response.html.contains("Kota Samarinda"))
                #expect(response.html.contains("3 instansi ditampilkan: 1 provinsi, 2 kabupaten/kota."))
            }
            try await app.testing().test(.GET, "/instansi?q=surabaya") { response in
                #expect(self.rows(response.html, kind: "Kabupaten/Kota") == 1)
                #expect(response.html.contains("Kota Surabaya"))
            }
            // Search finds abbreviations too, and ignores case.
            try await app.testing().test(.GET, "/instansi?q=lkpp&jenis=kl") { response in
                #expect(self.rows(response.html, kind: "Kementerian/Lembaga") == 1)
                #expect(response.html.contains("Lembaga Kebijakan Pengadaan Barang/Jasa Pemerintah"))
            }
            try await app.testing().test(.GET, "/instansi?q=tidak-ada-instansi-ini") { response in
                #expect(response.status == .ok)
                #expect(response.html.contains("Tidak ada instansi yang cocok"))
                #expect(response.html.contains("0 instansi ditampilkan."))
            }
            // Empty filters are no filters, as an unchanged form submits them.
            try await app.testing().test(.GET, "/instansi?q=&jenis=&provinsi=") { response in
                #expect(response.html.contains("126 instansi ditampilkan"))
            }
        }
    }

    @Test(
        "bad filter values are a 400 page that says what was wrong",
        arguments: [
            ("jenis=kementerian", "Jenis instansi &quot;kementerian&quot; tidak dikenal"),
            ("provinsi=99", "Kode provinsi &quot;99&quot; tidak dikenal"),
            ("provinsi=%3Cscript%3E", "Kode provinsi &quot;&lt;script&gt;&quot; tidak dikenal"),
            ("q=" + String(repeating: "a", count: 101), "paling banyak 100 karakter"),
        ])
    func badFilters(query: String, message: String) async throws {
        try await withJagaApp { app in
            try await app.testing().test(.GET, "/instansi?\(query)") { response in
                #expect(response.status == .badRequest)
                #expect(response.html.contains(message))
                #expect(!response.html.contains("<script>"))
            }
        }
    }

    @Test("a K/L's page shows the aksi it carries and its targets per triwulan")
    func klPage() async throws {
        try await withJagaApp { app in
            let lkpp = try #require(try await Instansi.query(on: app.db).filter(\.$abbreviation == "LKPP").first())
            try await app.testing().test(.GET, "/instansi/\(lkpp.id!)") { response in
                #expect(response.status == .ok)
                let html = response.html
                #expect(html.contains("<h1><span lang=\"id\">Lembaga Kebijakan Pengadaan Barang/Jasa Pemerintah"))
                // LKPP carries aksi 4 and 5, coordinating aksi 5.
                #expect(html.contains("href=\"/aksi/4\""))
                let aksi5 = try #require(html.range(of: "href=\"/aksi/5\""))
                #expect(html[aksi5.upperBound...].prefix(200).contains("Koordinator"))
                // Its target rows: 4.1.1, 5.1.1, 5.2.1 and 5.3.1, with eight triwulan columns.
                for code in ["4.1.1", "5.1.1", "5.2.1", "5.3.1"] {
                    #expect(html.contains("<span class=\"code\">\(code)</span>"))
                }
                #expect(html.occurrences(of: "<th scope=\"col\">TW ") == 8)
            }
        }
    }

    @Test("a kab/kota page links to its province, and the province lists its participating kab/kota")
    func regionPages() async throws {
        try await withJagaApp { app in
            let city = try #require(try await Instansi.query(on: app.db).filter(\.$name == "Kota Makassar").first())
            let province = try #require(try await city.$parent.get(on: app.db))
            try await app.testing().test(.GET, "/instansi/\(city.id!)") { response in
                #expect(response.status == .ok)
                #expect(response.html.contains("<a href=\"/instansi/\(province.id!)\">Provinsi Sulawesi Selatan</a>"))
                #expect(response.html.contains("Kepastian data:"))
            }
            try await app.testing().test(.GET, "/instansi/\(province.id!)") { response in
                #expect(
                    response.html.contains(
                        "<a class=\"chip\" href=\"/instansi/\(city.id!)\"><span lang=\"id\">Kota Makassar</span></a>"))
            }
        }
    }

    @Test("an instansi that carries no aksi says so")
    func noAksi() async throws {
        try await withJagaApp { app in
            let ksp = try #require(try await Instansi.query(on: app.db).filter(\.$abbreviation == "KSP").first())
            try await app.testing().test(.GET, "/instansi/\(ksp.id!)") { response in
                #expect(response.status == .ok)
                #expect(response.html.contains("tidak menjadi pelaksana aksi pada periode ini"))
                #expect(response.html.contains("Anggota Tim Nasional Pencegahan Korupsi"))
            }
        }
    }

    @Test("an unknown or non-numeric instansi id is a 404 page", arguments: ["999999", "abc", "-5", "1e3"])
    func unknownInstansi(id: String) async throws {
        try await withJagaApp { app in
            try await app.testing().test(.GET, "/instansi/\(id)") { response in
                #expect(response.status == .notFound)
                #expect(response.html.contains("Instansi ini tidak ditemukan"))
            }
        }
    }
}
