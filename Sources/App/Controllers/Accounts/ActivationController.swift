import Fluent
import StranasCore
import Vapor

/// One-time links: `/aktivasi/{token}` sets a password (accepting an invitation or resetting a forgotten password),
/// and `/lupa-sandi` sends a reset link.
struct ActivationController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get(SiteURL.activation, use: self.show)
        routes.post(SiteURL.activation, use: self.setPassword)
        routes.get(SiteURL.forgottenPassword, use: self.showForgotten)
        routes.post(SiteURL.forgottenPassword, use: self.forgotten)
    }

    struct PasswordPage: Encodable {
        let page: PageContext
        let csrfToken: String
        let name: String
        let email: String
        let isInvitation: Bool
        let minimumLength: Int
        let error: String?
    }

    struct PasswordForm: Content {
        var password: String?
        var confirmation: String?
    }

    @Sendable func show(request: Request) async throws -> Response {
        guard
            let link = try await AccountInvitations.validLink(
                token: request.parameters.get("token") ?? "", request: request)
        else { throw PageError(status: .notFound, messageKey: "error.link_invalid", arguments: []) }
        return try await self.render(request, link: link, error: nil, status: .ok)
    }

    private func render(
        _ request: Request, link: OneTimeToken, error: String?, status: HTTPStatus
    ) async throws
        -> Response
    {
        let page = PasswordPage(
            page: PageContext(request: request, title: request.t("activation.title"), cycle: nil),
            csrfToken: request.csrfToken, name: link.user.name, email: link.user.email,
            isInvitation: link.purpose == .invitation, minimumLength: PasswordPolicy.minimumLength, error: error)
        let response = try await request.view.render("set-password", page).encodeResponse(status: status, for: request)
        response.headers.cacheControl = .init(noStore: true)
        // The link is a secret: keep it out of the Referer of anything the page loads.
        response.headers.replaceOrAdd(name: "Referrer-Policy", value: "no-referrer")
        return response
    }

    @Sendable func setPassword(request: Request) async throws -> Response {
        guard
            let link = try await AccountInvitations.validLink(
                token: request.parameters.get("token") ?? "", request: request)
        else { throw PageError(status: .notFound, messageKey: "error.link_invalid", arguments: []) }
        let form = (try? request.content.decode(PasswordForm.self)) ?? PasswordForm()
        let password = form.password ?? ""
        if let problem = request.application.passwordRules.policy.problem(
            with: password, confirmation: form.confirmation ?? "")
        {
            let message = request.passwordProblemText(problem)
            return try await self.render(request, link: link, error: message, status: .unprocessableEntity)
        }

        try await request.accountDesk.setPassword(
            from: link, passwordHash: try request.application.passwordRules.hash(password))
        let response = request.redirect(to: SiteURL.signIn() + "?pesan=aktif")
        response.cookies[SessionLoader.cookieName] = SessionCookie.expired(for: request)
        return response
    }

    // MARK: - Forgotten password

    struct ForgottenPage: Encodable {
        let page: PageContext
        let csrfToken: String
        let sent: Bool
    }

    struct ForgottenForm: Content {
        var email: String?
    }

    @Sendable func showForgotten(request: Request) async throws -> View {
        try await request.view.render(
            "forgotten-password",
            ForgottenPage(
                page: PageContext(request: request, title: request.t("forgotten.title"), cycle: nil),
                csrfToken: request.csrfToken, sent: false))
    }

    /// Reset mails per account and per client address within an hour; more are not sent (and the page says the same).
    static let resetsPerAccount = 3
    static let resetsPerAddress = 20

    /// Always answers the same way, so that the form does not tell who has an account, nor that a limit was reached.
    @Sendable func forgotten(request: Request) async throws -> View {
        let email = User.normalize(
            email: String(((try? request.content.decode(ForgottenForm.self))?.email ?? "").prefix(254)))
        let hourAgo = request.application.clock.now().addingTimeInterval(-3_600)
        let recent = SecurityEvent.query(on: request.db).filter(\.$kind == .passwordResetRequested)
            .filter(\.$at >= hourAgo)
        let fromAddress = try await recent.copy().filter(\.$clientAddress == request.clientAddress).count()
        let user = try await User.query(on: request.db).filter(\.$email == email).first()
        var toAccount = 0
        if let id = user?.id {
            toAccount = try await recent.copy().filter(\.$userID == id).filter(\.$outcome == "sent").count()
        }
        if fromAddress >= Self.resetsPerAddress || toAccount >= Self.resetsPerAccount {
            try await SecurityLog.record(
                .passwordResetRequested, userID: user?.id, email: email, outcome: "throttled", on: request)
        } else if let user, user.status == .active {
            let app = request.application
            let link = try await AccountInvitations.issueLink(.passwordReset, for: user, on: request.db, app: app)
            try await Mailbox.post(
                OutboxMessage(
                    recipient: email, subject: request.t("mail.reset.subject"),
                    body: request.t("mail.reset.body", user.name, link), now: app.clock.now()),
                on: request.db, app: app)
            try await SecurityLog.record(.passwordResetRequested, userID: user.id, outcome: "sent", on: request)
        } else {
            try await SecurityLog.record(
                .passwordResetRequested, userID: nil, email: email, outcome: "no_active_account", on: request)
        }
        return try await request.view.render(
            "forgotten-password",
            ForgottenPage(
                page: PageContext(request: request, title: request.t("forgotten.title"), cycle: nil),
                csrfToken: request.csrfToken, sent: true))
    }
}
