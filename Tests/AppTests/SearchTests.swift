import Fluent
import StranasCore
import Testing
import VaporTesting

@testable import App

@Suite("Site search", .serialized)
struct SearchTests {
    @Test("/cari finds aksi, indicators and instansi by any part of their words, ignoring case, and keeps the query")
    func findsThePlanAndInstansi() async throws {
        try await withJagaApp { app in
            var visitor = TestBrowser(app)
            let found = try await visitor.get("/cari?q=PENGADAAN")
            #expect(found.status == .ok)
            // Aksi 5's title, its indicators' page and LKPP, each linked; the query stays in the box.
            #expect(found.html.contains(#"href="/aksi/5?periode=2021-2022""#))
            #expect(found.html.contains("Efektivitas dan efisiensi pengadaan barang dan jasa"))
            #expect(found.html.contains("Lembaga Kebijakan Pengadaan Barang/Jasa Pemerintah"))
            #expect(found.html.contains(#"value="PENGADAAN""#))
            #expect(found.html.contains("hasil untuk"))

            let abbreviation = try await visitor.get("/cari?q=lkpp")
            #expect(abbreviation.html.contains("Lembaga Kebijakan Pengadaan Barang/Jasa Pemerintah"))

            // LIKE's wildcards are taken as the characters they are: "%" alone would otherwise match everything.
            let wildcard = try await visitor.get("/cari?q=%25%25")
            #expect(wildcard.status == .ok)
            #expect(wildcard.html.contains("Tidak ada yang cocok"))

            // Too short or too long: said beside the box, nothing searched; an empty box is the plain page.
            let short = try await visitor.get("/cari?q=a")
            #expect(short.html.contains("Tuliskan 2 sampai 100 karakter"))
            let empty = try await visitor.get("/cari")
            #expect(empty.status == .ok && !empty.html.contains("hasil untuk"))

            // In English, the page's own words change and the data stays as written, marked Indonesian.
            var english = TestBrowser(app)
            _ = try await english.get("/bahasa/en?kembali=/")
            let inEnglish = try await english.get("/cari?q=pengadaan")
            #expect(inEnglish.html.contains("results for"))
            #expect(inEnglish.html.contains(#"lang="id">Efektivitas dan efisiensi pengadaan barang dan jasa</a>"#))
        }
    }
}
