import Crypto
import NIOConcurrencyHelpers
import Vapor

/// Rendered public pages, kept for visitors without a session so that a publication day's crowd costs one render
/// per page and change, not one per view.
///
/// An entry remembers what it was rendered from: the audit chain's head at the start of the render (its generation)
/// and the page topics the page declared (`Request.shows`; a page that declares none depends on any public change).
/// Every change that a public page shows appends an entry to the chain and bumps the topics it reaches, in its own
/// transaction (`PageGenerations`), so an entry is current while none of its topics, nor `site`, has moved past its
/// generation. The generations are read from the database on every view of a kept page, so instances behind one load
/// balancer never serve each other's stale pages (ADR 0022). A change nothing public shows (a draft, a review step)
/// bumps no topic of a public page and keeps every entry. While changes keep coming, a page is rendered at most once
/// per `JAGA_PAGE_REFRESH_SECONDS`: an entry younger than that is served even when stale.
final class PageCache: Sendable {
    struct Entry: Sendable {
        let status: HTTPResponseStatus
        let headers: HTTPHeaders
        let body: ByteBuffer
        /// A strong validator of the body, for `If-None-Match`.
        let etag: String
        /// The audit chain's head when the render began.
        let generation: Int
        /// What the page shows: with `site`, the topics whose moves make it stale.
        let topics: Set<PageTopic>
        /// When the render began, on the app's clock.
        let renderedAt: Date
    }

    private struct State {
        var entries: [String: Entry] = [:]
        var bytes = 0
    }

    let capacityBytes: Int
    private let state = NIOLockedValueBox(State())

    init(capacityBytes: Int) {
        self.capacityBytes = capacityBytes
    }

    /// The entry kept for `key`, current or not: the caller checks its topics (`isCurrent`).
    func entry(for key: String) -> Entry? {
        self.state.withLockedValue { $0.entries[key] }
    }

    /// Whether an entry is current, given its topics' generations now.
    static func isCurrent(_ entry: Entry, given generations: [PageTopic: Int]) -> Bool {
        entry.topics.union([.site]).allSatisfy { (generations[$0] ?? 0) <= entry.generation }
    }

    /// Keeps a response body rendered from `generation` and `topics` from `renderedAt` on, in place of the entry
    /// before it. A full cache gives up entries of its own choosing (pages are cheap to render again, once).
    func store(
        _ body: ByteBuffer, status: HTTPResponseStatus, headers: HTTPHeaders, for key: String,
        generation: Int, topics: Set<PageTopic>, renderedAt: Date
    ) -> Entry? {
        guard body.readableBytes <= self.capacityBytes / 8 else { return nil }
        let digest = SHA256.hash(data: body.readableBytesView).prefix(16).map { String(format: "%02x", $0) }
        let entry = Entry(
            status: status, headers: headers, body: body, etag: "\"\(digest.joined())\"", generation: generation,
            topics: topics, renderedAt: renderedAt)
        self.state.withLockedValue { state in
            if let replaced = state.entries.removeValue(forKey: key) { state.bytes -= replaced.body.readableBytes }
            while state.bytes + body.readableBytes > self.capacityBytes, let victim = state.entries.first {
                state.entries.removeValue(forKey: victim.key)
                state.bytes -= victim.value.body.readableBytes
            }
            state.entries[key] = entry
            state.bytes += body.readableBytes
        }
        return entry
    }

    var count: Int { self.state.withLockedValue { $0.entries.count } }

    /// Lines up the readers of a page that is not cached yet, so that it is rendered once, not once per reader:
    /// right after a change, everyone who opens the dashboard at that moment would otherwise render it.
    let renders = RenderQueue()
}

/// One render per page at a time: the first reader renders, the others wait for its entry, or, when the page had an
/// entry that a change made stale, are served that entry while the render is young.
actor RenderQueue {
    enum Turn {
        /// Render the page, then call `finish`.
        case render
        /// Another reader rendered it: the entry, or nil when it could not be kept (render it yourself).
        case served(PageCache.Entry?)
        /// Another reader began rendering it a moment ago: serve the stale entry.
        case stale
    }

    /// How long after a re-render began its readers may still be served the version before it: past this, they wait.
    static let staleBound: Duration = .seconds(5)

    private var waiting:
        [String: (began: ContinuousClock.Instant, readers: [CheckedContinuation<PageCache.Entry?, Never>])] =
            [:]

    /// Whose turn it is to render `key`; with `hasStale`, a reader that would wait is told to serve the stale entry
    /// instead, while the render in progress is younger than `staleBound`.
    func turn(for key: String, hasStale: Bool = false) async -> Turn {
        guard let render = self.waiting[key] else {
            self.waiting[key] = (ContinuousClock.now, [])
            return .render
        }
        if hasStale, ContinuousClock.now - render.began < Self.staleBound { return .stale }
        let entry = await withCheckedContinuation { continuation in self.waiting[key]?.readers.append(continuation) }
        return .served(entry)
    }

    /// Hands the rendered entry (nil when it was not kept, or the render failed) to everyone waiting.
    func finish(_ key: String, with entry: PageCache.Entry?) {
        for waiter in self.waiting.removeValue(forKey: key)?.readers ?? [] { waiter.resume(returning: entry) }
    }
}

extension Application {
    private struct PageCacheKey: StorageKey {
        typealias Value = PageCache
    }

    /// The cache of rendered public pages; nil when `JAGA_PAGE_CACHE_MB` is 0.
    var pageCache: PageCache? {
        get { self.storage[PageCacheKey.self] }
        set { self.storage[PageCacheKey.self] = newValue }
    }
}

extension Request {
    private struct PersonalKey: StorageKey {
        typealias Value = Bool
    }

    private struct TopicsKey: StorageKey {
        typealias Value = Set<PageTopic>
    }

    /// The page topics this response was rendered from, as declared with `shows`; nil when it declared none, and so
    /// depends on any public change.
    var pageTopics: Set<PageTopic>? { self.storage[TopicsKey.self] }

    /// Declares what this page shows, so that the page cache keeps it until one of these topics (or `site`) moves.
    func shows(_ topics: PageTopic...) {
        self.storage[TopicsKey.self] = (self.storage[TopicsKey.self] ?? []).union(topics)
    }

    /// Whether this response carries something of this visitor's own (a form's CSRF token, say) and so must not be
    /// served to anyone else.
    var rendersPersonalContent: Bool {
        get { self.storage[PersonalKey.self] ?? false }
        set { self.storage[PersonalKey.self] = newValue }
    }
}
