import Fluent
import Foundation
import NIOConcurrencyHelpers
import StranasCore
import Testing
import VaporTesting

@testable import App

@Suite("The public page cache", .serialized)
struct PageCacheTests {
    @Test("a visitor without a session gets the same page from the cache, revalidates it, and never a stale one")
    func anonymousViews() async throws {
        try await withJagaApp { app in
            var visitor = TestBrowser(app)
            let first = try await visitor.get("/jejak")
            #expect(first.status == .ok)
            #expect(first.headers.first(name: PageCacheMiddleware.header) == "miss")
            let second = try await visitor.get("/jejak")
            #expect(second.headers.first(name: PageCacheMiddleware.header) == "hit")
            #expect(second.html == first.html)
            let etag = try #require(first.headers.first(name: .eTag))
            #expect(second.headers.first(name: .eTag) == etag)

            // A browser that holds the page asks whether it changed.
            let revalidated = try await visitor.get("/jejak", headers: ["If-None-Match": etag])
            #expect(revalidated.status == .notModified)
            #expect(revalidated.html.isEmpty)

            // Another query string and another language are other pages.
            #expect(
                try await visitor.get("/jejak?sebelum=1000").headers.first(name: PageCacheMiddleware.header) == "miss")
            var english = TestBrowser(app)
            english.cookies[Request.languageCookie] = "en"
            let inEnglish = try await english.get("/jejak")
            #expect(inEnglish.headers.first(name: PageCacheMiddleware.header) == "miss")
            #expect(inEnglish.html != first.html)

            // A change on the audit chain moves the generation: the next view renders afresh and shows it.
            _ = try await AuditTrail(database: app.db, clock: app.clock).record(
                .init(
                    action: .instansiRenamed, subject: "Provinsi Contoh", detail: "Nama baru: Provinsi Teladan",
                    isPublic: true),
                by: .commandLine)
            let afterChange = try await visitor.get("/jejak")
            #expect(afterChange.headers.first(name: PageCacheMiddleware.header) == "miss")
            #expect(afterChange.html.contains("Provinsi Teladan"))
            #expect(!first.html.contains("Provinsi Teladan"))
            #expect(afterChange.headers.first(name: .eTag) != etag)
            let stale = try await visitor.get("/jejak", headers: ["If-None-Match": etag])
            #expect(stale.status == .ok)

            // So does a new day, which moves what is due.
            app.clock = .fixed(testToday.addingTimeInterval(24 * 3600))
            #expect(try await visitor.get("/jejak").headers.first(name: PageCacheMiddleware.header) == "miss")
        }
    }

    @Test("signed-in people, error pages and pages with a visitor's own form token are never cached")
    func personalPages() async throws {
        try await withJagaApp { app in
            let account = try await makeAccount([.adminSetnas], instansi: nil, on: app)
            var person = TestBrowser(app)
            _ = try await person.signIn(account.email, account.password, totpSecret: account.totpSecret)
            let signedIn = try await person.get("/jejak")
            #expect(signedIn.status == .ok)
            #expect(signedIn.headers.first(name: PageCacheMiddleware.header) == nil)
            #expect(signedIn.html.contains(account.user.name))

            var visitor = TestBrowser(app)
            let anonymous = try await visitor.get("/jejak")
            #expect(anonymous.headers.first(name: PageCacheMiddleware.header) == "miss")
            #expect(!anonymous.html.contains(account.user.name))

            let missing = try await visitor.get("/aksi/999")
            #expect(missing.status == .notFound)
            #expect(missing.headers.first(name: PageCacheMiddleware.header) == nil)

            // A page carrying the visitor's own CSRF token is theirs alone.
            app.grouped(AuditHeadMiddleware(), PageCacheMiddleware()).get("uji-formulir") { request in
                "token \(request.csrfToken)"
            }
            let form = try await visitor.get("/uji-formulir")
            #expect(form.status == .ok)
            #expect(form.headers.first(name: PageCacheMiddleware.header) == nil)
            var stranger = TestBrowser(app)
            let theirs = try await stranger.get("/uji-formulir")
            #expect(theirs.headers.first(name: PageCacheMiddleware.header) == nil)
            #expect(theirs.html != form.html)
            #expect(app.pageCache?.count == 1)
        }
    }

    @Test("the cache keeps to its memory: a full cache gives entries up, a page too large for it is not kept")
    func capacity() throws {
        let cache = PageCache(capacityBytes: 8 * 100)
        let page = ByteBuffer(repeating: 1, count: 100)
        for index in 0..<20 {
            _ = cache.store(
                page, status: .ok, headers: [:], for: "/\(index)", generation: 1, topics: [.nation], renderedAt: Date())
        }
        #expect(cache.count == 8)
        #expect(
            cache.store(
                ByteBuffer(repeating: 1, count: 101), status: .ok, headers: [:], for: "/big", generation: 1,
                topics: [.nation], renderedAt: Date()) == nil)
        let kept = try #require(cache.entry(for: "/19"))
        // Current while neither its topics nor `site` moved past the head it was rendered at.
        #expect(PageCache.isCurrent(kept, given: [.nation: 1, .aksi(3): 9]))
        #expect(!PageCache.isCurrent(kept, given: [.nation: 2]))
        #expect(!PageCache.isCurrent(kept, given: [.site: 2]))
    }

    @Test("readers arriving while a page renders wait for that render instead of rendering it again")
    func oneRenderAtATime() async throws {
        let cache = PageCache(capacityBytes: 1024 * 1024)
        let renders = NIOLockedValueBox(0)
        let results = try await withThrowingTaskGroup(of: Bool.self) { group in
            for _ in 0..<12 {
                group.addTask {
                    switch await cache.renders.turn(for: "g /dasbor") {
                    case .served(let entry): return entry?.body == ByteBuffer(string: "halaman")
                    case .stale: return false
                    case .render:
                        renders.withLockedValue { $0 += 1 }
                        try await Task.sleep(for: .milliseconds(200))
                        let entry = cache.store(
                            ByteBuffer(string: "halaman"), status: .ok, headers: [:], for: "/dasbor", generation: 1,
                            topics: [.nation], renderedAt: Date())
                        await cache.renders.finish("g /dasbor", with: entry)
                        return true
                    }
                }
            }
            return try await group.reduce(into: [Bool]()) { $0.append($1) }
        }
        #expect(renders.withLockedValue { $0 } == 1)
        #expect(results.count == 12 && results.allSatisfy { $0 })

        // A render that could not be kept lets the waiting readers render for themselves.
        async let first = cache.renders.turn(for: "g /pribadi")
        guard case .render = await first else { Issue.record("the first reader renders"); return }
        async let second = cache.renders.turn(for: "g /pribadi")
        try await Task.sleep(for: .milliseconds(100))
        await cache.renders.finish("g /pribadi", with: nil)
        guard case .served(nil) = await second else { Issue.record("the second reader renders itself"); return }
        guard case .render = await cache.renders.turn(for: "g /pribadi") else {
            Issue.record("a later reader starts a new round")
            return
        }
    }

    @Test("while a page made stale by a change renders again, other readers get the version before, for a moment only")
    func staleWhileRendering() async throws {
        let renders = RenderQueue()
        guard case .render = await renders.turn(for: "/dasbor", hasStale: true) else {
            Issue.record("the first reader renders")
            return
        }
        guard case .stale = await renders.turn(for: "/dasbor", hasStale: true) else {
            Issue.record("a reader with a stale entry at hand is served it")
            return
        }
        // Without a stale entry, a reader waits for the render.
        async let waiting = renders.turn(for: "/dasbor", hasStale: false)
        try await Task.sleep(for: .milliseconds(50))
        await renders.finish("/dasbor", with: nil)
        guard case .served(nil) = await waiting else { Issue.record("the waiting reader is told"); return }
    }
}

@Suite("Public pages know their query parameters", .serialized)
struct KnownQueryTests {
    @Test("a parameter a page does not know is a 400; known ones in any order are one cached page")
    func unknownParametersAndCanonicalKeys() async throws {
        try await withJagaApp { app in
            var visitor = TestBrowser(app)
            let random = try await visitor.get("/dasbor?x\(UUID().uuidString.prefix(6))=1")
            #expect(random.status == .badRequest)
            #expect(random.html.contains("Halaman ini tidak mengenal parameter"))
            let first = try await visitor.get("/dasbor?triwulan=1&periode=2021-2022")
            #expect(first.status == .ok && first.headers.first(name: PageCacheMiddleware.header) == "miss")
            let reordered = try await visitor.get("/dasbor?periode=2021-2022&triwulan=1")
            #expect(reordered.headers.first(name: PageCacheMiddleware.header) == "hit")
            #expect(try await visitor.get("/panduan?a=b").status == .badRequest)
        }
    }

    @Test("a link shared with tracking parameters is sent to the page without them")
    func trackingParametersRedirect() async throws {
        try await withJagaApp { app in
            var visitor = TestBrowser(app)
            let shared = try await visitor.get("/aksi/5?utm_source=wa&periode=2021-2022&fbclid=IwAR0abc")
            #expect(shared.status == .movedPermanently)
            #expect(shared.location == "/aksi/5?periode=2021-2022")
            let bare = try await visitor.get("/?fbclid=IwAR0abc")
            #expect(bare.location == "/")
        }
    }
}
