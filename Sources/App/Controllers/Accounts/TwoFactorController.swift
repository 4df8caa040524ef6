import Fluent
import StranasCore
import Vapor

/// `/akun/dua-langkah`: enrolling an authenticator app (TOTP). Reached right after the password by accounts that must
/// have a second factor and do not yet, and from the home page by anyone who wants one.
struct TwoFactorController: RouteCollection {
    static let enrolmentPath = "/akun/dua-langkah"
    static let issuer = "Jaga Stranas PK"

    func boot(routes: any RoutesBuilder) throws {
        routes.get("akun", "dua-langkah", use: self.show)
        routes.post("akun", "dua-langkah", use: self.enrol)
    }

    struct EnrolmentPage: Encodable {
        let page: PageContext
        let csrfToken: String
        let isEnrolled: Bool
        let isRequired: Bool
        let secret: String
        let secretGroups: String
        let provisioningURL: String
        let error: String?
        let recoveryCodes: [String]
        let showsRecoveryCodes: Bool
    }

    struct EnrolmentForm: Content {
        var secret: String?
        var code: String?
    }

    /// Someone whose password has been accepted: fully signed in, or held at enrolment.
    private func enrollingUser(_ request: Request) -> SignedInUser? {
        guard let user = request.sessionUser, user.session.stage == .active || user.session.stage == .needsEnrolment
        else { return nil }
        return user
    }

    @Sendable func show(request: Request) async throws -> Response {
        guard let user = self.enrollingUser(request) else {
            return request.redirect(to: SignInController.signInPath(returningTo: request))
        }
        return try await self.render(request, user: user, secret: TwoFactor.newSecret(), error: nil, codes: [])
    }

    private func render(
        _ request: Request, user: SignedInUser, secret: String, error: String?, codes: [String],
        status: HTTPStatus = .ok
    ) async throws -> Response {
        let groups = stride(from: 0, to: secret.count, by: 4).map { offset -> String in
            let start = secret.index(secret.startIndex, offsetBy: offset)
            return String(
                secret[start..<(secret.index(start, offsetBy: 4, limitedBy: secret.endIndex) ?? secret.endIndex)])
        }
        let page = EnrolmentPage(
            page: PageContext(request: request, title: request.t("twofactor.title"), cycle: nil),
            csrfToken: request.csrfToken, isEnrolled: user.user.totpSecret != nil && codes.isEmpty,
            isRequired: user.session.stage == .needsEnrolment, secret: secret,
            secretGroups: groups.joined(separator: " "),
            provisioningURL: TOTPParameters.provisioningURL(
                secret: secret, account: user.user.email, issuer: Self.issuer),
            error: error, recoveryCodes: codes, showsRecoveryCodes: !codes.isEmpty)
        let response = try await request.view.render("two-factor", page).encodeResponse(status: status, for: request)
        response.headers.cacheControl = .init(noStore: true)
        return response
    }

    @Sendable func enrol(request: Request) async throws -> Response {
        guard let signedIn = self.enrollingUser(request) else {
            return request.redirect(to: SignInController.signInPath)
        }
        let form = (try? request.content.decode(EnrolmentForm.self)) ?? EnrolmentForm()
        // The secret travels in the form between showing and confirming; only a well-formed 160-bit secret is taken.
        guard let secret = form.secret, Base32.decode(secret)?.count == 20, secret.count == 32 else {
            return try await self.render(
                request, user: signedIn, secret: TwoFactor.newSecret(), error: request.t("twofactor.error.secret"),
                codes: [], status: .badRequest)
        }
        guard
            let counter = TwoFactor.matchingCounter(
                code: form.code ?? "", secret: secret, at: request.application.clock.now())
        else {
            return try await self.render(
                request, user: signedIn, secret: secret, error: request.t("twofactor.error.code"), codes: [],
                status: .unprocessableEntity)
        }

        let user = signedIn.user
        user.totpSecret = secret
        user.totpLastCounter = counter
        try await user.save(on: request.db)
        let codes = try await TwoFactor.issueRecoveryCodes(for: signedIn.id, on: request.db)
        try await SecurityLog.record(.twoFactorEnrolled, userID: signedIn.id, outcome: "success", on: request)

        let response = try await self.render(request, user: signedIn, secret: secret, error: nil, codes: codes)
        if signedIn.session.stage == .needsEnrolment {
            // Enrolment completes the sign-in; the session id changes with the privilege.
            try await SessionStarter.start(for: user, stage: .active, request: request, response: response)
        }
        return response
    }
}
