import Vapor

/// Serves public pages from the `PageCache` to visitors without a session, and stores what it renders for them.
/// `routes.swift` puts it on the public page routes, inside `AuditHeadMiddleware`, whose head is the generation a
/// render starts from.
///
/// Only a GET without a signed-in or half-signed-in person is served or stored, and only a 200 response that sets
/// no cookie and carries nothing personal (`Request.rendersPersonalContent`). The key is the path with the canonical
/// form of the parameters the page knows (`KnownQuery`; an unknown one is a 400), or the URL as sent for routes that
/// declare none, the reader's language and the day in Jakarta (which moves what is due). `X-Jaga-Cache` says whether
/// the response came from the cache (`hit`), was rendered (`miss`), or is the version before a change (`stale`),
/// served while another reader renders the new one or until the page's refresh interval is up. Cached pages that state
/// no caching of their own say for how long a proxy in front may keep them (`cacheControl`; `deploy/nginx.conf`).
struct PageCacheMiddleware: AsyncMiddleware {
    static let header = "X-Jaga-Cache"

    /// What caches may do with a page served to a visitor without a session: a shared cache in front (nginx, a CDN)
    /// may keep it 10 seconds, then serve it for up to 30 more while it asks again; a browser asks every time (the ETag
    /// makes that a 304), so that its reader sees a change at the next view. The page varies with the cookies
    /// (session, language).
    static let cacheControl = "public, max-age=0, s-maxage=10, stale-while-revalidate=30"

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        guard request.method == .GET, request.sessionUser == nil, let cache = request.application.pageCache,
            let head = request.auditHead
        else {
            return try await next.respond(to: request)
        }
        var address = request.url.string
        if let known = request.route?.knownQuery {
            switch known.read(path: request.url.path, query: request.url.query) {
            case .canonical(let query): address = request.url.path + (query.isEmpty ? "" : "?" + query)
            case .redirect(let target): return request.redirect(to: target, redirectType: .permanent)
            case .unknown(let name):
                throw PageError.badRequest(
                    "error.unknown_parameter", String(name.prefix(40)),
                    known.names.isEmpty ? "–" : known.names.sorted().joined(separator: ", "))
            }
        }
        let key = "\(request.language.rawValue) \(request.application.clock.today.iso) \(address)"
        let now = request.application.clock.now()
        let kept = cache.entry(for: key)
        if let kept {
            if let generations = try? await PageGenerations(database: request.db).read(kept.topics.union([.site])),
                PageCache.isCurrent(kept, given: generations)
            {
                return Self.response(kept, for: request, state: "hit")
            }
            // Changes keep coming: the page was rendered a moment ago, and is rendered again once the interval is up.
            if now.timeIntervalSince(kept.renderedAt) < Double(request.application.config.pageRefreshSeconds) {
                return Self.response(kept, for: request, state: "stale")
            }
        }
        // Readers arriving while the page is being rendered wait for that render, or are served the version before
        // the change while the render is young. If it could not be kept (personal content, an error), they render for
        // themselves, side by side.
        switch await cache.renders.turn(for: key, hasStale: kept != nil) {
        case .stale:
            return Self.response(kept!, for: request, state: "stale")
        case .served(let entry?):
            return Self.response(entry, for: request, state: "hit")
        case .served(nil):
            return try await next.respond(to: request)
        case .render:
            break
        }
        let response: Response
        do {
            response = try await next.respond(to: request)
        } catch {
            await cache.renders.finish(key, with: nil)
            throw error
        }
        guard response.status == .ok, response.headers[.setCookie].isEmpty, !request.rendersPersonalContent,
            let body = response.body.buffer,
            let entry = cache.store(
                body, status: response.status, headers: response.headers, for: key, generation: head.count,
                topics: request.pageTopics ?? [.anything], renderedAt: now)
        else {
            await cache.renders.finish(key, with: nil)
            return response
        }
        await cache.renders.finish(key, with: entry)
        return Self.response(entry, for: request, state: "miss")
    }

    private static func response(_ entry: PageCache.Entry, for request: Request, state: String) -> Response {
        var headers = entry.headers
        headers.replaceOrAdd(name: .eTag, value: entry.etag)
        headers.replaceOrAdd(name: Self.header, value: state)
        // The open data API states its own (docs/API.md); pages leave it to this.
        if headers[.cacheControl].isEmpty {
            headers.add(name: .cacheControl, value: Self.cacheControl)
            headers.replaceOrAdd(name: .vary, value: "Cookie")
        }
        if request.headers[.ifNoneMatch].contains(entry.etag) {
            headers.remove(name: .contentLength)
            return Response(status: .notModified, headers: headers)
        }
        return Response(status: entry.status, headers: headers, body: .init(buffer: entry.body))
    }
}
