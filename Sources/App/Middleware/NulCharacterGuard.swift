import Vapor

/// Refuses a request that carries a NUL character (U+0000) in its address or in a text field: no form has a use for
/// it, and PostgreSQL cannot store it in text, so without this check it reached the database as a 500 (found by
/// `HostileInputTests` on PostgreSQL). File contents may hold any byte and are not looked at; of a multipart form,
/// the text parts before the first file and after the last are, which is where the portal's forms put their text.
/// An address is a 400; a body is a 400 on a page and, in the API, a 422 (`nul_character`): well-formed JSON whose
/// content cannot be taken.
struct NulCharacterGuard: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        if Self.hasNul(percentEncoded: request.url.string) { throw Self.refusal }
        if [.POST, .PUT, .PATCH].contains(request.method), let type = request.headers.contentType {
            if type == .urlEncodedForm || type == .json {
                if request.body.data == nil {
                    // Text bodies are small: the largest a route takes is the reporting API's 1 MB of JSON.
                    let limit = max(request.application.routes.defaultMaxBodySize.value, Self.largestTextBody)
                    _ = try await request.body.collect(max: limit).get()
                }
                if let body = request.body.data {
                    let text = String(decoding: body.readableBytesView, as: UTF8.self)
                    if text.contains("\u{0}") || Self.hasNul(percentEncoded: text)
                        || (type == .json && text.lowercased().contains("\\u0000"))
                    {
                        throw request.url.path.hasPrefix(SiteURL.apiPrefix) ? Self.contentRefusal : Self.refusal
                    }
                }
            } else if let boundary = MultipartTextField.boundary(of: type), let body = request.body.data {
                let bytes = Array(body.readableBytesView)
                let windows = [bytes.prefix(MultipartTextField.scannedBytes), bytes.suffix(OversizedForm.keptTail)]
                for window in windows {
                    let fields = MultipartTextField.textFields(in: Array(window), boundary: boundary)
                    if fields.contains(where: { $0.value.contains("\u{0}") || $0.name.contains("\u{0}") }) {
                        throw Self.refusal
                    }
                }
            }
        }
        return try await next.respond(to: request)
    }

    static let largestTextBody = 1024 * 1024

    static let refusal = PageError(status: .badRequest, messageKey: "error.nul_character", arguments: [])
    static let contentRefusal = PageError(
        status: .unprocessableEntity, messageKey: "error.nul_character", arguments: [])

    static func hasNul(percentEncoded text: String) -> Bool {
        text.range(of: "%00", options: .caseInsensitive) != nil || text.contains("\u{0}")
    }
}
