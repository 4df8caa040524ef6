import Vapor

/// Turns every error into a page in the reader's language with the right status. Internal error text never reaches
/// the response: unexpected errors are logged and shown as a plain "something went wrong" page.
struct ErrorPageMiddleware: AsyncMiddleware {
    struct ErrorPage: Encodable {
        let page: PageContext
        let status: Int
        let heading: String
        let message: String
    }

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        do {
            return try await next.respond(to: request)
        } catch {
            return await self.response(for: error, to: request)
        }
    }

    private func response(for error: any Error, to request: Request) async -> Response {
        let status: HTTPResponseStatus
        let message: String
        switch error {
        case let pageError as PageError:
            status = pageError.status
            message = request.application.locales.text(pageError.messageKey, request.language, pageError.arguments)
        case let abort as any AbortError where abort.status.code < 500:
            status = abort.status
            message =
                switch abort.status {
                case .notFound: request.t("error.not_found")
                case .payloadTooLarge: request.t("error.too_large")
                default: request.t("error.bad_request_generic")
                }
        default:
            status = .internalServerError
            message = request.t("error.internal")
            request.logger.report(error: error)
        }

        let headingKey = "error.heading.\(status.code)"
        let heading =
            request.application.locales.contains(headingKey) ? request.t(headingKey) : request.t("error.heading.other")
        let context = ErrorPage(
            page: PageContext(request: request, title: heading, cycle: nil),
            status: Int(status.code), heading: heading, message: message)
        do {
            let response = try await request.view.render("error", context).encodeResponse(for: request)
            response.status = status
            response.headers.cacheControl = .init(noStore: true)
            return response
        } catch {
            request.logger.report(error: error)
            let response = Response(status: status, body: .init(string: message))
            response.headers.contentType = .plainText
            return response
        }
    }
}
