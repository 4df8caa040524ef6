import Foundation
import Testing
import VaporTesting

@testable import App

@Suite("/metrics: behind its token, by route pattern, with the request id on every answer")
struct MetricsTests {
    static let token = "metrik-uji-0123456789abcdef"

    @Test("without JAGA_METRICS_TOKEN, or with a wrong token, /metrics does not exist")
    func hidden() async throws {
        try await withJagaApp(seeded: false) { app in
            try await app.testing().test(.GET, "/metrics", headers: ["Authorization": "Bearer \(Self.token)"]) {
                #expect($0.status == .notFound)
            }
        }
        try await withJagaApp(seeded: false, adjusting: { $0.metricsToken = Self.token }) { app in
            try await app.testing().test(.GET, "/metrics", headers: ["Authorization": "Bearer salah-salah-salah-1"]) {
                #expect($0.status == .notFound)
            }
        }
    }

    @Test("requests are counted by route pattern, never by path; jobs, cache and failures have their series")
    func series() async throws {
        try await withJagaApp(adjusting: { $0.metricsToken = Self.token }) { app in
            for path in ["/aksi/5?periode=2021-2022", "/aksi/5?periode=2021-2022", "/pelapor-rahasia/123"] {
                try await app.testing().test(.GET, path) { response in
                    #expect(response.headers.first(name: .xRequestId)?.isEmpty == false)
                }
            }
            try await app.testing().test(.GET, "/metrics", headers: ["Authorization": "Bearer \(Self.token)"]) {
                response in
                #expect(response.status == .ok)
                let text = response.body.string
                #expect(text.contains(#"jaga_http_requests_total{route="/aksi/:nomor",method="GET",status="200"} 2"#))
                #expect(text.contains(#"route="unmatched""#))
                #expect(!text.contains("pelapor") && !text.contains("/aksi/5"))
                #expect(text.contains("jaga_http_request_duration_seconds_bucket"))
                #expect(text.contains(#"jaga_page_cache_total{outcome="hit"} 1"#))
                #expect(text.contains(#"jaga_jobs_count{state="failed"} 0"#))
                #expect(text.contains("jaga_jobs_oldest_due_age_seconds"))
            }
        }
    }

    @Test("a 500 page shows the request id its log lines carry")
    func requestIDOnErrorPage() async throws {
        struct Broken: Error {}
        try await withJagaApp(seeded: false) { app in
            app.get("rusak") { _ -> String in throw Broken() }
            try await app.testing().test(.GET, "/rusak", headers: ["X-Request-Id": "uji-7f3a"]) { response in
                #expect(response.status == .internalServerError)
                #expect(response.html.contains("Kode rujukan untuk petugas: uji-7f3a"))
                #expect(response.headers.first(name: .xRequestId) == "uji-7f3a")
            }
        }
    }
}
