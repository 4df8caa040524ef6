import Fluent
import Foundation
import StranasCore
import Testing
import VaporTesting

@testable import App

@Suite("A NUL character is refused with a message, never stored (PostgreSQL cannot)", .serialized)
struct NulCharacterTests {
    @Test("in a form field, in a path and in the API's JSON: a 400 that says what to do")
    func nulIsRefused() async throws {
        try await withJagaApp { app in
            var visitor = TestBrowser(app)
            let token = try await visitor.csrfToken(from: "/masuk")
            let form = try await visitor.postEncoded(
                "/masuk", body: Data("email=a%00b%40contoh.example&password=x&_csrf=\(token)".utf8))
            #expect(form.status == .badRequest)
            #expect(form.html.contains("karakter kosong (NUL)"))
            #expect(try await visitor.get("/aksi/%00").status == .badRequest)
            let api = ReportingAPITests()
            let aceh = try await api.aceh(app)
            let key = try await api.key(for: aceh, on: app)
            let target = try #require(try await api.firstQuarterTargets(of: aceh, on: app).first)
            let answer = try await api.call(
                app, .POST, "/api/v1/laporan/\(target.id!)", key: key,
                json: #"{"version": 0, "action": "save", "narasi": "a\u0000b"}"#)
            #expect(answer.status == .unprocessableEntity)
            #expect(answer.body["error"]?["code"]?.text == "nul_character")
            #expect(try await ReportLine.query(on: app.db).count() == 0)
        }
    }

    @Test("file contents may hold any byte")
    func filesMayHoldNul() async throws {
        try await withJagaApp { app in
            var visitor = TestBrowser(app)
            let token = try await visitor.csrfToken(from: "/lapor")
            let page = try await visitor.postMultipart(
                "/lapor", fields: [("_csrf", token), ("instansi", "1"), ("isi", PublicCaseTests.body)],
                files: [("bukti[]", "nol.pdf", Data("%PDF-1.7\n".utf8) + Data(count: 64))])
            #expect(page.status == .created)
        }
    }
}
