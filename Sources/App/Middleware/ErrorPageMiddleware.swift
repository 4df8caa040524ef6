import Vapor

/// Turns every error into a page in the reader's language with the right status. Internal error text never reaches
/// the response: unexpected errors are logged at ERROR with their cause and shown as a plain "something went wrong"
/// page. A database that is down or a disk that is full (`Unavailability`) is a 503 with `Retry-After`, and the page
/// gives back what a form carried (`TypedInput`).
struct ErrorPageMiddleware: AsyncMiddleware {
    struct ErrorPage: Encodable {
        let page: PageContext
        let status: Int
        let heading: String
        let message: String
        let typed: TypedInput?
        /// The request's id, which its log lines carry: what someone reporting the failure can quote.
        let requestID: String?
    }

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        do {
            return try await next.respond(to: request)
        } catch {
            return await self.response(for: error, to: request)
        }
    }

    private func response(for error: any Error, to request: Request) async -> Response {
        if request.url.path.hasPrefix(SiteURL.apiPrefix) { return Self.apiResponse(for: error, to: request) }
        let status: HTTPResponseStatus
        let message: String
        var typed: TypedInput?
        let unavailable = Unavailability.of(error)
        switch (error, unavailable) {
        case (_, let unavailable?):
            status = .serviceUnavailable
            message = request.t(unavailable.messageKey)
            typed = TypedInput(request: request)
            Self.log(unavailable: unavailable, error, request)
        case (let pageError as PageError, nil):
            status = pageError.status
            message = request.application.locales.text(pageError.messageKey, request.language, pageError.arguments)
        case (let abort as any AbortError, nil) where abort.status.code < 500:
            status = abort.status
            if status == .payloadTooLarge { request.application.metrics.uploadRefused("body_too_large") }
            message =
                switch abort.status {
                case .notFound: request.t("error.not_found")
                case .payloadTooLarge: request.t("error.too_large")
                default: request.t("error.bad_request_generic")
                }
        default:
            status = .internalServerError
            message = request.t("error.internal")
            Self.log(unexpected: error, request)
        }

        let headingKey = "error.heading.\(status.code)"
        let heading =
            request.application.locales.contains(headingKey) ? request.t(headingKey) : request.t("error.heading.other")
        let context = ErrorPage(
            page: PageContext(request: request, title: heading, cycle: nil),
            status: Int(status.code), heading: heading, message: message, typed: typed,
            requestID: status.code >= 500 ? request.id : nil)
        let response: Response
        do {
            response = try await request.view.render("error", context).encodeResponse(for: request)
            response.status = status
            response.headers.cacheControl = .init(noStore: true)
        } catch {
            Self.log(unexpected: error, request)
            response = Response(status: status, body: .init(string: message))
            response.headers.contentType = .plainText
        }
        if let unavailable {
            response.headers.replaceOrAdd(name: .retryAfter, value: "\(unavailable.retryAfterSeconds)")
        }
        return response
    }

    /// An error nobody planned for: at ERROR, with its cause (a database error by its SQLSTATE and message, never
    /// the values it was given), for the operators' alerts.
    static func log(unexpected error: any Error, _ request: Request) {
        request.application.metrics.failure("internal")
        request.logger.error(
            "Unexpected error on \(request.method) \(MetricsMiddleware.pattern(of: request)): \(DatabasePreparation.cause(of: error))"
        )
    }

    /// An outage: at ERROR too, since someone must act, but named as what it is.
    private static func log(unavailable: Unavailability, _ error: any Error, _ request: Request) {
        request.application.metrics.failure(unavailable.code)
        request.logger.error(
            "Refused \(request.method) \(MetricsMiddleware.pattern(of: request)): \(unavailable) (\(DatabasePreparation.cause(of: error)))"
        )
    }

    /// The API's one error shape: `{"error": {"code": ..., "message": ...}}`, with a code programs can rely on and a
    /// message in the reader's language.
    static func apiResponse(for error: any Error, to request: Request) -> Response {
        let status: HTTPResponseStatus
        let code: String
        let message: String
        if let unavailable = Unavailability.of(error) {
            Self.log(unavailable: unavailable, error, request)
            let response = Self.apiError(
                status: .serviceUnavailable, code: unavailable.code, message: request.t(unavailable.messageKey))
            response.headers.replaceOrAdd(name: .retryAfter, value: "\(unavailable.retryAfterSeconds)")
            return response
        }
        switch error {
        case let apiError as APIError:
            status = apiError.status
            code = apiError.code
            message = apiError.message(in: request.language, request.application.locales)
            if status == .unauthorized {
                let response = Self.apiError(status: status, code: code, message: message)
                response.headers.replaceOrAdd(name: .wwwAuthenticate, value: "Bearer")
                return response
            }
        case let pageError as PageError:
            status = pageError.status
            code = pageError.messageKey.hasPrefix("error.") ? String(pageError.messageKey.dropFirst(6)) : "error"
            message = request.application.locales.text(pageError.messageKey, request.language, pageError.arguments)
        case let abort as any AbortError where abort.status == .notFound && !Self.methods(for: request).isEmpty:
            // The address exists, for other methods.
            let allowed = Self.methods(for: request)
            let response = Self.apiError(
                status: .methodNotAllowed, code: "method_not_allowed",
                message: request.t("api.error.method_not_allowed", allowed.joined(separator: ", ")))
            response.headers.replaceOrAdd(name: .allow, value: allowed.joined(separator: ", "))
            return response
        case let abort as any AbortError where abort.status.code < 500:
            status = abort.status
            (code, message) =
                switch abort.status {
                case .notFound: ("not_found", request.t("api.error.not_found"))
                case .methodNotAllowed: ("method_not_allowed", request.t("api.error.method_not_allowed"))
                case .payloadTooLarge: ("too_large", request.t("api.error.too_large"))
                default: ("bad_request", request.t("error.bad_request_generic"))
                }
        default:
            status = .internalServerError
            code = "internal"
            message = request.t("error.internal")
            Self.log(unexpected: error, request)
        }
        return Self.apiError(status: status, code: code, message: message)
    }

    static func apiError(status: HTTPResponseStatus, code: String, message: String) -> Response {
        struct Body: Encodable {
            struct Detail: Encodable {
                let code: String
                let message: String
            }

            let error: Detail
        }
        let data = (try? APIResponses.encoder.encode(Body(error: .init(code: code, message: message)))) ?? Data()
        let response = Response(status: status, body: .init(data: data))
        response.headers.contentType = .json
        response.headers.cacheControl = .init(noStore: true)
        // Like the API's answers, its errors may be read from any web origin.
        response.headers.replaceOrAdd(name: .accessControlAllowOrigin, value: "*")
        return response
    }

    /// The methods the app serves at the request's path (HEAD with GET), when the router found none for its method.
    static func methods(for request: Request) -> [String] {
        let parts = request.url.path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        let methods = request.application.routes.all.filter { route in
            route.path.count == parts.count
                && zip(route.path, parts).allSatisfy { component, part in
                    switch component {
                    case .constant(let constant): constant == part
                    case .parameter: true
                    case .anything, .catchall: true
                    }
                }
        }.map(\.method.rawValue)
        let served = Set(methods + (methods.contains("GET") ? ["HEAD"] : []))
        return served.contains(request.method.rawValue) ? [] : served.sorted()
    }
}
