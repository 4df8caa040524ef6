import Fluent
import Foundation
import StranasCore
import Testing
import VaporTesting

@testable import App

@Suite("The page cache empties only the pages a change shows on", .serialized)
struct PageTopicTests {
    /// Whether each page came from the cache, in the order asked.
    func states(_ visitor: inout TestBrowser, _ paths: [String]) async throws -> [String] {
        var states: [String] = []
        for path in paths {
            let page = try await visitor.get(path)
            #expect(page.status == .ok, "\(path)")
            states.append(page.headers.first(name: PageCacheMiddleware.header) ?? "none")
        }
        return states
    }

    @Test(
        "a draft or review step keeps every public page; a claim or a verification renders only its aksi, its instansi and the nation's pages"
    )
    func changesReachTheirPages() async throws {
        try await withJagaApp { app in
            var cast = try await ReportingFixture.cast(app)
            try await ScoreBook(database: app.db, today: app.clock.today).rebuild()
            let aceh = try #require(try await Instansi.query(on: app.db).filter(\.$name == "Provinsi Aceh").first())
            let bali = try #require(try await Instansi.query(on: app.db).filter(\.$name == "Provinsi Bali").first())
            // The nation's, aksi 5's and Aceh's pages show Aceh's line of 5.1.1; Bali's and aksi 1's do not, and the
            // indicator pages show it once it is verified (they show no score). They are
            // asked for at a stated triwulan; Bali's is asked for without one too, which follows the triwulan shown by
            // default: the latest with a claim anywhere.
            let paths = [
                "/dasbor?triwulan=1", "/aksi/5", "/instansi/\(aceh.id!)?triwulan=1", "/instansi/\(bali.id!)?triwulan=1",
                "/aksi/1?triwulan=1", "/api/v1/cycles/2021-2022/scores?scope=instansi", "/instansi/\(bali.id!)",
                "/aksi/5/indikator/5.1.1", "/aksi/5/indikator/5.2.1",
            ]
            var visitor = TestBrowser(app)
            #expect(try await self.states(&visitor, paths) == Array(repeating: "miss", count: paths.count))
            #expect(try await self.states(&visitor, paths) == Array(repeating: "hit", count: paths.count))

            // The Unit Teknis saves the line and sends it to the instansi's review: an entry on the chain, nothing
            // public.
            let headBefore = try await AuditTrail(database: app.db, clock: app.clock).head()
            _ = try await ReportingFixture.fill(&cast.unitTeknis, cast.targetID, capaian: "1", narasi: "Isi.")
            #expect(try await AuditTrail(database: app.db, clock: app.clock).head().count > headBefore.count)
            #expect(try await self.states(&visitor, paths) == Array(repeating: "hit", count: paths.count))

            // The Focal Point submits it: Aceh's claim moves the nation's, aksi 5's and Aceh's scores, and is the
            // country's first claim of the cycle.
            _ = try await ReportingFixture.submitAll(&cast.focalPoint)
            let afterClaim = try await self.states(&visitor, paths)
            #expect(
                afterClaim == ["miss", "miss", "miss", "hit", "hit", "miss", "miss", "hit", "hit"], "\(afterClaim)")

            // The verifikator accepts it: the line is public now, on the same pages.
            let line = SiteURL.reportLine(cast.targetID)
            let accepted = try await cast.verifikator.post(
                line + "/tindakan", [("versi", "3"), ("tindakan", "accept"), ("nilai", "1")],
                csrf: try await cast.verifikator.csrfToken(from: line))
            #expect(accepted.location == line + "?pesan=accept")
            let afterAcceptance = try await self.states(&visitor, paths)
            #expect(
                afterAcceptance == ["miss", "miss", "miss", "hit", "hit", "miss", "hit", "miss", "hit"],
                "\(afterAcceptance)")
            #expect(try await visitor.get("/aksi/5").html.contains("berita-acara.pdf"))
            #expect(try await visitor.get("/instansi/\(aceh.id!)?triwulan=1").html.contains("100%"))
        }
    }

    @Test("while changes keep coming, a page is rendered again at most once per refresh interval, then shows them")
    func refreshInterval() async throws {
        try await withJagaApp(adjusting: { $0.pageRefreshSeconds = 2 }) { app in
            var cast = try await ReportingFixture.cast(app)
            try await ScoreBook(database: app.db, today: app.clock.today).rebuild()
            var visitor = TestBrowser(app)
            let before = try await visitor.get("/dasbor?triwulan=1")
            #expect(before.headers.first(name: PageCacheMiddleware.header) == "miss")

            // Aceh's claim moves the nation's numbers at once: the dashboard rendered a moment ago is served as it
            // was, and says so.
            _ = try await ReportingFixture.fill(&cast.unitTeknis, cast.targetID, capaian: "1", narasi: "Isi.")
            _ = try await ReportingFixture.submitAll(&cast.focalPoint)
            app.clock = .fixed(reportingDay.addingTimeInterval(1))
            let meanwhile = try await visitor.get("/dasbor?triwulan=1")
            #expect(meanwhile.headers.first(name: PageCacheMiddleware.header) == "stale")
            #expect(meanwhile.html == before.html)

            // Once the interval is up, the next reader renders it afresh, with the claim.
            app.clock = .fixed(reportingDay.addingTimeInterval(2))
            let after = try await visitor.get("/dasbor?triwulan=1")
            #expect(after.headers.first(name: PageCacheMiddleware.header) == "miss")
            #expect(after.html != before.html)
        }
    }

    @Test("a cached page says how long a proxy may keep it; a signed-in page says no shared cache may")
    func cacheControl() async throws {
        try await withJagaApp { app in
            var visitor = TestBrowser(app)
            let first = try await visitor.get("/dasbor")
            let second = try await visitor.get("/dasbor")
            for page in [first, second] {
                #expect(
                    page.headers.first(name: .cacheControl)
                        == "public, max-age=0, s-maxage=10, stale-while-revalidate=30")
                #expect(page.headers.first(name: .vary) == "Cookie")
            }
            let account = try await makeAccount([.adminSetnas], instansi: nil, on: app)
            var person = TestBrowser(app)
            _ = try await person.signIn(account.email, account.password, totpSecret: account.totpSecret)
            #expect(try await person.get("/dasbor").headers.first(name: .cacheControl) == "private, no-store")
        }
    }
}
