import Crypto
import Fluent
import Foundation
import StranasCore
import Testing
import VaporTesting

@testable import App

@Suite("Evidence tickets cannot be forged from a file's SHA-256", .serialized)
struct EvidenceTicketTests {
    /// A ticket signed the way the code before this suite signed it: HMAC-SHA256 keyed with a secret the caller knows.
    func ticket(sha256: String, name: String, signedWith secret: String) -> String {
        let message = "\(sha256)|\(name)|0"
        let code = HMAC<SHA256>.authenticationCode(
            for: Data(message.utf8), using: SymmetricKey(data: Data(secret.utf8)))
        return message + "|" + code.map { String(format: "%02x", $0) }.joined()
    }

    /// Aceh's Unit Teknis saves its line with a confidential PDF; another instansi's Unit Teknis and API key learn its
    /// SHA-256. Returns the hash, the other instansi and one of its TW I targets.
    func confidentialFile(_ app: Application) async throws -> (sha256: String, other: Instansi, otherTarget: Int) {
        var cast = try await ReportingFixture.cast(app)
        let path = SiteURL.reportLine(cast.targetID)
        let page = try await cast.unitTeknis.get(path)
        let secret = Data("%PDF-1.7\nrahasia Aceh\n%%EOF\n".utf8)
        let saved = try await cast.unitTeknis.postMultipart(
            path,
            fields: [
                ("_csrf", try #require(firstCapture(#"name="_csrf" value="([^"]+)""#, in: page.html))),
                ("versi", ReportingFixture.version(page)), ("tindakan", "save"), ("capaian", "1"),
                ("narasi", "Rahasia."),
            ],
            files: [("bukti[]", "rahasia.pdf", secret)])
        #expect(saved.status == .seeOther)
        let aceh = try #require(try await Instansi.query(on: app.db).filter(\.$name == "Provinsi Aceh").first())
        let target = try #require(
            try await Target.query(on: app.db).filter(\.$instansi.$id != aceh.requireID())
                .join(Triwulan.self, on: \Target.$triwulan.$id == \Triwulan.$id).filter(Triwulan.self, \.$number == 1)
                .first())
        let other = try #require(try await Instansi.find(target.$instansi.id, on: app.db))
        return (BlobStore.sha256(secret), other, try target.requireID())
    }

    @Test("a form carrying a ticket signed with the caller's own CSRF token cannot cite another instansi's file")
    func formTicketSignedWithCSRFTokenIsRefused() async throws {
        try await withJagaApp { app in
            // setup
            let (sha256, other, target) = try await self.confidentialFile(app)
            let thief = try await makeAccount([.unitTeknis], instansi: other, on: app)
            var browser = TestBrowser(app)
            _ = try await browser.signIn(thief.email, thief.password, totpSecret: thief.totpSecret)
            let path = SiteURL.reportLine(target)
            let page = try await browser.get(path)
            let csrf = try #require(firstCapture(#"name="_csrf" value="([^"]+)""#, in: page.html))
            // MUT: the forged ticket, signed with the thief's CSRF token as the old code did
            _ = try await browser.postMultipart(
                path,
                fields: [
                    ("_csrf", csrf), ("versi", ReportingFixture.version(page)), ("tindakan", "save"), ("capaian", "1"),
                    ("tertunda[]", self.ticket(sha256: sha256, name: "curian.pdf", signedWith: csrf)),
                ], files: [])
            // validate: the thief's line cites nothing and the file stays closed to them
            #expect(try await ReportEvidence.query(on: app.db).filter(\.$blob.$id == sha256).count() == 1)
            let download = try await browser.get(EvidenceController.url(sha256: sha256, targetID: target))
            #expect(download.status == .notFound || download.status == .forbidden)
        }
    }

    @Test("an API call carrying a ticket signed with the hash of its own key cannot cite another instansi's file")
    func apiTicketSignedWithKeyHashIsRefused() async throws {
        try await withJagaApp { app in
            let (sha256, other, target) = try await self.confidentialFile(app)
            let (key, token) = APIToken.make(
                name: "curi", instansiID: try other.requireID(), creatorID: nil, now: app.clock.now())
            try await token.create(on: app.db)
            let forged = self.ticket(sha256: sha256, name: "curian.pdf", signedWith: token.tokenHash)
            let answer = try await ReportingAPITests().call(
                app, .POST, "/api/v1/laporan/\(target)", key: key,
                json: #"{"version": 0, "action": "save", "capaian": 1, "newEvidence": ["\#(forged)"]}"#)
            #expect(answer.status == .unprocessableEntity)
            #expect(try await ReportEvidence.query(on: app.db).filter(\.$blob.$id == sha256).count() == 1)
        }
    }

    @Test("a genuine ticket from /api/v1/bukti still cites its file, under its name")
    func ticketNamesAreSanitised() async throws {
        try await withJagaApp { app in
            app.clock = .fixed(reportingDay)
            let api = ReportingAPITests()
            let aceh = try await api.aceh(app)
            let key = try await api.key(for: aceh, on: app)
            let target = try #require(try await api.firstQuarterTargets(of: aceh, on: app).first)
            let uploaded = try await api.call(
                app, .POST, "/api/v1/bukti?nama=berita.pdf", key: key, data: ReportingFixture.pdf)
            let ticket = try #require(uploaded.body["ticket"]?.text)
            #expect(ticket.contains("berita.pdf"))
            let saved = try await api.call(
                app, .POST, "/api/v1/laporan/\(target.id!)", key: key,
                json: #"{"version": 0, "action": "save", "capaian": 1, "newEvidence": ["\#(ticket)"]}"#)
            #expect(saved.status == .ok)
            let cited = try #require(try await ReportEvidence.query(on: app.db).first())
            #expect(cited.fileName == "berita.pdf")
        }
    }
}
