import Fluent
import Foundation
import SQLKit
import StranasCore
import Testing
import VaporTesting

@testable import App

@Suite("Refreshing the scores from the command line", .serialized)
struct ScoreRefreshCommandTests {
    /// The headline score of `/dasbor` as the page prints it.
    func headline(_ page: TestBrowser.Page) -> String? {
        firstCapture(#"<p class="score-big band band--\w+">([^<]+)</p>"#, in: page.html)
    }

    @Test("after `jaga scores refresh` of a hand correction, an anonymous reader of /dasbor sees the new numbers")
    func refreshReachesCachedPages() async throws {
        try await withJagaApp { app in
            // setup: Aceh's line of 5.1.1 for TW I is verified at 1, and the dashboard is in the page cache.
            var cast = try await ReportingFixture.cast(app)
            try await ScoreBook(database: app.db, today: app.clock.today).rebuild()
            let path = SiteURL.reportLine(cast.targetID)
            _ = try await ReportingFixture.fill(&cast.unitTeknis, cast.targetID, capaian: "1", narasi: "Tayang.")
            _ = try await ReportingFixture.submitAll(&cast.focalPoint)
            _ = try await cast.verifikator.post(
                path + "/tindakan", [("versi", "3"), ("tindakan", "accept"), ("nilai", "1")],
                csrf: try await cast.verifikator.csrfToken(from: path))
            var visitor = TestBrowser(app)
            let before = try await visitor.get("/dasbor?triwulan=1")
            let cached = try await visitor.get("/dasbor?triwulan=1")
            #expect(cached.headers.first(name: PageCacheMiddleware.header) == "hit")
            let shownBefore = try #require(self.headline(before))

            // MUT: an operator corrects the verified value in the database by hand, then refreshes the cycle.
            try await (app.db as! any SQLDatabase).raw(
                "UPDATE report_lines SET verified_value = 0 WHERE target_id = \(bind: cast.targetID)"
            ).run()
            let cycle = try #require(try await Cycle.find(code: "2021-2022", on: app.db))
            try await ScoresRefreshCommand.refresh(app, cycleID: cycle.requireID(), touching: nil)

            // validate: the next anonymous view is rendered afresh and shows the refreshed score.
            let after = try await visitor.get("/dasbor?triwulan=1")
            #expect(after.headers.first(name: PageCacheMiddleware.header) == "miss")
            let shownAfter = try #require(self.headline(after))
            #expect(shownAfter != shownBefore)
            #expect(shownAfter == "0%")
            // The public log says the numbers moved, and by whom.
            let log = try await visitor.get("/jejak")
            #expect(log.html.contains("Skor diperbarui"))
        }
    }

    @Test("a refresh that changes no number appends nothing and keeps the cache")
    func idleRefreshKeepsCache() async throws {
        try await withJagaApp { app in
            _ = try await ReportingFixture.cast(app)
            try await ScoreBook(database: app.db, today: app.clock.today).rebuild()
            let cycle = try #require(try await Cycle.find(code: "2021-2022", on: app.db))
            try await ScoresRefreshCommand.refresh(app, cycleID: cycle.requireID(), touching: nil)
            let head = try await AuditTrail(database: app.db, clock: app.clock).head()
            var visitor = TestBrowser(app)
            _ = try await visitor.get("/dasbor?triwulan=1")

            try await ScoresRefreshCommand.refresh(app, cycleID: cycle.requireID(), touching: nil)

            #expect(try await AuditTrail(database: app.db, clock: app.clock).head().hash == head.hash)
            let again = try await visitor.get("/dasbor?triwulan=1")
            #expect(again.headers.first(name: PageCacheMiddleware.header) == "hit")
        }
    }
}
