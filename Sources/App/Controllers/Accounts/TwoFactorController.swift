import Fluent
import StranasCore
import Vapor

/// `/akun/dua-langkah`: enrolling an authenticator app (TOTP). Reached right after the password by accounts that must
/// have a second factor and do not yet, and from the home page by anyone who wants one.
struct TwoFactorController: RouteCollection {
    static let issuer = "Jaga Stranas PK"

    func boot(routes: any RoutesBuilder) throws {
        routes.get(SiteURL.twoFactor, use: self.show)
        routes.post(SiteURL.twoFactor, use: self.enrol)
    }

    struct EnrolmentPage: Encodable {
        let page: PageContext
        let csrfToken: String
        let isEnrolled: Bool
        let isRequired: Bool
        let secret: String
        let secretGroups: String
        let provisioningURL: String
        /// The provisioning link as a QR code, an SVG drawn by the server so the page needs no script.
        let qrCode: String?
        let error: String?
        let recoveryCodes: [String]
        let showsRecoveryCodes: Bool
    }

    struct EnrolmentForm: Content {
        var secret: String?
        var code: String?
        /// To replace a second factor: the code the current one shows, or the account's password.
        var sekarang: String?
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
        let provisioningURL = TOTPParameters.provisioningURL(
            secret: secret, account: user.user.email, issuer: Self.issuer)
        let page = EnrolmentPage(
            page: PageContext(request: request, title: request.t("twofactor.title"), cycle: nil),
            csrfToken: request.csrfToken, isEnrolled: user.user.totpSecret != nil && codes.isEmpty,
            isRequired: user.session.stage == .needsEnrolment, secret: secret,
            secretGroups: groups.joined(separator: " "),
            provisioningURL: provisioningURL,
            qrCode: QRCode(text: provisioningURL)?.svg(moduleSize: 5, label: request.t("twofactor.qr_label")),
            error: error, recoveryCodes: codes, showsRecoveryCodes: !codes.isEmpty)
        let response = try await request.view.render("two-factor", page).encodeResponse(status: status, for: request)
        response.headers.cacheControl = .init(noStore: true)
        return response
    }

    @Sendable func enrol(request: Request) async throws -> Response {
        guard let signedIn = self.enrollingUser(request) else {
            return request.redirect(to: SiteURL.signIn())
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
        let replacing = user.totpSecret != nil
        if replacing {
            // Whoever holds a signed-in browser for a moment must not be able to move the second factor to their own
            // phone: the current factor or the password proves it is the account's owner.
            let proof = String((form.sekarang ?? "").prefix(PasswordPolicy.maximumLength * 4))
            let byCode = try await TwoFactor.acceptCode(proof, for: user, on: request)
            var byPassword = false
            if !byCode {
                byPassword = await request.application.passwordRules.verify(
                    proof, against: user.passwordHash, on: request.application.threadPool)
            }
            guard byCode || byPassword else {
                try await SignInAttempts.recordSecondFactorFailure(userID: signedIn.id, request: request)
                try await SecurityLog.record(
                    .secondFactorFailed, userID: signedIn.id, outcome: "replace_without_proof", on: request)
                return try await self.render(
                    request, user: signedIn, secret: secret, error: request.t("twofactor.error.current"), codes: [],
                    status: .unprocessableEntity)
            }
        }
        let codes = try await request.accountDesk.enrolSecondFactor(of: user, secret: secret, counter: counter)

        let response = try await self.render(request, user: signedIn, secret: secret, error: nil, codes: codes)
        if replacing {
            // Every other browser signed in with the old factor is signed out; this one continues in a new session.
            try await SessionStarter.endAll(userID: signedIn.id, on: request.db)
            try await SessionStarter.start(for: user, stage: .active, request: request, response: response)
        } else if signedIn.session.stage == .needsEnrolment {
            // Enrolment completes the sign-in; the session id changes with the privilege.
            try await SessionStarter.start(for: user, stage: .active, request: request, response: response)
        }
        return response
    }
}
