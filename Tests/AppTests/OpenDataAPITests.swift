import Fluent
import Foundation
import StranasCore
import Testing
import VaporTesting

@testable import App

@Suite("Open data API", .serialized)
struct OpenDataAPITests {
    /// The demo plan with one verified line (Aceh, 5.1.1, TW I 2021) and the scores it makes.
    func withData(_ body: (Application) async throws -> Void) async throws {
        try await withJagaApp { app in
            let aceh = try #require(try await Instansi.query(on: app.db).filter(\.$name == "Provinsi Aceh").first())
            let target = try #require(
                try await Target.query(on: app.db).filter(\.$instansi.$id == aceh.requireID())
                    .join(Triwulan.self, on: \Target.$triwulan.$id == \Triwulan.$id)
                    .filter(Triwulan.self, \.$number == 1)
                    .join(Indicator.self, on: \Target.$indicator.$id == \Indicator.$id)
                    .filter(Indicator.self, \.$code == "5.1.1").first())
            let line = ReportLine(targetID: try target.requireID(), now: app.clock.now())
            line.state = .accepted
            line.capaian = 1
            line.verifiedValue = 1
            line.verifiedAt = app.clock.now()
            line.firstSubmittedAt = app.clock.now()
            line.version = 3
            try await line.save(on: app.db)
            try await ScoreBook(database: app.db, today: app.clock.today).rebuild()
            // A target revision, a published question with its answer (and an e-mail that must not show), and a
            // published triwulan report.
            let revision = TargetRevision()
            revision.$indicator.id = target.$indicator.id
            revision.$instansi.id = target.$instansi.id
            revision.$triwulan.id = target.$triwulan.id
            revision.oldValue = 0
            revision.newValue = 1
            revision.reason = "Katalog lokal Aceh tayang lebih awal dari rencana."
            revision.at = app.clock.now()
            try await revision.create(on: app.db)
            let input = PublicInput()
            input.kind = .pertanyaan
            input.state = .disetujui
            input.$instansi.id = try aceh.requireID()
            input.author = ""
            input.email = try app.sealingKey.seal("penanya@contoh.id", purpose: InputDesk.emailPurpose)
            input.body = "Kapan katalog lokal Aceh dibuka untuk penyedia UMKM?"
            input.createdOn = "2026-11-20"
            input.answer = "Sejak Maret 2021, lewat LPSE Aceh."
            input.answeredOn = "2026-11-25"
            try await input.create(on: app.db)
            let snapshot = ResultSnapshot()
            snapshot.$cycle.id = try target.joined(Triwulan.self).$cycle.id
            snapshot.triwulan = 1
            snapshot.publishedAt = app.clock.now()
            snapshot.publishedBy = "uji"
            snapshot.content = "{}"
            snapshot.sha256 = String(repeating: "ab", count: 32)
            try await snapshot.create(on: app.db)
            // A key of Aceh's, for the reporting API.
            let (key, token) = APIToken.make(
                name: "Uji", instansiID: try aceh.requireID(), creatorID: nil, now: app.clock.now())
            try await token.create(on: app.db)
            app.storage[TestKey.self] = key
            try await body(app)
        }
    }

    func json(
        _ app: Application, _ url: String, headers: HTTPHeaders = [:]
    ) async throws -> (
        HTTPStatus, JSONValue, HTTPHeaders
    ) {
        var result: (HTTPStatus, JSONValue, HTTPHeaders)?
        try await app.testing().test(.GET, url, headers: headers) { response in
            result = (response.status, try JSONValue.parse(response.body.string), response.headers)
        }
        return try #require(result)
    }

    @Test("every route under /api/v1 is in the OpenAPI document, and every documented operation is served")
    func routesMatchTheDocument() async throws {
        let document = try OpenAPIDocument()
        try await withJagaApp(seeded: false) { app in
            let served = Set(
                app.routes.all.filter { $0.path.prefix(2).map(\.description) == ["api", "v1"] }.map { route in
                    "\(route.method.rawValue) /"
                        + route.path.map { component in
                            if case .parameter(let name) = component { return "{\(name)}" }
                            return component.description
                        }.joined(separator: "/")
                })
            let documented = Set(
                document.paths.flatMap { path, item in
                    item.keys.filter { ["get", "post", "put", "patch", "delete"].contains($0) }.map {
                        "\($0.uppercased()) \(document.base)\(path)"
                    }
                } + ["GET /api/v1/openapi.yaml"])
            #expect(served == documented)
        }
    }

    @Test("every operation answers as the document says: plainly, with each filter, and with each bad value")
    func responsesConformToTheDocument() async throws {
        let document = try OpenAPIDocument()
        try await self.withData { app in
            var checked = 0
            for (path, item) in document.paths.sorted(by: { $0.key < $1.key }) {
                guard let operation = item["get"] as? [String: Any] else { continue }
                let parameters = document.parameters(operation)
                var base = document.base + path
                for parameter in parameters where parameter["in"] as? String == "path" {
                    let name = parameter["name"] as? String ?? ""
                    base = base.replacingOccurrences(of: "{\(name)}", with: "\(parameter["example"] ?? "")")
                }
                // Operations with a security requirement get the test key.
                let headers: HTTPHeaders =
                    operation["security"] == nil
                    ? [:] : ["Authorization": "Bearer \(app.storage[TestKey.self] ?? "")"]
                func expect(_ url: String, _ status: HTTPStatus) async throws -> JSONValue {
                    let (got, body, _) = try await self.json(app, url, headers: headers)
                    #expect(got == status, "\(url)")
                    let schema = try #require(document.responseSchema(operation, status: Int(status.code)), "\(url)")
                    let problems = document.problems(body, against: schema)
                    #expect(problems.isEmpty, "\(url): \(problems.prefix(5))")
                    checked += 1
                    return body
                }
                let plain = try await expect(base, .ok)
                if plain["page"] != nil { #expect(!plain["data"]!.items.isEmpty, "\(base) has data") }
                for parameter in parameters where parameter["in"] as? String == "query" {
                    let name = parameter["name"] as? String ?? ""
                    let schema = document.resolve(parameter["schema"])
                    let good = parameter["example"] ?? (schema["enum"] as? [Any])?.first ?? schema["minimum"] ?? 1
                    _ = try await expect("\(base)?\(name)=\(good)", .ok)
                    for bad in ["x", "-1", "99999999", "1.5"] where !Self.accepts(schema, bad) {
                        let refused = try await expect("\(base)?\(name)=\(bad)", .badRequest)
                        #expect(refused["error"]?["code"]?.text == "bad_parameter")
                        #expect(refused["error"]?["message"]?.text.contains(name) == true)
                    }
                }
                // A misspelt filter is refused, not ignored.
                let unknown = try await expect(base + "?instanssi=1", .badRequest)
                #expect(unknown["error"]?["code"]?.text == "unknown_parameter")
                if parameters.contains(where: { $0["in"] as? String == "path" && $0["name"] as? String == "cycle" }) {
                    let missing = try await expect(
                        document.base + path.replacingOccurrences(of: "{cycle}", with: "1999-2000"), .notFound)
                    #expect(missing["error"]?["code"]?.text == "unknown_cycle")
                }
            }
            #expect(checked > 30)
        }
    }

    /// Whether `text` is a valid value of a query parameter's schema (so that it is not tried as a bad one).
    static func accepts(_ schema: [String: Any], _ text: String) -> Bool {
        if let values = schema["enum"] as? [Any] { return values.contains { "\($0)" == text } }
        if let pattern = schema["pattern"] as? String {
            return text.range(of: pattern, options: .regularExpression) != nil
        }
        if schema["type"] as? String == "integer" {
            guard let value = Int(text) else { return false }
            let minimum = schema["minimum"] as? Int ?? Int.min
            let maximum = schema["maximum"] as? Int ?? Int.max
            return value >= minimum && value <= maximum
        }
        return true
    }

    @Test("verified results show the claim beside the verified value; a draft or returned line is not a result")
    func results() async throws {
        try await self.withData { app in
            let (_, body, _) = try await self.json(app, "/api/v1/cycles/2021-2022/results?indicator=5.1.1")
            let results = body["data"]!.items
            #expect(results.count == 1)
            #expect(results.first?["verified"]?.text == "1")
            #expect(results.first?["triwulan"]?.text == "1")
            let (_, inputs, _) = try await self.json(app, "/api/v1/inputs?kind=pertanyaan")
            #expect(inputs["data"]!.items.first?["answer"]?.text == "Sejak Maret 2021, lewat LPSE Aceh.")
            #expect(inputs["data"]!.items.first?["author"].map { "\($0)" } == "null")
            try await app.testing().test(.GET, "/api/v1/inputs") { response in
                #expect(response.body.string.contains("Kapan katalog lokal Aceh"))
                #expect(!response.body.string.contains("penanya@contoh.id"))
            }
            let (_, snapshots, _) = try await self.json(app, "/api/v1/cycles/2021-2022/snapshots")
            #expect(snapshots["data"]!.items.first?["url"]?.text == "/laporan-capaian/2021-2022/1/json")
            let (_, scores, _) = try await self.json(
                app, "/api/v1/cycles/2021-2022/scores?scope=national&voice=verified")
            #expect(
                scores["data"]!.items.contains {
                    $0["triwulan"]?.text == "1" && $0["subject"].map { "\($0)" } == "null"
                })
        }
    }

    @Test("pages: per_page items, the total of all pages, an empty page after the last")
    func pagination() async throws {
        try await withJagaApp { app in
            let (_, first, _) = try await self.json(app, "/api/v1/instansi?per_page=2")
            #expect(first["data"]!.items.count == 2)
            let total = Int(first["page"]?["total"]?.text ?? "") ?? 0
            #expect(total == (try await Instansi.query(on: app.db).count()))
            let (_, second, _) = try await self.json(app, "/api/v1/instansi?per_page=2&page=2")
            #expect(second["data"]!.items.first?["id"]?.text != first["data"]!.items.first?["id"]?.text)
            let (_, beyond, _) = try await self.json(app, "/api/v1/instansi?per_page=500&page=99")
            #expect(beyond["data"]!.items.isEmpty)
            let (_, provinces, _) = try await self.json(app, "/api/v1/instansi?kind=provinsi&per_page=500")
            #expect(provinces["data"]!.items.count == 34)
        }
    }

    @Test("ETag and Cache-Control on every answer; If-None-Match gives 304 until the data changes")
    func caching() async throws {
        try await withJagaApp { app in
            let (_, _, headers) = try await self.json(app, "/api/v1/audit/head")
            let etag = try #require(headers.first(name: .eTag))
            #expect(headers.first(name: .cacheControl) == "public, max-age=60")
            #expect(headers.first(name: .accessControlAllowOrigin) == "*")
            try await app.testing().test(.GET, "/api/v1/audit/head", headers: ["If-None-Match": etag]) { response in
                #expect(response.status == .notModified)
                #expect(response.body.readableBytes == 0)
            }
            try await AuditTrail(database: app.db, clock: app.clock).record(
                .init(action: .planEdited, subject: "uji", detail: "perubahan", isPublic: true),
                by: .init(id: nil, label: "uji"))
            try await app.testing().test(.GET, "/api/v1/audit/head", headers: ["If-None-Match": etag]) { response in
                #expect(response.status == .ok)
                #expect(response.headers.first(name: .eTag) != etag)
            }
            // Answers for readers without a session are kept in the page cache until the chain's head moves.
            let (_, _, first) = try await self.json(app, "/api/v1/instansi?per_page=3")
            let (_, _, second) = try await self.json(app, "/api/v1/instansi?per_page=3")
            #expect(first.first(name: PageCacheMiddleware.header) == "miss")
            #expect(second.first(name: PageCacheMiddleware.header) == "hit")
            #expect(second.first(name: .eTag) == first.first(name: .eTag))
            try await app.testing().test(.GET, "/api/v1/openapi.yaml") { response in
                #expect(response.status == .ok)
                #expect(response.body.string.hasPrefix("openapi: 3.1.0"))
                #expect(response.headers.first(name: .eTag) != nil)
            }
        }
    }

    @Test("errors are JSON in one shape, in the reader's language: unknown address, wrong method, bad value")
    func errors() async throws {
        try await withJagaApp { app in
            let (status, body, headers) = try await self.json(app, "/api/v1/tidak-ada")
            #expect(status == .notFound)
            #expect(headers.contentType == .json)
            #expect(headers.first(name: .accessControlAllowOrigin) == "*")
            #expect(body["error"]?["code"]?.text == "not_found")
            try await app.testing().test(.DELETE, "/api/v1/cycles/2021-2022/plan") { response in
                #expect(response.status == .methodNotAllowed)
                #expect(response.headers.first(name: .allow) == "GET, HEAD")
                #expect(response.headers.contentType == .json)
                #expect(response.body.string.contains(#""code":"method_not_allowed""#))
            }
            try await app.testing().test(
                .GET, "/api/v1/instansi?per_page=0", headers: ["Cookie": "jaga_lang=en"]
            ) { response in
                #expect(response.status == .badRequest)
                #expect(response.body.string.contains("Parameter per_page must be a whole number from 1 to 500."))
            }
            let (_, indonesian, _) = try await self.json(app, "/api/v1/instansi?kind=kota")
            #expect(
                indonesian["error"]?["message"]?.text == "Parameter kind harus salah satu dari kl, provinsi, kabkota.")
        }
    }

    @Test("the reference page lists every operation of the document")
    func referencePage() async throws {
        try await withJagaApp(seeded: false) { app in
            try await app.testing().test(.GET, "/api") { response in
                #expect(response.status == .ok)
                for path in ["/api/v1/cycles", "/api/v1/cycles/{cycle}/results", "/api/v1/audit/head"] {
                    #expect(response.body.string.contains("GET \(path)"))
                }
                #expect(response.body.string.contains(#"href="/api/v1/openapi.yaml""#))
            }
        }
    }
}

/// The reporting-API key the tests' data set makes.
struct TestKey: StorageKey {
    typealias Value = String
}
