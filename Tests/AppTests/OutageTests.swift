import FluentPostgresDriver
import Foundation
import NIOPosix
import SQLKit
import Testing
import VaporTesting

@testable import App

@Suite("Outages: the database, the disk, readiness")
struct OutageTests {
    static let proposal = "Usulan: jadwal pengadaan diumumkan tiga puluh hari sebelum tender dibuka.\nBaris kedua."

    @Test(
        "with the database down a page is a 503 in Indonesian with Retry-After, and a form's text comes back to send again"
    )
    func databaseDown() async throws {
        try await withJagaApp { app in
            var visitor = TestBrowser(app)
            let form = try await visitor.get("/masukan?aksi=5&periode=2021-2022")
            let token = try #require(firstCapture(#"name="_csrf" value="([^"]+)""#, in: form.html))
            app.useUnreachableDatabase()

            let page = try await visitor.get(SiteURL.dashboard())
            #expect(page.status == .serviceUnavailable)
            #expect(page.headers.first(name: .retryAfter) == "30")
            #expect(page.html.contains("Basis data portal sedang tidak dapat dihubungi"))
            #expect(page.headers.cacheControl?.noStore == true)

            let sent = try await visitor.post(
                "/masukan", [("aksi", "5"), ("jenis", "usulan"), ("isi", Self.proposal), ("nama", "Warga")],
                csrf: token)
            #expect(sent.status == .serviceUnavailable)
            #expect(sent.html.contains("Yang Anda ketik"))
            // The text, escaped, in a form that sends it again to the same address with the same token.
            #expect(sent.html.contains("tiga puluh hari sebelum tender dibuka.\nBaris kedua.</textarea>"))
            #expect(sent.html.contains(#"<form method="post" action="/masukan""#))
            #expect(sent.html.contains(#"name="_csrf" value="\#(token)""#))
            #expect(sent.html.contains(#"name="nama" value="Warga""#))
        }
    }

    @Test("with the database down the API answers 503 JSON with Retry-After, never 404 or 500")
    func apiDatabaseDown() async throws {
        try await withJagaApp(seeded: false) { app in
            app.useUnreachableDatabase()
            for (method, path) in [(HTTPMethod.GET, "/api/v1/cycles"), (.POST, "/api/v1/laporan/12")] {
                try await app.testing().test(
                    method, path, headers: ["Authorization": "Bearer jst_kunciuji"],
                    beforeRequest: { request in
                        request.headers.contentType = .json
                        request.body = ByteBuffer(string: #"{"version": 0, "action": "save", "capaian": 1}"#)
                    }
                ) { response in
                    #expect(response.status == .serviceUnavailable, "\(method) \(path)")
                    #expect(response.headers.first(name: .retryAfter) == "30")
                    #expect(response.body.string.contains(#""code":"database_unavailable""#))
                }
            }
        }
    }

    @Test("a database error while the reporting API looks up a line is not answered 'line not found'")
    func apiLookupErrorIsNotNotFound() async throws {
        try await withJagaApp { app in
            let aceh = try #require(try await Instansi.query(on: app.db).filter(\.$name == "Provinsi Aceh").first())
            let (key, token) = APIToken.make(
                name: "SIMONEV", instansiID: try aceh.requireID(), creatorID: nil, now: app.clock.now())
            try await token.create(on: app.db)
            let target = try #require(
                try await Target.query(on: app.db).filter(\.$instansi.$id == aceh.requireID()).first())
            // The line's table is gone: the lookup fails, but the line is not known to be missing.
            try await (app.db as! any SQLDatabase)
                .raw(TestDatabase.isPostgres ? "DROP TABLE report_lines CASCADE" : "DROP TABLE report_lines").run()
            try await app.testing().test(
                .POST, "/api/v1/laporan/\(target.requireID())", headers: ["Authorization": "Bearer \(key)"],
                beforeRequest: { request in
                    request.headers.contentType = .json
                    request.body = ByteBuffer(string: #"{"version": 0, "action": "save", "capaian": 1}"#)
                }
            ) { response in
                #expect(response.status != .notFound)
                #expect(!response.body.string.contains("line_not_found"))
            }
        }
    }

    @Test(
        "below the free-space floor changes are refused with a 503 that keeps the text, reading goes on, /readyz fails")
    func storageFloor() async throws {
        try await withJagaApp(adjusting: { $0.minimumFreeMegabytes = 10_000_000 }) { app in
            var visitor = TestBrowser(app)
            let form = try await visitor.get("/masukan?aksi=5&periode=2021-2022")
            #expect(form.status == .ok)
            let token = try #require(firstCapture(#"name="_csrf" value="([^"]+)""#, in: form.html))
            let sent = try await visitor.post(
                "/masukan", [("aksi", "5"), ("jenis", "usulan"), ("isi", Self.proposal)], csrf: token)
            #expect(sent.status == .serviceUnavailable)
            #expect(sent.headers.first(name: .retryAfter) == "300")
            #expect(sent.html.contains("Ruang penyimpanan portal hampir habis"))
            #expect(sent.html.contains("Baris kedua.</textarea>"))
            #expect(try await PublicInput.query(on: app.db).count() == 0)
            try await app.testing().test(.GET, "/readyz") { response in
                #expect(response.status == .serviceUnavailable)
                #expect(response.body.string.contains("not ready: data directory:"))
                #expect(response.body.string.contains("below JAGA_MIN_FREE_MB=10000000"))
            }
        }
    }

    @Test("a multipart form refused for want of space gives back its text fields and asks for its files again")
    func multipartTypedInput() async throws {
        try await withJagaApp(adjusting: { $0.minimumFreeMegabytes = 10_000_000 }) { app in
            var visitor = TestBrowser(app)
            _ = try await visitor.get("/masukan?aksi=5&periode=2021-2022")
            let sent = try await visitor.postMultipart(
                "/lapor",
                fields: [("_csrf", visitor.currentCSRFToken() ?? ""), ("isi", "Ada pungutan liar di loket.")],
                files: [("bukti", "kuitansi.pdf", Data("%PDF-1.4".utf8))])
            #expect(sent.status == .serviceUnavailable)
            #expect(sent.html.contains(#"enctype="multipart/form-data""#))
            #expect(sent.html.contains(#"value="Ada pungutan liar di loket.""#))
            #expect(sent.html.contains("pilih lagi setelah portal pulih"))
            #expect(!sent.html.contains("%PDF"))
        }
    }

    @Test("/readyz answers in bounded time while the database takes connections and never replies")
    func hungDatabase() async throws {
        // A server that accepts connections and says nothing: a stopped (SIGSTOP) PostgreSQL, as the client sees it.
        let silent = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .bind(host: "127.0.0.1", port: 0).get()
        let port = try #require(silent.localAddress?.port)
        try await withJagaApp(seeded: false) { app in
            app.databases.use(
                .postgres(
                    configuration: .init(
                        hostname: "127.0.0.1", port: port, username: "nobody", password: nil, database: "x",
                        tls: .disable),
                    connectionPoolTimeout: .seconds(60)),
                as: DatabaseID(string: "silent"), isDefault: true)
            try await app.testing().test(.GET, "/readyz") { response in
                #expect(response.status == .serviceUnavailable)
                #expect(response.body.string.contains("not ready: database: no answer within"))
            }
        }
        try await silent.close()
    }

    @Test("a database failure is logged by its cause, not PostgresNIO's generic text")
    func causeInLogs() async throws {
        try await withJagaApp(seeded: false, migrated: false) { app in
            app.useUnreachableDatabase()
            do {
                _ = try await Job.query(on: app.db).count()
                Issue.record("the unreachable database answered")
            } catch {
                #expect("\(error)".contains("Generic description"))
                let cause = DatabasePreparation.cause(of: error)
                #expect(cause == "PostgreSQL: connection refused")
            }
        }
    }
}
