import Crypto
import NIOConcurrencyHelpers
import Vapor

/// Rendered public pages, kept for visitors without a session so that a publication day's crowd costs one render
/// per page and change, not one per view.
///
/// An entry belongs to a generation: the audit chain's head and the day in Jakarta. Every change that a public page
/// shows (plans, targets, report decisions, scores, published results, instansi) is appended to the audit chain in
/// the transaction that makes it, and the day moves what is due; so a page rendered under the current generation
/// is the page a fresh render would give. Each server instance reads the head from the database on every page view
/// (`AuditHeadMiddleware`), so instances behind one load balancer never serve each other's stale pages. When the
/// generation moves on, the old entries are dropped at the next store.
final class PageCache: Sendable {
    struct Entry: Sendable {
        let status: HTTPResponseStatus
        let headers: HTTPHeaders
        let body: ByteBuffer
        /// A strong validator of the body, for `If-None-Match`.
        let etag: String
    }

    private struct State {
        var generation = ""
        var entries: [String: Entry] = [:]
        var bytes = 0
    }

    let capacityBytes: Int
    private let state = NIOLockedValueBox(State())

    init(capacityBytes: Int) {
        self.capacityBytes = capacityBytes
    }

    func entry(for key: String, generation: String) -> Entry? {
        self.state.withLockedValue { state in
            state.generation == generation ? state.entries[key] : nil
        }
    }

    /// Keeps a response body under the generation it was rendered in. A newer generation empties the cache first; a
    /// full cache gives up entries of its own choosing (pages are cheap to render again, once).
    func store(
        _ body: ByteBuffer, status: HTTPResponseStatus, headers: HTTPHeaders, for key: String,
        generation: String
    ) -> Entry? {
        guard body.readableBytes <= self.capacityBytes / 8 else { return nil }
        let digest = SHA256.hash(data: body.readableBytesView).prefix(16).map { String(format: "%02x", $0) }
        let entry = Entry(status: status, headers: headers, body: body, etag: "\"\(digest.joined())\"")
        self.state.withLockedValue { state in
            if state.generation != generation {
                state = State(generation: generation)
            }
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

/// One render per page at a time: the first reader renders, the others wait for its entry.
actor RenderQueue {
    enum Turn {
        /// Render the page, then call `finish`.
        case render
        /// Another reader rendered it: the entry, or nil when it could not be kept (render it yourself).
        case served(PageCache.Entry?)
    }

    private var waiting: [String: [CheckedContinuation<PageCache.Entry?, Never>]] = [:]

    func turn(for key: String) async -> Turn {
        guard self.waiting[key] != nil else {
            self.waiting[key] = []
            return .render
        }
        let entry = await withCheckedContinuation { continuation in self.waiting[key]?.append(continuation) }
        return .served(entry)
    }

    /// Hands the rendered entry (nil when it was not kept, or the render failed) to everyone waiting.
    func finish(_ key: String, with entry: PageCache.Entry?) {
        for waiter in self.waiting.removeValue(forKey: key) ?? [] { waiter.resume(returning: entry) }
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

    /// Whether this response carries something of this visitor's own (a form's CSRF token, say) and so must not be
    /// served to anyone else.
    var rendersPersonalContent: Bool {
        get { self.storage[PersonalKey.self] ?? false }
        set { self.storage[PersonalKey.self] = newValue }
    }
}
