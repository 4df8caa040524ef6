import Fluent
import StranasCore
import Vapor

/// Signing in and out: `/masuk` (e-mail and password), `/masuk/kode` (the second factor), `/keluar`.
struct SignInController: RouteCollection {
    static let returnParameter = "lanjut"

    func boot(routes: any RoutesBuilder) throws {
        routes.get(SiteURL.signIn, use: self.showSignIn)
        routes.post(SiteURL.signIn, use: self.signIn)
        routes.get(SiteURL.secondFactor, use: self.showSecondFactor)
        routes.post(SiteURL.secondFactor, use: self.secondFactor)
        routes.post(SiteURL.signOut, use: self.signOut)
    }

    /// `/masuk?lanjut=/the/page`, to come back to a protected page after signing in.
    static func signInPath(returningTo request: Request) -> String {
        guard request.method == .GET else { return SiteURL.signIn() }
        var back = request.url.path
        if let query = request.url.query, !query.isEmpty { back += "?" + query }
        var components = URLComponents()
        components.path = SiteURL.signIn()
        components.queryItems = [URLQueryItem(name: self.returnParameter, value: back)]
        return components.string ?? SiteURL.signIn()
    }

    struct SignInForm: Content {
        var email: String?
        var password: String?
        var lanjut: String?
    }

    struct SignInPage: Encodable {
        let page: PageContext
        let csrfToken: String
        let email: String
        let returnTo: String
        let error: String?
        let notice: String?
        let demoAccounts: [DemoAccounts.Listing]
        let isDemo: Bool
    }

    @Sendable func showSignIn(request: Request) async throws -> Response {
        if request.signedInUser != nil { return request.redirect(to: SiteURL.start()) }
        let notice: String? =
            switch (try? request.query.get(String.self, at: "pesan")) ?? "" {
            case "keluar": request.t("signin.notice.signed_out")
            case "aktif": request.t("signin.notice.activated")
            case "berakhir": request.t("signin.notice.expired")
            default: nil
            }
        let back = ReturnPath.local(try? request.query.get(String.self, at: Self.returnParameter))
        return try await self.render(request, email: "", returnTo: back, error: nil, notice: notice, status: .ok)
    }

    private func render(
        _ request: Request, email: String, returnTo: String, error: String?, notice: String?, status: HTTPStatus
    ) async throws -> Response {
        let demo = request.application.demoAccounts
        let page = SignInPage(
            page: PageContext(request: request, title: request.t("signin.title"), cycle: nil),
            csrfToken: request.csrfToken, email: email, returnTo: returnTo, error: error, notice: notice,
            demoAccounts: demo, isDemo: !demo.isEmpty)
        let response = try await request.view.render("signin", page).encodeResponse(status: status, for: request)
        response.headers.cacheControl = .init(noStore: true)
        return response
    }

    @Sendable func signIn(request: Request) async throws -> Response {
        let form = (try? request.content.decode(SignInForm.self)) ?? SignInForm()
        let email = User.normalize(email: String((form.email ?? "").prefix(254)))
        let password = String((form.password ?? "").prefix(PasswordPolicy.maximumLength * 4))
        let back = ReturnPath.local(form.lanjut)

        if let until = try await SignInAttempts.blockedUntil(email: email, request: request) {
            try await SecurityLog.record(.lockedOut, userID: nil, email: email, outcome: "throttled", on: request)
            let minutes = max(1, Int((until.timeIntervalSince(request.application.clock.now()) / 60).rounded(.up)))
            return try await self.render(
                request, email: email, returnTo: back, error: request.t("signin.error.throttled", String(minutes)),
                notice: nil, status: .tooManyRequests)
        }

        let user = try await User.query(on: request.db).filter(\.$email == email).with(\.$roleRows).first()
        let active = user?.status == .active ? user : nil
        // Checked before anything else is decided, so that an unknown address spends the same bcrypt time (against
        // the decoy hash) as a known one.
        let passwordMatches = await request.application.passwordRules.verify(
            password, against: active?.passwordHash, on: request.application.threadPool)
        guard let user = active, passwordMatches else {
            // Every failure reads the same, whether or not the address has an account.
            try await SignInAttempts.recordFailure(email: email, request: request)
            try await SecurityLog.record(
                .signInFailed, userID: user?.id, email: email,
                outcome: user == nil ? "unknown_or_inactive" : "bad_password", on: request)
            return try await self.render(
                request, email: email, returnTo: back, error: request.t("signin.error.credentials"), notice: nil,
                status: .unauthorized)
        }

        try await SignInAttempts.clear(email: email, request: request)
        let stage = self.stageAfterPassword(user, app: request.application)
        let response = request.redirect(to: self.destination(after: stage, returningTo: back))
        try await SessionStarter.start(for: user, stage: stage, request: request, response: response)
        try await SecurityLog.record(.signIn, userID: user.id, email: email, outcome: stage.rawValue, on: request)
        return response
    }

    /// Where a password alone gets someone: all the way in, to the second factor, or to enrolling one. Roles that
    /// need a second factor must have one, except demo accounts in demo mode.
    private func stageAfterPassword(_ user: User, app: Application) -> UserSession.Stage {
        if user.totpSecret != nil { return .needsSecondFactor }
        if user.roles.requiresTwoFactor && !(user.isDemo && app.isDemoMode) { return .needsEnrolment }
        return .active
    }

    private func destination(after stage: UserSession.Stage, returningTo back: String) -> String {
        switch stage {
        case .active: back == SiteURL.home() ? SiteURL.start() : back
        case .needsSecondFactor: SiteURL.secondFactor()
        case .needsEnrolment: SiteURL.twoFactor()
        }
    }

    // MARK: - Second factor

    struct CodeForm: Content {
        var code: String?
    }

    struct SecondFactorPage: Encodable {
        let page: PageContext
        let csrfToken: String
        let error: String?
    }

    @Sendable func showSecondFactor(request: Request) async throws -> Response {
        guard request.sessionUser?.session.stage == .needsSecondFactor else {
            return request.redirect(to: SiteURL.signIn())
        }
        return try await self.renderSecondFactor(request, error: nil, status: .ok)
    }

    private func renderSecondFactor(_ request: Request, error: String?, status: HTTPStatus) async throws -> Response {
        let page = SecondFactorPage(
            page: PageContext(request: request, title: request.t("signin.code.title"), cycle: nil),
            csrfToken: request.csrfToken, error: error)
        let response = try await request.view.render("signin-code", page).encodeResponse(status: status, for: request)
        response.headers.cacheControl = .init(noStore: true)
        return response
    }

    @Sendable func secondFactor(request: Request) async throws -> Response {
        guard let pending = request.sessionUser, pending.session.stage == .needsSecondFactor else {
            return request.redirect(to: SiteURL.signIn())
        }
        let user = pending.user
        if try await SignInAttempts.secondFactorBlockedUntil(userID: pending.id, request: request) != nil {
            try await SessionStarter.endCurrent(request: request)
            try await SecurityLog.record(
                .lockedOut, userID: user.id, email: user.email, outcome: "throttled", on: request)
            let response = request.redirect(to: SiteURL.signIn())
            response.cookies[SessionLoader.cookieName] = SessionCookie.expired(for: request)
            return response
        }

        let code = String(((try? request.content.decode(CodeForm.self))?.code ?? "").prefix(40))
        var method = "totp"
        var accepted = try await TwoFactor.acceptCode(code, for: user, on: request)
        if !accepted && code.count > TOTPParameters.digits {
            accepted = try await TwoFactor.acceptRecoveryCode(code, userID: pending.id, on: request)
            method = "recovery_code"
        }
        guard accepted else {
            try await SignInAttempts.recordSecondFactorFailure(userID: pending.id, request: request)
            try await SecurityLog.record(
                .secondFactorFailed, userID: user.id, email: user.email, outcome: "bad_code", on: request)
            return try await self.renderSecondFactor(
                request, error: request.t("signin.code.error"), status: .unauthorized)
        }

        if method == "recovery_code" {
            try await SecurityLog.record(.recoveryCodeUsed, userID: user.id, outcome: "success", on: request)
        }
        try await SignInAttempts.clear(email: user.email, request: request)
        try await SignInAttempts.clearSecondFactor(userID: pending.id, request: request)
        let response = request.redirect(to: SiteURL.start())
        try await SessionStarter.start(for: user, stage: .active, request: request, response: response)
        try await SecurityLog.record(.signIn, userID: user.id, email: user.email, outcome: method, on: request)
        return response
    }

    // MARK: - Sign-out

    @Sendable func signOut(request: Request) async throws -> Response {
        let userID = request.sessionUser?.id
        try await SessionStarter.endCurrent(request: request)
        if let userID { try await SecurityLog.record(.signOut, userID: userID, outcome: "success", on: request) }
        let response = request.redirect(to: SiteURL.signIn() + "?pesan=keluar")
        response.cookies[SessionLoader.cookieName] = SessionCookie.expired(for: request)
        return response
    }
}
