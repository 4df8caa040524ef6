import Fluent
import StranasCore
import Testing
import VaporTesting

@testable import App

@Suite("The plan page", .serialized)
struct PlanPageTests {
    @Test("/ lists the 12 aksi of 2021-2022 under their 3 fokus, each linking to its page")
    func listsAksiUnderFokus() async throws {
        try await withJagaApp { app in
            try await app.testing().test(.GET, "/") { response in
                #expect(response.status == .ok)
                #expect(response.html.occurrences(of: "class=\"fokus\"") == 3)
                #expect(response.html.occurrences(of: "class=\"aksi-card\"") == 12)
                for number in 1...12 { #expect(response.html.contains("href=\"/aksi/\(number)\"")) }
                #expect(response.html.contains("Perizinan dan Tata Niaga"))
                #expect(response.html.contains("Efektivitas dan efisiensi pengadaan barang dan jasa"))
                #expect(response.html.contains("12 aksi dalam 3 fokus"))
            }
        }
    }

    @Test("each aksi shows how many outputs, indicators and pelaksana it has")
    func countsPerAksi() async throws {
        try await withJagaApp { app in
            try await app.testing().test(.GET, "/") { page in
                // Aksi 2 has two outputs of one indicator each and six distinct K/L.
                let aksi2 = try #require(page.html.range(of: "href=\"/aksi/2\""))
                let card = page.html[aksi2.upperBound...].prefix(700)
                #expect(card.contains("<dt>Output</dt><dd>2</dd>"))
                #expect(card.contains("<dt>Indikator</dt><dd>2</dd>"))
                #expect(card.contains("<dt>Pelaksana</dt><dd>6</dd>"))
            }
        }
    }

    @Test("the plan page shows the reporting calendar: each triwulan's window, dates written out in Indonesian")
    func reportingCalendar() async throws {
        try await withJagaApp { app in
            try await app.testing().test(.GET, "/") { response in
                let html = response.html
                #expect(
                    html.contains(
                        "<tr><th scope=\"row\">TW I 2021</th><td>1 Januari – 31 Maret 2021</td><td>1 Maret 2021</td>"
                            + "<td>15 April 2021</td><td>30 April 2021</td></tr>"))
                #expect(
                    html.contains(
                        "<tr><th scope=\"row\">TW IV 2022</th><td>1 Oktober – 31 Desember 2022</td>"
                            + "<td>1 Desember 2022</td><td>15 Januari 2023</td><td>31 Januari 2023</td></tr>"))
            }
        }
    }

    @Test("the demo plan is labelled as reconstructed, not the official document")
    func provenanceBanner() async throws {
        try await withJagaApp { app in
            try await app.testing().test(.GET, "/") { response in
                #expect(response.html.contains("bukan dokumen resmi"))
                #expect(response.html.contains("notice--demo"))
            }
        }
    }

    @Test("pages carry the security headers and a strict content security policy")
    func securityHeaders() async throws {
        try await withJagaApp { app in
            try await app.testing().test(.GET, "/") { response in
                #expect(response.headers.first(name: "Content-Security-Policy")?.contains("default-src 'self'") == true)
                #expect(
                    response.headers.first(name: "Content-Security-Policy")?.contains("frame-ancestors 'none'") == true)
                #expect(response.headers.first(name: "X-Content-Type-Options") == "nosniff")
                #expect(response.headers.first(name: "Referrer-Policy") == "strict-origin-when-cross-origin")
                #expect(response.headers.contentType?.description.hasPrefix("text/html") == true)
            }
        }
    }

    @Test("an unknown periode is a 400 naming the periods that exist; a known one is shown")
    func periodeParameter() async throws {
        try await withJagaApp { app in
            try await app.testing().test(.GET, "/?periode=1999-2000") { response in
                #expect(response.status == .badRequest)
                #expect(response.html.contains("Periode &quot;1999-2000&quot; tidak ada"))
                #expect(response.html.contains("2021-2022"))
            }
            try await app.testing().test(.GET, "/?periode=2021-2022") { response in
                #expect(response.status == .ok)
            }
        }
    }

    @Test("with no plan loaded, / says so instead of failing")
    func emptyDatabase() async throws {
        try await withJagaApp(seeded: false) { app in
            try await app.testing().test(.GET, "/") { response in
                #expect(response.status == .notFound)
                #expect(response.html.contains("Belum ada rencana aksi yang dimuat"))
            }
        }
    }
}
