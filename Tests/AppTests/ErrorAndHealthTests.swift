import Testing
import VaporTesting

@testable import App

@Suite("Errors and health probes", .serialized)
struct ErrorAndHealthTests {
    @Test("an unknown address is a 404 page in Indonesian with the site's layout")
    func unknownRoute() async throws {
        try await withJagaApp(seeded: false) { app in
            try await app.testing().test(.GET, "/tidak/ada") { response in
                #expect(response.status == .notFound)
                #expect(response.html.contains("Halaman tidak ditemukan"))
                #expect(response.html.contains("/css/jaga.css"))
                #expect(response.headers.first(name: "Content-Security-Policy") != nil)
            }
        }
    }

    @Test("an unexpected failure is a 500 page that shows nothing of the error")
    func internalError() async throws {
        struct SecretFailure: Error, CustomStringConvertible {
            var description: String { "db password=hunter2 at /srv/jaga/Sources/App/x.swift:12" }
        }
        try await withJagaApp(seeded: false) { app in
            app.get("gagal") { _ -> String in throw SecretFailure() }
            try await app.testing().test(.GET, "/gagal") { response in
                #expect(response.status == .internalServerError)
                #expect(response.html.contains("Terjadi gangguan di server kami"))
                #expect(!response.html.contains("hunter2"))
                #expect(!response.html.contains("x.swift"))
                #expect(response.headers.cacheControl?.noStore == true)
            }
        }
    }

    @Test("/healthz answers while the process lives; /readyz when the database answers")
    func probes() async throws {
        // Under the parallel suite an in-memory SELECT 1 has taken more than 2 s; the bound itself is tested in
        // OutageTests, with a database that never answers.
        try await withJagaApp(seeded: false, adjusting: { $0.readinessBound = .seconds(30) }) { app in
            try await app.testing().test(.GET, "/healthz") { response in
                #expect(response.status == .ok)
                #expect(response.body.string == "ok\n")
            }
            try await app.testing().test(.GET, "/readyz") { response in
                #expect(response.status == .ok)
                #expect(response.body.string == "ready\n")
            }
        }
    }

    @Test("/readyz is 503 when the database cannot be reached")
    func notReady() async throws {
        try await withJagaApp(seeded: false, migrated: false) { app in
            app.useUnreachableDatabase()
            try await app.testing().test(.GET, "/readyz") { response in
                #expect(response.status == .serviceUnavailable)
                #expect(response.body.string == "not ready: database: connection refused\n")
            }
        }
    }

    @Test("static assets are served: the stylesheet and the logo")
    func assets() async throws {
        try await withJagaApp(seeded: false) { app in
            try await app.testing().test(.GET, "/css/jaga.css") { response in
                #expect(response.status == .ok)
                #expect(response.body.string.contains(".site-header"))
            }
            try await app.testing().test(.GET, "/images/logo.svg") { response in
                #expect(response.status == .ok)
            }
        }
    }
}
