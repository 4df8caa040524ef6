import Fluent
import Foundation
import StranasCore
import Testing
import VaporTesting

@testable import App

/// Sent over a real socket (`.running`), since only a streamed body can be larger than its route takes.
@Suite("A form too large to take comes back as the form, with what was typed and the right limit", .serialized)
struct OversizedFormTests {
    /// A multipart body: text fields, then one file of `fileBytes`, then more text fields.
    func body(
        before: [(String, String)], fileBytes: Int, after: [(String, String)], boundary: String
    ) -> ByteBuffer {
        var body = Data()
        func text(_ name: String, _ value: String) {
            body.append(
                Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n".utf8))
        }
        for (name, value) in before { text(name, value) }
        body.append(
            Data(
                ("--\(boundary)\r\nContent-Disposition: form-data; name=\"bukti[]\"; filename=\"video.mp4\"\r\n"
                    + "Content-Type: video/mp4\r\n\r\n").utf8))
        body.append(Data(count: fileBytes))
        body.append(Data("\r\n".utf8))
        for (name, value) in after { text(name, value) }
        body.append(Data("--\(boundary)--\r\n".utf8))
        return ByteBuffer(data: body)
    }

    /// Posts `body` to the app served on a loopback port. Vapor's own client, not `app.testing(method: .running)`,
    /// whose client gives up after 30 s: a 5 MB upload on a machine busy with the whole suite can take longer.
    func post(
        _ app: Application, _ path: String, body: ByteBuffer, boundary: String, cookies: String
    ) async throws -> (HTTPStatus, String) {
        var headers: HTTPHeaders = ["Cookie": cookies]
        headers.contentType = HTTPMediaType(type: "multipart", subType: "form-data", parameters: ["boundary": boundary])
        app.http.client.configuration.timeout = .init(connect: .seconds(30), read: .seconds(300))
        try await app.server.start(address: .hostname("127.0.0.1", port: 0))
        do {
            let port = try #require(app.http.server.shared.localAddress?.port)
            let response = try await app.client.post(URI(string: "http://127.0.0.1:\(port)\(path)"), headers: headers) {
                $0.body = body
            }
            await app.server.shutdown()
            return (response.status, response.body.map { String(buffer: $0) } ?? "")
        } catch {
            await app.server.shutdown()
            throw error
        }
    }

    @Test("a phone video on /lapor: 413 with the report's text, the contact and the limits; nothing is stored")
    func publicReport() async throws {
        try await withJagaApp(adjusting: { $0.uploadLimitBytes = 1024 * 1024 }) { app in
            // setup
            var visitor = TestBrowser(app)
            let token = try await visitor.csrfToken(from: "/lapor")
            let cookies = visitor.cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; ")
            let boundary = "jaga-besar-\(UUID().uuidString)"
            let text = "Petugas meminta uang pelicin; videonya saya rekam dengan ponsel di loket tiga."
            // MUT
            let (status, html) = try await self.post(
                app, "/lapor",
                body: self.body(
                    before: [("_csrf", token), ("instansi", ""), ("isi", text)], fileBytes: 5 * 1024 * 1024,
                    after: [("kontak", "saksi@contoh.example")], boundary: boundary),
                boundary: boundary, cookies: cookies)
            // validate
            #expect(status == .payloadTooLarge)
            #expect(html.contains("terlalu besar: paling besar 1 MB per berkas dan 3 berkas"))
            #expect(html.contains(text))
            #expect(html.contains("saksi@contoh.example"))
            #expect(!html.contains("Berkas rencana"))
            #expect(try await PublicCase.query(on: app.db).count() == 0)
        }
    }

    @Test("the same on a report line: 413 with capaian and narasi kept, the limits named")
    func reportLine() async throws {
        try await withJagaApp(adjusting: { $0.uploadLimitBytes = 1024 * 1024 }) { app in
            var cast = try await ReportingFixture.cast(app)
            let path = SiteURL.reportLine(cast.targetID)
            let page = try await cast.unitTeknis.get(path)
            let token = try #require(firstCapture(#"name="_csrf" value="([^"]+)""#, in: page.html))
            let cookies = cast.unitTeknis.cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; ")
            let boundary = "jaga-besar-\(UUID().uuidString)"
            let (status, html) = try await self.post(
                app, path,
                body: self.body(
                    before: [
                        ("_csrf", token), ("versi", "0"), ("capaian", "7"),
                        ("narasi", "Narasi panjang yang tidak boleh hilang."),
                    ], fileBytes: 5 * 1024 * 1024, after: [("tindakan", "save")], boundary: boundary),
                boundary: boundary, cookies: cookies)
            #expect(status == .payloadTooLarge)
            #expect(html.contains("paling besar 1 MB per berkas dan 4 MB seluruhnya"))
            #expect(html.contains("Narasi panjang yang tidak boleh hilang."))
            #expect(html.contains(#"value="7""#))
            #expect(try await ReportLine.query(on: app.db).count() == 0)
        }
    }

    @Test("an empty instansi on /lapor costs the choice, not the text")
    func emptyInstansiKeepsTheText() async throws {
        try await withJagaApp { app in
            var visitor = TestBrowser(app)
            let token = try await visitor.csrfToken(from: "/lapor")
            let text = "Pungutan liar di loket pelayanan perizinan terpadu, setiap Senin pagi."
            let page = try await visitor.postMultipart(
                "/lapor", fields: [("_csrf", token), ("instansi", ""), ("isi", text)], files: [])
            #expect(page.status == .unprocessableEntity)
            #expect(page.html.contains(text))
        }
    }

    @Test("every file input states its limit and carries it for the script that checks before sending")
    func limitsBesideFileInputs() async throws {
        try await withJagaApp { app in
            var visitor = TestBrowser(app)
            let form = try await visitor.get("/lapor")
            #expect(form.html.contains(#"data-max-mb="20""#) && form.html.contains(#"data-max-files="3""#))
            #expect(form.html.contains(#"<script src="/js/upload-limit.js" defer></script>"#))
            let script = try await visitor.get("/js/upload-limit.js")
            #expect(script.status == .ok && script.html.contains("setCustomValidity"))
        }
    }
}
