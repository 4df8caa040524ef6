import Fluent
import Foundation
import StranasCore
import Testing
import VaporTesting

@testable import App

@Suite("Response headers: stricter ones kept, private answers never cached, HTTPS from the operator only", .serialized)
struct ResponseHeaderTests {
    @Test("the anonymous pages keep their no-referrer policy and evidence keeps its sandbox")
    func stricterHeadersAreKept() async throws {
        try await withJagaApp { app in
            var visitor = TestBrowser(app)
            let form = try await visitor.get("/lapor")
            #expect(form.headers.first(name: "Referrer-Policy") == "no-referrer")
            #expect(form.headers[.cacheControl].joined().contains("no-store"))

            var cast = try await ReportingFixture.cast(app)
            _ = try await ReportingFixture.fill(&cast.unitTeknis, cast.targetID, capaian: "1", narasi: "Selesai.")
            let download = try await cast.unitTeknis.get(
                EvidenceController.url(sha256: BlobStore.sha256(ReportingFixture.png), targetID: cast.targetID))
            #expect(download.status == .ok)
            #expect(download.headers.first(name: "Content-Security-Policy") == "default-src 'none'; sandbox")
            // A file of a line that is not public yet is for its reader alone.
            #expect(download.headers.first(name: .cacheControl) == "private, no-store")
        }
    }

    @Test("the line page shows a PDF and an image in place; their inline answers may be framed by the portal only")
    func evidenceShownInPlace() async throws {
        try await withJagaApp { app in
            var cast = try await ReportingFixture.cast(app)
            _ = try await ReportingFixture.fill(&cast.unitTeknis, cast.targetID, capaian: "1", narasi: "Selesai.")
            let page = try await cast.unitTeknis.get(SiteURL.reportLine(cast.targetID))
            let pdfURL = try #require(
                firstCapture(#"<iframe src="([^"]+)""#, in: page.html)?.replacingOccurrences(of: "&amp;", with: "&"))
            let imageURL = try #require(
                firstCapture(#"<img src="(/bukti/[^"]+)""#, in: page.html)?.replacingOccurrences(of: "&amp;", with: "&")
            )
            #expect(pdfURL.contains(BlobStore.sha256(ReportingFixture.pdf)) && pdfURL.hasSuffix("&tampil=1"))
            #expect(imageURL.contains(BlobStore.sha256(ReportingFixture.png)))

            let pdf = try await cast.unitTeknis.get(pdfURL)
            #expect(pdf.headers.first(name: .contentDisposition) == "inline")
            #expect(pdf.headers.first(name: "X-Frame-Options") == "SAMEORIGIN")
            #expect(pdf.headers.first(name: "Content-Security-Policy") == "default-src 'none'; frame-ancestors 'self'")
            let image = try await cast.unitTeknis.get(imageURL)
            #expect(image.headers.first(name: .contentDisposition) == "inline")
            #expect(
                image.headers.first(name: "Content-Security-Policy")
                    == "default-src 'none'; frame-ancestors 'self'; sandbox")
            // Without the marker, or for someone who may not read the line, nothing changes.
            let download = try await cast.unitTeknis.get(pdfURL.replacingOccurrences(of: "&tampil=1", with: ""))
            #expect(download.headers.first(name: .contentDisposition)?.hasPrefix("attachment;") == true)
            var visitor = TestBrowser(app)
            #expect(try await visitor.get(pdfURL).status == .notFound)
        }
    }

    @Test("a monitoring role's dashboard, which shows returned lines, is never kept by a shared cache")
    func signedInPagesAreNotCached() async throws {
        try await withJagaApp { app in
            let timnas = try await makeAccount([.timnas], on: app)
            var browser = TestBrowser(app)
            _ = try await browser.signIn(timnas.email, timnas.password, totpSecret: timnas.totpSecret)
            let page = try await browser.get("/dasbor")
            #expect(page.status == .ok)
            #expect(page.headers.first(name: .cacheControl) == "private, no-store")
            var visitor = TestBrowser(app)
            #expect(try await visitor.get("/dasbor").headers.first(name: .cacheControl) != "private, no-store")
        }
    }

    @Test("HSTS follows JAGA_PUBLIC_URL, not a client's X-Forwarded-Proto")
    func hstsFromConfiguration() async throws {
        try await withJagaApp(seeded: false) { app in
            try await app.testing().test(.GET, "/", headers: ["X-Forwarded-Proto": "https"]) { response in
                #expect(response.headers.first(name: "Strict-Transport-Security") == nil)
            }
        }
        try await withJagaApp(seeded: false, adjusting: { $0.publicURL = "https://jaga.example.go.id" }) { app in
            try await app.testing().test(.GET, "/") { response in
                #expect(response.headers.first(name: "Strict-Transport-Security") == "max-age=31536000")
            }
        }
    }

    @Test("the default public address follows --port; a configured one stays")
    func publicURLFollowsThePort() throws {
        let config = AppConfig(
            dataDirectory: "/tmp/x", database: .sqliteInMemory, hostname: "127.0.0.1", port: 8080, mode: .development)
        #expect(
            config.servingOnPort(Entrypoint.portArgument(["jaga", "serve", "--port", "8091"])).publicURL
                == "http://127.0.0.1:8091")
        #expect(config.servingOnPort(Entrypoint.portArgument(["jaga", "serve", "-p", "9000"])).port == 9000)
        #expect(config.servingOnPort(Entrypoint.portArgument(["jaga", "serve"])).publicURL == "http://127.0.0.1:8080")
        let configured = AppConfig(
            dataDirectory: "/tmp/x", database: .sqliteInMemory, hostname: "127.0.0.1", port: 8080, mode: .production,
            publicURL: "https://jaga.example.go.id")
        #expect(configured.servingOnPort(8091).publicURL == "https://jaga.example.go.id")
    }

    @Test("the one CSV writer of the public tables writes a cell that starts a formula as text")
    func scoreCSVNeutralisesFormulas() throws {
        let response = CSVDownload.response(
            [["instansi", "skor"], ["=HYPERLINK(\"https://evil.example\";\"Aceh\")", "-2.5"], ["@SUM(A1)", "10"]],
            fileName: "uji.csv")
        let text = try #require(response.body.string)
        #expect(text.contains("\"'=HYPERLINK(\"\"https://evil.example\"\";\"\"Aceh\"\")\",-2.5\n"))
        #expect(text.contains("'@SUM(A1),10\n"))
    }
}
