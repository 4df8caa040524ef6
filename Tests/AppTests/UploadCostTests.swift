import Fluent
import Foundation
import NIOConcurrencyHelpers
import StranasCore
import Testing
import VaporTesting

@testable import App

@Suite("Uploads cost what they must: the token read from the raw form, limits before the body", .serialized)
struct UploadCostTests {
    func multipart(_ parts: [(name: String, fileName: String?, value: Data)], boundary: String) -> ByteBuffer {
        var body = Data()
        for part in parts {
            let disposition =
                part.fileName.map { "form-data; name=\"\(part.name)\"; filename=\"\($0)\"" }
                ?? "form-data; name=\"\(part.name)\""
            body.append(Data("--\(boundary)\r\nContent-Disposition: \(disposition)\r\n\r\n".utf8))
            body.append(part.value)
            body.append(Data("\r\n".utf8))
        }
        body.append(Data("--\(boundary)--\r\n".utf8))
        return ByteBuffer(data: body)
    }

    @Test("the CSRF token is read from the text parts before the first file, never from behind one")
    func tokenFromTheRawForm() {
        let boundary = "b0undary"
        let file = Data(repeating: 0x41, count: 100_000)
        let first = self.multipart(
            [("_csrf", nil, Data("tok-123".utf8)), ("isi", nil, Data("teks".utf8)), ("bukti[]", "a.pdf", file)],
            boundary: boundary)
        #expect(MultipartTextField.value(named: "_csrf", in: first, boundary: boundary) == "tok-123")
        let second = self.multipart(
            [("isi", nil, Data("teks\r\nbaris".utf8)), ("_csrf", nil, Data("tok-456".utf8))], boundary: boundary)
        #expect(MultipartTextField.value(named: "_csrf", in: second, boundary: boundary) == "tok-456")
        let hidden = self.multipart(
            [("bukti[]", "a.pdf", file), ("_csrf", nil, Data("tok-789".utf8))], boundary: boundary)
        #expect(MultipartTextField.value(named: "_csrf", in: hidden, boundary: boundary) == nil)
        #expect(MultipartTextField.value(named: "_csrf", in: ByteBuffer(string: "sampah"), boundary: boundary) == nil)
        #expect(MultipartTextField.value(named: "_csrf", in: ByteBuffer(), boundary: boundary) == nil)
    }

    @Test("a /lapor post whose token hides behind a file is refused without decoding it")
    func tokenBehindAFileIsRefused() async throws {
        try await withJagaApp { app in
            var visitor = TestBrowser(app)
            let token = try await visitor.csrfToken(from: "/lapor")
            let page = try await visitor.postMultipart(
                "/lapor", fields: [],
                files: [("bukti[]", "a.pdf", ReportingFixture.pdf), ("_csrf", "x", Data(token.utf8))])
            #expect(page.status == .forbidden)
            #expect(try await PublicCase.query(on: app.db).count() == 0)
        }
    }

    @Test("a client over its hourly limit on /lapor is refused before its body is read, in its language")
    func overTheLimitBeforeTheBody() async throws {
        try await withJagaApp { app in
            let limits = app.reportSubmissions
            // The in-memory test client has no socket address; an HTTP client here would be 127.0.0.1.
            for address in ["unknown", "127.0.0.1"] {
                let key = limits.key(forAddress: address)
                for _ in 0..<limits.perKey { _ = limits.admit(key, now: app.clock.now()) }
            }
            var visitor = TestBrowser(app)
            let token = try await visitor.csrfToken(from: "/lapor")
            let page = try await visitor.postMultipart(
                "/lapor", fields: [("_csrf", token), ("instansi", "1"), ("isi", PublicCaseTests.body)],
                files: [("bukti[]", "besar.pdf", Data("%PDF-1.7\n".utf8) + Data(count: 5 * 1024 * 1024))])
            #expect(page.status == .tooManyRequests)
            #expect(page.html.contains("Terlalu banyak kiriman dari sambungan Anda"))
        }
    }

    @Test("one save takes at most ten files; eleven are refused with the reason and the narasi kept")
    func filesPerSave() async throws {
        try await withJagaApp { app in
            var cast = try await ReportingFixture.cast(app)
            let path = SiteURL.reportLine(cast.targetID)
            let page = try await cast.unitTeknis.get(path)
            let files = (1...11).map { ("bukti[]", "foto-\($0).png", ReportingFixture.png + Data([UInt8($0)])) }
            let refused = try await cast.unitTeknis.postMultipart(
                path,
                fields: [
                    ("_csrf", try #require(firstCapture(#"name="_csrf" value="([^"]+)""#, in: page.html))),
                    ("versi", ReportingFixture.version(page)), ("tindakan", "save"), ("capaian", "1"),
                    ("narasi", "Sebelas foto kegiatan."),
                ], files: files)
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.html.contains("11 berkas dikirim sekaligus; paling banyak 10 berkas per simpan."))
            #expect(refused.html.contains("Sebelas foto kegiatan."))
            #expect(try await EvidenceBlob.query(on: app.db).count() == 0)
        }
    }
}

@Suite("The gate for large bodies")
struct UploadGateTests {
    @Test("with two permits a third body waits until one of the first two is done")
    func thirdWaits() async throws {
        let gate = UploadGate(permits: 2)
        await gate.enter()
        await gate.enter()
        let entered = NIOLockedValueBox(false)
        let third = Task {
            await gate.enter()
            entered.withLockedValue { $0 = true }
        }
        try await Task.sleep(for: .milliseconds(100))
        #expect(entered.withLockedValue { $0 } == false)
        await gate.leave()
        await third.value
        #expect(entered.withLockedValue { $0 } == true)
    }
}
