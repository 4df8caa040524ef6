import Vapor

/// Serves public pages from the `PageCache` to visitors without a session, and stores what it renders for them.
/// `routes.swift` puts it on the public page routes, inside `AuditHeadMiddleware`, whose head names the generation.
///
/// Only a GET without a signed-in or half-signed-in person is served or stored, and only a 200 response that sets
/// no cookie and carries nothing personal (`Request.rendersPersonalContent`). The key is the path with the canonical
/// form of the parameters the page knows (`KnownQuery`; an unknown one is a 400), or the URL as sent for routes that
/// declare none, and the reader's language; `X-Jaga-Cache` says whether the response came from the cache.
struct PageCacheMiddleware: AsyncMiddleware {
    static let header = "X-Jaga-Cache"

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        guard request.method == .GET, request.sessionUser == nil, let cache = request.application.pageCache,
            let head = request.auditHead
        else {
            return try await next.respond(to: request)
        }
        let generation = "\(head.count) \(head.hash) \(request.application.clock.today.iso)"
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
        let key = "\(request.language.rawValue) \(address)"
        if let entry = cache.entry(for: key, generation: generation) {
            return Self.response(entry, for: request, cached: true)
        }
        // Readers arriving while the page is being rendered wait for that render. If it could not be kept (personal
        // content, an error), they render for themselves, side by side.
        let turnKey = generation + " " + key
        switch await cache.renders.turn(for: turnKey) {
        case .served(let entry?):
            return Self.response(entry, for: request, cached: true)
        case .served(nil):
            return try await next.respond(to: request)
        case .render:
            break
        }
        let response: Response
        do {
            response = try await next.respond(to: request)
        } catch {
            await cache.renders.finish(turnKey, with: nil)
            throw error
        }
        guard response.status == .ok, response.headers[.setCookie].isEmpty, !request.rendersPersonalContent,
            let body = response.body.buffer,
            let entry = cache.store(
                body, status: response.status, headers: response.headers, for: key, generation: generation)
        else {
            await cache.renders.finish(turnKey, with: nil)
            return response
        }
        await cache.renders.finish(turnKey, with: entry)
        return Self.response(entry, for: request, cached: false)
    }

    private static func response(_ entry: PageCache.Entry, for request: Request, cached: Bool) -> Response {
        var headers = entry.headers
        headers.replaceOrAdd(name: .eTag, value: entry.etag)
        headers.replaceOrAdd(name: Self.header, value: cached ? "hit" : "miss")
        if request.headers[.ifNoneMatch].contains(entry.etag) {
            headers.remove(name: .contentLength)
            return Response(status: .notModified, headers: headers)
        }
        return Response(status: entry.status, headers: headers, body: .init(buffer: entry.body))
    }
}
