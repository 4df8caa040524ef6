import Fluent
import Foundation
import StranasCore
import Testing
import VaporTesting

@testable import App

@Suite("Reporting API for instansi systems", .serialized)
struct ReportingAPITests {
    struct Answer {
        let status: HTTPStatus
        let body: JSONValue
        let headers: HTTPHeaders
        let text: String
    }

    func call(
        _ app: Application, _ method: HTTPMethod, _ url: String, key: String?, json: String? = nil, data: Data? = nil
    ) async throws -> Answer {
        var headers: HTTPHeaders = [:]
        if let key { headers.add(name: .authorization, value: "Bearer \(key)") }
        var answer: Answer?
        try await app.testing().test(
            method, url, headers: headers,
            beforeRequest: { request in
                if let json {
                    request.headers.contentType = .json
                    request.body = ByteBuffer(string: json)
                } else if let data {
                    request.headers.contentType = .binary
                    request.body = ByteBuffer(data: data)
                }
            },
            afterResponse: { response in
                let text = response.body.string
                answer = Answer(
                    status: response.status, body: (try? JSONValue.parse(text)) ?? .null, headers: response.headers,
                    text: text)
            })
        return try #require(answer)
    }

    func aceh(_ app: Application) async throws -> Instansi {
        try #require(try await Instansi.query(on: app.db).filter(\.$name == "Provinsi Aceh").first())
    }

    func key(for instansi: Instansi, on app: Application, name: String = "SIMONEV") async throws -> String {
        let (key, token) = APIToken.make(
            name: name, instansiID: try instansi.requireID(), creatorID: nil, now: app.clock.now())
        try await token.create(on: app.db)
        return key
    }

    func firstQuarterTargets(of instansi: Instansi, on app: Application) async throws -> [Target] {
        try await Target.query(on: app.db).filter(\.$instansi.$id == instansi.requireID())
            .join(Triwulan.self, on: \Target.$triwulan.$id == \Triwulan.$id).filter(Triwulan.self, \.$number == 1)
            .join(Indicator.self, on: \Target.$indicator.$id == \Indicator.$id).sort(Indicator.self, \.$code).all()
    }

    @Test("an Admin Instansi makes a key that is shown once and stored hashed; revoked, it is refused")
    func keysAreMadeAndRevoked() async throws {
        try await withJagaApp { app in
            app.clock = .fixed(reportingDay)
            let aceh = try await self.aceh(app)
            let admin = try await makeAccount([.adminInstansi], instansi: aceh, on: app)
            var browser = TestBrowser(app)
            _ = try await browser.signIn(admin.email, admin.password, totpSecret: admin.totpSecret)
            let empty = try await browser.post(
                SiteURL.apiKeys(), [("nama", "  ")],
                csrf: try await browser.csrfToken(from: SiteURL.apiKeys()))
            #expect(empty.status == .unprocessableEntity)
            let made = try await browser.post(
                SiteURL.apiKeys(), [("nama", "SIMONEV Aceh")],
                csrf: try await browser.csrfToken(from: SiteURL.apiKeys()))
            let key = try #require(firstCapture(#"id="kunci-baru">(jst_[A-Za-z0-9_-]+)<"#, in: made.html))
            #expect(made.headers.cacheControl?.noStore == true)
            let stored = try #require(try await APIToken.query(on: app.db).first())
            #expect(stored.tokenHash == SecureToken.hash(key))
            #expect(stored.tokenHash != key && !key.hasPrefix(stored.tokenHash))
            let again = try await browser.get(SiteURL.apiKeys())
            #expect(!again.html.contains(key))
            #expect(again.html.contains(stored.prefix + "…"))
            #expect(
                try await SecurityEvent.query(on: app.db).filter(\.$kind == .apiTokenCreated).count() == 1)

            let lines = try await self.call(app, .GET, "/api/v1/laporan?periode=2021-2022&triwulan=1", key: key)
            #expect(lines.status == .ok)
            #expect(lines.body["instansi"]?.text == String(try aceh.requireID()))
            #expect(lines.headers.first(name: .cacheControl) == "private, no-cache")
            #expect(try await APIToken.find(stored.id, on: app.db)?.lastUsedAt != nil)

            let revoked = try await browser.post(
                "\(SiteURL.apiKeys())/\(stored.id!)/cabut", [],
                csrf: try await browser.csrfToken(from: SiteURL.apiKeys()))
            #expect(revoked.html.contains("dicabut"))
            let refused = try await self.call(app, .GET, "/api/v1/laporan", key: key)
            #expect(refused.status == .unauthorized)
            #expect(refused.headers.first(name: .wwwAuthenticate) == "Bearer")
            #expect(refused.body["error"]?["code"]?.text == "unauthorized")
            #expect(try await self.call(app, .GET, "/api/v1/laporan", key: nil).status == .unauthorized)
            #expect(try await self.call(app, .GET, "/api/v1/laporan", key: "jst_palsu").status == .unauthorized)
        }
    }

    @Test("a key of one instansi can neither read nor write another instansi's lines")
    func keysStayInTheirInstansi() async throws {
        try await withJagaApp { app in
            app.clock = .fixed(reportingDay)
            let aceh = try await self.aceh(app)
            let key = try await self.key(for: aceh, on: app)
            let otherInstansi = try #require(
                try await Instansi.query(on: app.db).filter(\.$name == "Provinsi Bali").first())
            let foreign = try #require(try await self.firstQuarterTargets(of: otherInstansi, on: app).first)
            let read = try await self.call(app, .GET, "/api/v1/laporan?periode=2021-2022&triwulan=1", key: key)
            let shown = Set(read.body["lines"]?.items.compactMap { Int($0["target"]?.text ?? "") } ?? [])
            let own = Set(try await self.firstQuarterTargets(of: aceh, on: app).compactMap(\.id))
            #expect(!shown.isEmpty)
            #expect(shown == own)
            let write = try await self.call(
                app, .POST, "/api/v1/laporan/\(foreign.id!)", key: key,
                json: #"{"version": 0, "action": "save", "capaian": 1, "narasi": "bukan milik kami"}"#)
            #expect(write.status == .notFound)
            #expect(write.body["error"]?["code"]?.text == "line_not_found")
            #expect(try await ReportLine.query(on: app.db).filter(\.$target.$id == foreign.id!).count() == 0)
        }
    }

    @Test("a line filled through the API is a version in the web history like any other, under the same rules")
    func submissionsFollowTheWebRules() async throws {
        try await withJagaApp { app in
            app.clock = .fixed(reportingDay)
            let aceh = try await self.aceh(app)
            let key = try await self.key(for: aceh, on: app, name: "SIMONEV Aceh")
            let target = try #require(try await self.firstQuarterTargets(of: aceh, on: app).first)
            let path = "/api/v1/laporan/\(target.id!)"

            // Evidence first: checked by content; an executable named .pdf is refused.
            let elf = Data([0x7F, 0x45, 0x4C, 0x46]) + Data(repeating: 0, count: 64)
            let refusedFile = try await self.call(
                app, .POST, "/api/v1/bukti?nama=laporan.pdf", key: key, data: elf)
            #expect(refusedFile.status == .unprocessableEntity)
            #expect(refusedFile.body["error"]?["code"]?.text == "file_refused")
            let uploaded = try await self.call(
                app, .POST, "/api/v1/bukti?nama=berita-acara.pdf&publik=true", key: key, data: ReportingFixture.pdf)
            #expect(uploaded.status == .created)
            let ticket = try #require(uploaded.body["ticket"]?.text)
            #expect(uploaded.body["sha256"]?.text == BlobStore.sha256(ReportingFixture.pdf))

            // A ticket is good for the key that uploaded it only.
            let otherKey = try await self.key(for: aceh, on: app, name: "lain")
            let stolen = try await self.call(
                app, .POST, path, key: otherKey,
                json: #"{"version": 0, "action": "save", "capaian": 1, "newEvidence": ["\#(ticket)"]}"#)
            #expect(stolen.status == .unprocessableEntity)
            #expect(stolen.body["error"]?["code"]?.text == "invalid_content")

            // Content rules of the web form: a bad link; no capaian for review.
            let badLink = try await self.call(
                app, .POST, path, key: key,
                json: #"{"version": 0, "action": "save", "links": ["ftp://arsip.acehprov.go.id"]}"#)
            #expect(badLink.status == .unprocessableEntity)
            let noCapaian = try await self.call(
                app, .POST, path, key: key, json: #"{"version": 0, "action": "submit_for_review", "narasi": "x"}"#)
            #expect(noCapaian.body["error"]?["code"]?.text == "capaian_required")
            let notAllowed = try await self.call(
                app, .POST, path, key: key, json: #"{"version": 0, "action": "accept", "capaian": 1}"#)
            #expect(notAllowed.status == .badRequest)

            let saved = try await self.call(
                app, .POST, path, key: key,
                json: """
                    {"version": 0, "action": "submit_for_review", "capaian": 1,
                     "narasi": "Katalog lokal tayang sejak Maret; data dari SIMONEV.",
                     "links": ["https://lpse.acehprov.go.id/katalog"], "newEvidence": ["\(ticket)"]}
                    """)
            #expect(saved.status == .ok)
            #expect(saved.body["state"]?.text == "review")
            #expect(saved.body["version"]?.text == "1")

            // A change made from an old version is a conflict and changes nothing; the workflow still decides.
            let stale = try await self.call(
                app, .POST, path, key: key, json: #"{"version": 0, "action": "save", "capaian": 2}"#)
            #expect(stale.status == .conflict)
            let inReview = try await self.call(
                app, .POST, path, key: key, json: #"{"version": 1, "action": "save", "capaian": 2}"#)
            #expect(inReview.body["error"]?["code"]?.text == "not_from_state")
            let line = try #require(try await ReportLine.query(on: app.db).filter(\.$target.$id == target.id!).first())
            #expect(line.capaian == 1)
            #expect(line.version == 1)

            // The Unit Teknis sees the version in the line's history, attributed to the key, with the file.
            let unitTeknis = try await makeAccount([.unitTeknis], instansi: aceh, on: app)
            var browser = TestBrowser(app)
            _ = try await browser.signIn(unitTeknis.email, unitTeknis.password, totpSecret: unitTeknis.totpSecret)
            let page = try await browser.get(SiteURL.reportLine(target.id!))
            #expect(page.html.contains("Token API «SIMONEV Aceh»"))
            #expect(page.html.contains("Katalog lokal tayang sejak Maret; data dari SIMONEV."))
            #expect(page.html.contains("berita-acara.pdf"))
            let entries = try await AuditEntry.query(on: app.db).all()
            #expect(entries.contains { $0.actor.hasPrefix("Token API «SIMONEV Aceh»") })

            // After the lock day nothing changes through the API either.
            app.clock = jakartaMorning("2021-05-03")
            let read = try await self.call(app, .GET, "/api/v1/laporan?periode=2021-2022&triwulan=1", key: key)
            let shown = read.body["lines"]?.items.first { $0["target"]?.text == String(target.id!) }
            #expect(shown?["locked"]?.text == "true")
            // The read shows the file the change cited.
            #expect(shown?["evidence"]?.items.first?["sha256"]?.text == BlobStore.sha256(ReportingFixture.pdf))
        }
    }
}

@Suite("API keys leave with the person who made them", .serialized)
struct APIKeyCreatorTests {
    @Test("deactivating the Admin Instansi who made a key revokes it; /token-api says why")
    func keysLeaveWithTheirCreator() async throws {
        try await withJagaApp { app in
            // setup
            let api = ReportingAPITests()
            let aceh = try await api.aceh(app)
            let creator = try await makeAccount([.adminInstansi], instansi: aceh, on: app)
            let colleague = try await makeAccount([.adminInstansi], instansi: aceh, on: app)
            let (key, token) = APIToken.make(
                name: "SIMONEV", instansiID: try aceh.requireID(), creatorID: creator.id, now: app.clock.now())
            try await token.create(on: app.db)
            #expect(
                try await api.call(app, .GET, "/api/v1/laporan?periode=2021-2022&triwulan=1", key: key).status == .ok)
            // MUT
            let setnas = try await makeAccount([.adminSetnas], on: app)
            var browser = TestBrowser(app)
            _ = try await browser.signIn(setnas.email, setnas.password, totpSecret: setnas.totpSecret)
            let done = try await browser.post(
                "/pengguna/\(creator.id)/nonaktifkan", [], csrf: try await browser.csrfToken(from: "/pengguna"))
            #expect(done.location == "/pengguna?nonaktif=\(creator.id)")
            #expect(try await User.find(creator.id, on: app.db)?.status == .deactivated)
            #expect(try await APIToken.query(on: app.db).all().map(\.revokedBecause) == ["creator_deactivated"])
            // validate
            let refused = try await api.call(app, .GET, "/api/v1/laporan?periode=2021-2022&triwulan=1", key: key)
            #expect(refused.status == .unauthorized)
            var other = TestBrowser(app)
            _ = try await other.signIn(colleague.email, colleague.password, totpSecret: colleague.totpSecret)
            let page = try await other.get("/token-api")
            #expect(page.html.contains("(pembuatnya dinonaktifkan)"))
            #expect(page.html.contains("Bila akun pembuatnya dinonaktifkan, kuncinya ikut dicabut."))
        }
    }
}
