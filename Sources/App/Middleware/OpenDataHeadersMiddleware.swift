import Crypto
import Vapor

/// The headers of the API's answers: every successful GET gets a strong ETag (from the SHA-256 of its body, the same as
/// `PageCache`'s)
/// and a Cache-Control that lets shared caches keep it for a minute, and a request whose If-None-Match names the
/// current ETag gets 304 without a body; data changes show within that minute, and a cache in front can absorb the
/// load. Every answer, errors included, may be read from any web origin (public data, no credentials).
struct OpenDataHeadersMiddleware: AsyncMiddleware {
    static let maxAge = 60

    /// Answers for one key (the reporting API) are the instansi's own: no shared cache may keep them.
    var isPrivate = false

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let response = try await next.respond(to: request)
        response.headers.replaceOrAdd(name: .accessControlAllowOrigin, value: "*")
        guard request.method == .GET, response.status == .ok, let body = response.body.buffer else { return response }
        let digest = SHA256.hash(data: Data(buffer: body)).map { String(format: "%02x", $0) }.joined()
        let etag = "\"\(digest.prefix(32))\""
        response.headers.replaceOrAdd(name: .eTag, value: etag)
        response.headers.replaceOrAdd(
            name: .cacheControl, value: self.isPrivate ? "private, no-cache" : "public, max-age=\(Self.maxAge)")
        let sent = request.headers[.ifNoneMatch].flatMap { $0.split(separator: ",") }.map {
            $0.trimmingCharacters(in: .whitespaces)
        }
        if sent.contains(etag) || sent.contains("*") {
            let notModified = Response(status: .notModified, headers: response.headers)
            notModified.headers.remove(name: .contentLength)
            return notModified
        }
        return response
    }
}
