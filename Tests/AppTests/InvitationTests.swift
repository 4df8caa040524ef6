import Fluent
import StranasCore
import Testing
import VaporTesting

@testable import App

@Suite("Invitations, passwords and two-step verification", .serialized)
struct InvitationTests {
    /// Invites a Unit Teknis of LKPP as its Admin Instansi; returns the activation link's path.
    func invite(_ email: String, app: Application) async throws -> String {
        let admin = try await makeAccount([.adminInstansi], instansi: try await instansi("LKPP", on: app), on: app)
        var browser = TestBrowser(app)
        _ = try await browser.signIn(admin.email, admin.password)
        let page = try await browser.post(
            "/pengguna/undang",
            [("name", "Rina Kusuma"), ("email", email), ("position", "Analis"), ("roles[]", "unit_teknis")],
            csrf: try await browser.csrfToken(from: "/pengguna/undang"))
        #expect(page.status == .created)
        let message = try #require(try await OutboxMessage.query(on: app.db).filter(\.$recipient == email).first())
        #expect(message.subject == "Undangan ke Jaga Stranas PK")
        let link = try #require(message.body.split(separator: "\n").first { $0.contains("/aktivasi/") })
        #expect(page.html.contains(String(link)))
        let token = String(link.split(separator: "/").last!)
        #expect(token.count == 43)  // 256 bits in URL-safe base64
        let stored = try await OneTimeToken.query(on: app.db).all().map(\.tokenHash)
        #expect(!stored.contains(token))
        return "/aktivasi/" + token
    }

    func setPassword(
        _ path: String, _ password: String, confirmation: String? = nil, app: Application
    ) async throws
        -> TestBrowser.Page
    {
        var browser = TestBrowser(app)
        let token = try await browser.csrfToken(from: path)
        return try await browser.post(
            path, [("password", password), ("confirmation", confirmation ?? password)], csrf: token)
    }

    @Test("an invitation link sets the password once, activates the account, and is refused when used again")
    func invitationIsSingleUse() async throws {
        try await withJagaApp { app in
            let path = try await self.invite("rina@lkpp.example", app: app)
            let done = try await self.setPassword(path, "sawah hijau membentang", app: app)
            #expect(done.location == "/masuk?pesan=aktif")
            let user = try #require(try await User.query(on: app.db).filter(\.$email == "rina@lkpp.example").first())
            #expect(user.status == .active)
            // bcrypt at the portal's cost (12 in service, `ConfigurationTests`; the suites lower it for speed).
            #expect(user.passwordHash?.hasPrefix(String(format: "$2b$%02d$", app.passwordRules.cost)) == true)

            var again = TestBrowser(app)
            let reused = try await again.get(path)
            #expect(reused.status == .notFound)
            #expect(reused.html.contains("Tautan ini tidak berlaku"))

            var browser = TestBrowser(app)
            #expect(try await browser.signIn("rina@lkpp.example", "sawah hijau membentang").location == "/beranda")
            #expect(try await SecurityEvent.query(on: app.db).filter(\.$kind == .accountActivated).count() == 1)
        }
    }

    @Test("an invitation link expires after 72 hours; an invited account cannot sign in")
    func invitationExpires() async throws {
        try await withJagaApp { app in
            let clock = TestClock()
            app.clock = clock.appClock
            let path = try await self.invite("rina@lkpp.example", app: app)
            var browser = TestBrowser(app)
            #expect(try await browser.signIn("rina@lkpp.example", "apa saja boleh").status == .unauthorized)
            clock.advance(by: 71 * 3600)
            #expect(try await browser.get(path).status == .ok)
            clock.advance(by: 2 * 3600)
            #expect(try await browser.get(path).status == .notFound)
            var late = TestBrowser(app)
            late.cookies = browser.cookies
            let refused = try await late.post(path, [("password", "sawah hijau"), ("confirmation", "sawah hijau")])
            #expect(refused.status == .notFound)
        }
    }

    @Test("a new password that is short, common or mistyped is refused with the reason, and the link still works")
    func passwordRules() async throws {
        try await withJagaApp { app in
            let path = try await self.invite("rina@lkpp.example", app: app)
            let short = try await self.setPassword(path, "pendek", app: app)
            #expect(short.status == .unprocessableEntity)
            #expect(short.html.contains("Kata sandi terlalu pendek: paling sedikit 8 karakter."))
            let common = try await self.setPassword(path, "iloveyou", app: app)
            #expect(common.html.contains("paling sering dipakai"))
            let mismatch = try await self.setPassword(path, "sawah hijau", confirmation: "sawah biru", app: app)
            #expect(mismatch.html.contains("Kedua kata sandi tidak sama."))
            let tooLong = try await self.setPassword(path, String(repeating: "a", count: 129), app: app)
            #expect(tooLong.html.contains("paling banyak 128 karakter"))
            #expect(try await self.setPassword(path, "sawah hijau", app: app).location == "/masuk?pesan=aktif")
        }
    }

    @Test("the shipped common-password list holds more than 3,000 entries")
    func commonPasswordList() async throws {
        try await withJagaApp(seeded: false) { app in
            #expect(app.passwordRules.policy.commonPasswordCount > 3000)
            #expect(app.passwordRules.policy.problem(with: "trustno1", confirmation: "trustno1") == .common)
        }
    }

    @Test("a password reset link works once, within an hour, and never says whether the e-mail has an account")
    func passwordReset() async throws {
        try await withJagaApp { app in
            let clock = TestClock()
            app.clock = clock.appClock
            let account = try await makeAccount([.unitTeknis], instansi: try await instansi("LKPP", on: app), on: app)
            var browser = TestBrowser(app)
            let token = try await browser.csrfToken(from: "/lupa-sandi")
            let known = try await browser.post("/lupa-sandi", [("email", account.email)], csrf: token)
            let unknown = try await browser.post("/lupa-sandi", [("email", "siapa@test.example")], csrf: token)
            #expect(known.html == unknown.html.replacingOccurrences(of: "siapa@test.example", with: account.email))
            #expect(try await OutboxMessage.query(on: app.db).count() == 1)

            let body = try #require(try await OutboxMessage.query(on: app.db).first()).body
            let link = try #require(body.split(separator: "\n").first { $0.contains("/aktivasi/") })
            let path = "/aktivasi/" + link.split(separator: "/").last!
            clock.advance(by: 61 * 60)
            #expect(try await browser.get(path).status == .notFound)
        }
    }

    @Test("TOTP: enrolment needs a valid code, gives ten recovery codes, and each code works once")
    func twoFactor() async throws {
        try await withJagaApp { app in
            let clock = TestClock()
            app.clock = clock.appClock
            let lkpp = try await instansi("LKPP", on: app)
            var account = try await makeAccount([.focalPoint], instansi: lkpp, on: app)
            // An account that has not enrolled yet is held at enrolment after its password.
            let user = account.user
            user.totpSecret = nil
            try await user.save(on: app.db)
            account = TestAccount(user: user, password: account.password, totpSecret: nil)

            var browser = TestBrowser(app)
            let signIn = try await browser.signIn(account.email, account.password)
            #expect(signIn.location == SiteURL.twoFactor())
            #expect(try await browser.get("/beranda").location == SiteURL.twoFactor())

            let page = try await browser.get(SiteURL.twoFactor())
            #expect(page.html.contains("otpauth://totp/Jaga%20Stranas%20PK:"))
            let secret = try #require(firstCapture(#"name="secret" value="([A-Z2-7]{32})""#, in: page.html))
            let token = try await browser.csrfToken(from: SiteURL.twoFactor())
            let wrong = try await browser.post(
                SiteURL.twoFactor(), [("secret", secret), ("code", "000000")], csrf: token)
            #expect(wrong.status == .unprocessableEntity)
            let enrolled = try await browser.post(
                SiteURL.twoFactor(),
                [("secret", secret), ("code", totpCode(secret: secret, at: clock.now))], csrf: token)
            #expect(enrolled.status == .ok)
            #expect(enrolled.html.occurrences(of: "<li><code>") == 10)
            let codes = try await RecoveryCode.query(on: app.db).filter(\.$user.$id == account.id).all()
            #expect(codes.count == 10)
            #expect(try await browser.get("/beranda").status == .ok)

            // The same code cannot be used again to sign in; the next one can.
            var second = TestBrowser(app)
            _ = try await second.signIn(account.email, account.password)
            let replay = try await second.post(
                SiteURL.secondFactor(), [("code", totpCode(secret: secret, at: clock.now))],
                csrf: try await second.csrfToken(from: SiteURL.secondFactor()))
            #expect(replay.status == .unauthorized)
            clock.advance(by: 30)
            let next = try await second.post(
                SiteURL.secondFactor(), [("code", totpCode(secret: secret, at: clock.now))],
                csrf: try await second.csrfToken(from: SiteURL.secondFactor()))
            #expect(next.location == SiteURL.start())

            // A recovery code stands in for the phone, once.
            let recovery = try #require(firstCapture(#"<li><code>([a-z2-9]{5}-[a-z2-9]{5})</code>"#, in: enrolled.html))
            for expected in [SiteURL.start(), nil] {
                var third = TestBrowser(app)
                _ = try await third.signIn(account.email, account.password)
                let used = try await third.post(
                    SiteURL.secondFactor(), [("code", recovery)],
                    csrf: try await third.csrfToken(from: SiteURL.secondFactor()))
                #expect(used.location == expected)
            }
        }
    }

    @Test("demo accounts exist for every role in demo mode and may skip enrolment there")
    func demoAccounts() async throws {
        try await withJagaApp { app in
            app.demoAccounts = try await DemoAccounts.prepare(app)
            #expect(app.demoAccounts.count == Role.allCases.count)
            let setnas = try #require(app.demoAccounts.first { $0.email == DemoAccounts.email(for: .adminSetnas) })
            var browser = TestBrowser(app)
            let page = try await browser.get("/masuk")
            #expect(page.html.contains("Akun demo"))
            #expect(page.html.contains(setnas.password))
            #expect(try await browser.signIn(setnas.email, setnas.password).location == SiteURL.start())

            // Outside demo mode the same account must enrol.
            app.demoAccounts = []
            var strict = TestBrowser(app)
            #expect(
                try await strict.signIn(setnas.email, setnas.password).location == SiteURL.twoFactor())
            #expect(!(try await strict.get("/masuk")).html.contains("Akun demo"))
        }
    }
}

@Suite("Changing a password", .serialized)
struct PasswordChangeTests {
    @Test("a signed-in person changes their password with the current one; other sessions end, this one goes on")
    func changePassword() async throws {
        try await withJagaApp { app in
            let account = try await makeAccount([.unitTeknis], instansi: try await instansi("LKPP", on: app), on: app)
            var other = TestBrowser(app)
            _ = try await other.signIn(account.email, account.password)
            var browser = TestBrowser(app)
            _ = try await browser.signIn(account.email, account.password)
            let token = try await browser.csrfToken(from: SiteURL.passwordChange())

            let wrong = try await browser.post(
                SiteURL.passwordChange(),
                [("current", "bukan ini"), ("password", "padi menguning"), ("confirmation", "padi menguning")],
                csrf: token)
            #expect(wrong.status == .unprocessableEntity)
            #expect(wrong.html.contains("Kata sandi sekarang salah."))
            let common = try await browser.post(
                SiteURL.passwordChange(),
                [("current", account.password), ("password", "password1"), ("confirmation", "password1")], csrf: token)
            #expect(common.html.contains("paling sering dipakai"))

            let done = try await browser.post(
                SiteURL.passwordChange(),
                [("current", account.password), ("password", "padi menguning"), ("confirmation", "padi menguning")],
                csrf: token)
            #expect(done.status == .ok)
            #expect(done.html.contains("Kata sandi Anda telah diganti."))
            #expect(try await browser.get("/beranda").status == .ok)
            #expect(try await other.get("/beranda").status == .seeOther)
            var fresh = TestBrowser(app)
            #expect(try await fresh.signIn(account.email, account.password).status == .unauthorized)
            #expect(try await fresh.signIn(account.email, "padi menguning").location == SiteURL.start())
        }
    }
}
