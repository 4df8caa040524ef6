import Fluent
import Foundation
import StranasCore
import Testing
import VaporTesting

@testable import App

@Suite("Usulan and pertanyaan", .serialized)
struct PublicInputTests {
    static let proposal =
        "Tampilkan nilai kontrak setiap paket pengadaan di halaman aksi ini agar warga dapat membandingkan."

    /// Sends feedback about aksi 5, addressed to `instansi`, as an anonymous visitor.
    func send(
        _ app: Application, kind: String, body: String, author: String = "", email: String = "", instansi: Int,
        visitor: inout TestBrowser
    ) async throws -> TestBrowser.Page {
        let form = try await visitor.get("/masukan?aksi=5&periode=2021-2022")
        return try await visitor.post(
            "/masukan",
            [
                ("aksi", "5"), ("instansi", String(instansi)), ("jenis", kind), ("isi", body), ("nama", author),
                ("surel", email), ("situs", ""),
            ],
            csrf: try #require(firstCapture(#"name="_csrf" value="([^"]+)""#, in: form.html)))
    }

    @Test(
        "published once Setnas approves, answered in public by the instansi; the counts follow; the e-mail stays sealed"
    )
    func publishAndAnswer() async throws {
        try await withJagaApp { app in
            let lkpp = try await instansi("LKPP", on: app)
            var visitor = TestBrowser(app)
            let sent = try await self.send(
                app, kind: "usulan", body: Self.proposal, author: "Warga Peduli", email: "warga@contoh.example",
                instansi: try lkpp.requireID(), visitor: &visitor)
            #expect(sent.status == .created)
            // Too short, and a bad address: each error is tied to its field and linked from the summary.
            var careless = TestBrowser(app)
            let short = try await self.send(
                app, kind: "usulan", body: "pendek", instansi: try lkpp.requireID(), visitor: &careless)
            #expect(short.status == .unprocessableEntity)
            #expect(short.html.contains(##"<li><a href="#teks-masukan">Masukan terlalu pendek"##))
            #expect(
                short.html.contains(#"aria-invalid="true" aria-describedby="teks-masukan-galat">pendek</textarea>"#))
            let badAddress = try await self.send(
                app, kind: "usulan", body: Self.proposal, email: "bukan-alamat", instansi: try lkpp.requireID(),
                visitor: &careless)
            #expect(badAddress.html.contains(##"<li><a href="#surel">"##))
            #expect(badAddress.html.contains(#"aria-describedby="surel-hint surel-galat" aria-invalid="true">"#))
            // A confirmation with a reference, what happens next, the permalink it will have and a copy of the text.
            #expect(sent.html.contains(#"<div class="confirmation-panel" role="status">"#))
            #expect(sent.html.contains("Nomor rujukan: "))
            #expect(sent.html.contains("Apa yang terjadi selanjutnya"))
            #expect(sent.html.contains(#"#masukan-"#))
            // Not public yet.
            #expect(!(try await visitor.get("/masukan?aksi=5&periode=2021-2022")).html.contains("nilai kontrak"))
            #expect(try await visitor.get("/aksi/5").html.contains("0 usulan dan 0 pertanyaan ditayangkan."))

            let admin = try await makeAccount([.adminSetnas], on: app)
            var setnas = TestBrowser(app)
            _ = try await setnas.signIn(admin.email, admin.password, totpSecret: admin.totpSecret)
            let queue = try await setnas.get("/setnas/masukan")
            #expect(queue.html.contains("nilai kontrak") && queue.html.contains("menunggu pemeriksaan"))
            #expect(!queue.html.contains("warga@contoh.example"))
            let approved = try await setnas.post(
                "/setnas/masukan/1/setujui", [], csrf: try await setnas.csrfToken(from: "/setnas/masukan"))
            #expect(approved.status == .seeOther)

            // Public now, on the page of the aksi and in the counts of the aksi and the instansi.
            let page = try await visitor.get("/masukan?aksi=5&periode=2021-2022")
            #expect(page.html.contains(Self.proposal) && page.html.contains("Warga Peduli"))
            #expect(page.html.contains("Menunggu jawaban Lembaga Kebijakan Pengadaan Barang/Jasa Pemerintah."))
            // The list filters by kind and answer, in the URL; the item has a permalink anchor.
            #expect(page.html.contains(#"id="masukan-1""#))
            let unanswered = try await visitor.get("/masukan?aksi=5&periode=2021-2022&status=belum-dijawab")
            #expect(unanswered.html.contains(Self.proposal))
            let questions = try await visitor.get("/masukan?aksi=5&periode=2021-2022&jenis=pertanyaan")
            #expect(!questions.html.contains(Self.proposal) && questions.html.contains("0 masukan cocok"))
            #expect(try await visitor.get("/aksi/5").html.contains("1 usulan dan 0 pertanyaan ditayangkan."))
            #expect(
                try await visitor.get("/instansi/\(try lkpp.requireID())").html.contains(
                    "1 usulan dan 0 pertanyaan ditayangkan."))

            // LKPP's Focal Point answers; the answer is shown under it.
            let focal = try await makeAccount([.focalPoint], instansi: lkpp, on: app)
            var official = TestBrowser(app)
            _ = try await official.signIn(focal.email, focal.password, totpSecret: focal.totpSecret)
            #expect(try await official.get("/masukan-instansi").html.contains("nilai kontrak"))
            let answer = "Nilai kontrak setiap paket akan tampil mulai triwulan depan, bersumber dari SPSE."
            let answered = try await official.post(
                "/masukan-instansi/1/jawab", [("isi", answer)],
                csrf: try await official.csrfToken(from: "/masukan-instansi"))
            #expect(answered.status == .seeOther)
            let withAnswer = try await visitor.get("/masukan?aksi=5&periode=2021-2022")
            #expect(withAnswer.html.contains(answer))
            #expect(withAnswer.html.contains("Jawaban Lembaga Kebijakan Pengadaan Barang/Jasa Pemerintah"))
            #expect(
                try await visitor.get("/masukan?aksi=5&periode=2021-2022&status=dijawab").html.contains(answer))
            #expect(
                !(try await visitor.get("/masukan?aksi=5&periode=2021-2022&status=belum-dijawab")).html.contains(
                    answer))
            // Another instansi's Focal Point cannot answer it.
            let bali = try #require(try await Instansi.query(on: app.db).filter(\.$name == "Provinsi Bali").first())
            let other = try await makeAccount([.focalPoint], instansi: bali, on: app)
            var outsider = TestBrowser(app)
            _ = try await outsider.signIn(other.email, other.password, totpSecret: other.totpSecret)
            let refused = try await outsider.post(
                "/masukan-instansi/1/jawab", [("isi", "Bukan urusan kami.")],
                csrf: try await outsider.csrfToken(from: "/masukan-instansi"))
            #expect(refused.status == .notFound)

            // The e-mail address is nowhere in the clear.
            let stored = try await PublicCaseTests.allStoredText(app)
            #expect(!stored.contains("warga@contoh.example"))
            #expect(!withAnswer.html.contains("warga@contoh.example"))
        }
    }

    @Test("a refusal needs a reason, a duplicate points to a published item; neither is published")
    func refuseAndDuplicate() async throws {
        try await withJagaApp { app in
            let lkpp = try await instansi("LKPP", on: app)
            var visitor = TestBrowser(app)
            for (kind, body) in [
                ("usulan", Self.proposal), ("pertanyaan", "Mengapa target TW II lebih rendah dari TW I?"),
                ("usulan", "Tolong tampilkan nilai kontrak setiap paket di halaman ini."),
            ] {
                _ = try await self.send(app, kind: kind, body: body, instansi: try lkpp.requireID(), visitor: &visitor)
            }
            let admin = try await makeAccount([.adminSetnas], on: app)
            var setnas = TestBrowser(app)
            _ = try await setnas.signIn(admin.email, admin.password, totpSecret: admin.totpSecret)
            let csrf = try await setnas.csrfToken(from: "/setnas/masukan")
            _ = try await setnas.post("/setnas/masukan/1/setujui", [], csrf: csrf)
            let noReason = try await setnas.post("/setnas/masukan/2/tolak", [("catatan", " ")], csrf: csrf)
            #expect(noReason.status == .unprocessableEntity && noReason.html.contains("Tuliskan alasannya"))
            _ = try await setnas.post("/setnas/masukan/2/tolak", [("catatan", "Sudah dijawab di panduan.")], csrf: csrf)
            let unknown = try await setnas.post("/setnas/masukan/3/duplikat", [("asli", "2")], csrf: csrf)
            #expect(unknown.status == .unprocessableEntity && unknown.html.contains("belum tayang"))
            _ = try await setnas.post("/setnas/masukan/3/duplikat", [("asli", "1")], csrf: csrf)
            let states = try await PublicInput.query(on: app.db).sort(\.$id).all()
            #expect(states.map(\.state) == [.disetujui, .ditolak, .duplikat])
            #expect(states[2].$duplicateOf.id == 1 && states[1].moderationNote == "Sudah dijawab di panduan.")
            // Decided items are not decided again.
            let again = try await setnas.post("/setnas/masukan/2/setujui", [], csrf: csrf)
            #expect(again.status == .unprocessableEntity)
            let page = try await visitor.get("/masukan?aksi=5&periode=2021-2022")
            #expect(page.html.contains(Self.proposal))
            #expect(!page.html.contains("Mengapa target") && !page.html.contains("Tolong tampilkan"))
            #expect(try await visitor.get("/aksi/5").html.contains("1 usulan dan 0 pertanyaan ditayangkan."))
        }
    }

    @Test("markup stays text; a filled honeypot, a missing kind and too many sends keep what was written")
    func abuse() async throws {
        try await withJagaApp { app in
            let lkpp = try await instansi("LKPP", on: app)
            var visitor = TestBrowser(app)
            let script = "<script>alert('masukan')</script>"
            _ = try await self.send(
                app, kind: "pertanyaan", body: "Pertanyaan dengan markup " + script, author: script,
                instansi: try lkpp.requireID(), visitor: &visitor)
            let admin = try await makeAccount([.adminSetnas], on: app)
            var setnas = TestBrowser(app)
            _ = try await setnas.signIn(admin.email, admin.password, totpSecret: admin.totpSecret)
            let queue = try await setnas.get("/setnas/masukan")
            #expect(!queue.html.contains(script) && queue.html.contains("&lt;script&gt;"))
            _ = try await setnas.post(
                "/setnas/masukan/1/setujui", [], csrf: try await setnas.csrfToken(from: "/setnas/masukan"))
            let page = try await visitor.get("/masukan?aksi=5&periode=2021-2022")
            #expect(!page.html.contains(script) && page.html.contains("&lt;script&gt;"))

            let form = try await visitor.get("/masukan?aksi=5&periode=2021-2022")
            let csrf = try #require(firstCapture(#"name="_csrf" value="([^"]+)""#, in: form.html))
            let trapped = try await visitor.post(
                "/masukan",
                [
                    ("aksi", "5"), ("instansi", String(try lkpp.requireID())), ("jenis", "usulan"),
                    ("isi", Self.proposal), ("situs", "spam"),
                ], csrf: csrf)
            #expect(trapped.status == .unprocessableEntity && trapped.html.contains("nilai kontrak setiap paket"))
            let noKind = try await visitor.post(
                "/masukan", [("aksi", "5"), ("instansi", String(try lkpp.requireID())), ("isi", Self.proposal)],
                csrf: csrf)
            #expect(noKind.status == .unprocessableEntity && noKind.html.contains("Pilih jenisnya"))
            // Ten an hour from one address; the eleventh is refused with its text kept.
            for _ in 2...app.inputSubmissions.perKey {
                _ = try await self.send(
                    app, kind: "usulan", body: Self.proposal, instansi: try lkpp.requireID(), visitor: &visitor)
            }
            let tooMany = try await self.send(
                app, kind: "usulan", body: "Satu lagi usulan yang cukup panjang.", instansi: try lkpp.requireID(),
                visitor: &visitor)
            #expect(tooMany.status == .tooManyRequests && tooMany.html.contains("Satu lagi usulan yang cukup panjang."))
            #expect(try await PublicInput.query(on: app.db).count() == app.inputSubmissions.perKey)
            // The address is forgotten once its hour has passed, even if nobody sends anything again.
            #expect(app.inputSubmissions.keyCount == 1)
            app.inputSubmissions.forgetExpired(now: app.clock.now().addingTimeInterval(3_601))
            #expect(app.inputSubmissions.keyCount == 0)
        }
    }
}
