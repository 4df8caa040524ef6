import Fluent
import Foundation
import StranasCore
import Testing
import VaporTesting

@testable import App

@Suite("Signing in tells nothing about accounts and second factors cannot be guessed", .serialized)
struct SignInHardeningTests {
    @Test("an unknown e-mail runs bcrypt once, exactly as a real account with a wrong password does")
    func unknownAddressSpendsTheSameWork() async throws {
        try await withJagaApp(seeded: false) { app in
            // setup
            let account = try await makeAccount([.adminSetnas], on: app)
            var browser = TestBrowser(app)
            let before = app.passwordRules.checks.withLockedValue { $0 }
            // MUT
            #expect(try await browser.signIn("tidak-ada@contoh.go.id", "tebakan keliru").status == .unauthorized)
            let afterUnknown = app.passwordRules.checks.withLockedValue { $0 }
            #expect(try await browser.signIn(account.email, "tebakan keliru").status == .unauthorized)
            let afterKnown = app.passwordRules.checks.withLockedValue { $0 }
            // validate
            #expect(afterUnknown - before == 1)
            #expect(afterKnown - afterUnknown == 1)
        }
    }

    @Test("five wrong codes stop second-factor guessing; a correct password does not reset the count")
    func secondFactorFailuresHaveTheirOwnCount() async throws {
        try await withJagaApp(seeded: false) { app in
            let clock = TestClock()
            app.clock = clock.appClock
            let account = try await makeAccount([.adminSetnas], on: app)
            let secret = try #require(account.totpSecret)
            var browser = TestBrowser(app)
            // Four wrong codes, then the password again (which used to clear every failure), then one more wrong code.
            for round in 0..<5 {
                if round == 0 || round == 4 {
                    #expect(try await browser.signIn(account.email, account.password).location == "/masuk/kode")
                }
                let token = try await browser.csrfToken(from: "/masuk/kode")
                let wrong = try await browser.post("/masuk/kode", [("code", "000000")], csrf: token)
                #expect(wrong.status == .unauthorized)
                clock.advance(by: 5)
            }
            // The right code is now refused too, until the window has passed.
            #expect(try await browser.signIn(account.email, account.password).location == "/masuk/kode")
            let token = try await browser.csrfToken(from: "/masuk/kode")
            let blocked = try await browser.post(
                "/masuk/kode", [("code", totpCode(secret: secret, at: clock.now))], csrf: token)
            #expect(blocked.location == "/masuk")
            #expect(try await browser.get("/beranda").location?.hasPrefix("/masuk") == true)

            clock.advance(by: 15 * 60)
            let page = try await browser.signIn(account.email, account.password, totpSecret: secret)
            #expect(page.location == SiteURL.start())
            #expect(
                try await SignInFailure.query(on: app.db).filter(\.$key == SignInAttempts.secondFactorKey(account.id))
                    .count() == 0)
        }
    }

    @Test("replacing a second factor needs the current code or the password, and signs out every other session")
    func replacingTheSecondFactor() async throws {
        try await withJagaApp(seeded: false) { app in
            let clock = TestClock()
            app.clock = clock.appClock
            let account = try await makeAccount([.adminSetnas], on: app)
            var other = TestBrowser(app)
            _ = try await other.signIn(account.email, account.password, totpSecret: account.totpSecret)
            clock.advance(by: 31)
            var browser = TestBrowser(app)
            _ = try await browser.signIn(account.email, account.password, totpSecret: account.totpSecret)
            clock.advance(by: 31)
            let newSecret = TwoFactor.newSecret()

            // Without proof: refused, the old secret stays.
            var token = try await browser.csrfToken(from: SiteURL.twoFactor())
            let refused = try await browser.post(
                SiteURL.twoFactor(),
                [("secret", newSecret), ("code", totpCode(secret: newSecret, at: clock.now)), ("sekarang", "salah")],
                csrf: token)
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.html.contains("Kode lama atau kata sandi tidak cocok"))
            #expect(try await User.find(account.id, on: app.db)?.totpSecret == account.totpSecret)

            // With the password: replaced, and the other browser is signed out.
            token = try await browser.csrfToken(from: SiteURL.twoFactor())
            let replaced = try await browser.post(
                SiteURL.twoFactor(),
                [
                    ("secret", newSecret), ("code", totpCode(secret: newSecret, at: clock.now)),
                    ("sekarang", account.password),
                ], csrf: token)
            #expect(replaced.status == .ok)
            #expect(try await User.find(account.id, on: app.db)?.totpSecret == newSecret)
            #expect(try await browser.get("/beranda").status == .ok)
            #expect(try await other.get("/beranda").location?.hasPrefix("/masuk") == true)
        }
    }

    @Test(
        "the return path after signing in never leaves the site, whatever control characters it hides",
        arguments: [
            "/\t/evil.example", "/\n/evil.example", "//evil.example", "/\\evil.example", "https://evil.example",
        ])
    func signInReturnPath(_ target: String) async throws {
        try await withJagaApp(seeded: false) { app in
            let account = try await makeAccount([.unitTeknis], on: app)
            var browser = TestBrowser(app)
            let token = try await browser.csrfToken(from: "/masuk")
            let page = try await browser.post(
                "/masuk", [("email", account.email), ("password", account.password), ("lanjut", target)], csrf: token)
            #expect(page.location == SiteURL.start())
        }
    }
}

@Suite("Nobody can lock an official out by knowing their address", .serialized)
struct SignInLockoutTests {
    @Test("ten wrong passwords from an attacker's address do not shut the owner out elsewhere; a few seconds' wait")
    func attackerElsewhere() async throws {
        try await withJagaApp(seeded: false, adjusting: { $0.trustedProxies = ["unknown"] }) { app in
            let clock = TestClock()
            app.clock = clock.appClock
            let account = try await makeAccount([.unitTeknis], on: app)
            var attacker = TestBrowser(app)
            let attackerAddress: HTTPHeaders = ["X-Forwarded-For": "203.0.113.66"]
            for _ in 0..<10 {
                let token = try await attacker.csrfToken(from: "/masuk")
                _ = try await attacker.post(
                    "/masuk", [("email", account.email), ("password", "tebakan keliru")], csrf: token,
                    headers: attackerAddress)
            }
            // The attacker's own address is locked for this account, even with the right password.
            let token = try await attacker.csrfToken(from: "/masuk")
            let locked = try await attacker.post(
                "/masuk", [("email", account.email), ("password", account.password)], csrf: token,
                headers: attackerAddress)
            #expect(locked.status == .tooManyRequests)
            // The owner, at another address, waits a second or two, then signs in.
            clock.advance(by: 2)
            var owner = TestBrowser(app)
            let ownerToken = try await owner.csrfToken(from: "/masuk")
            let signedIn = try await owner.post(
                "/masuk", [("email", account.email), ("password", account.password)], csrf: ownerToken,
                headers: ["X-Forwarded-For": "198.51.100.7"])
            #expect(signedIn.location == SiteURL.start())
        }
    }

    @Test("/lupa-sandi sends at most three reset mails an hour to one account, and answers the same every time")
    func resetMailsAreLimited() async throws {
        try await withJagaApp(seeded: false) { app in
            let account = try await makeAccount([.unitTeknis], on: app)
            var browser = TestBrowser(app)
            var answers: Set<String> = []
            for _ in 0..<6 {
                let token = try await browser.csrfToken(from: "/lupa-sandi")
                let page = try await browser.post("/lupa-sandi", [("email", account.email)], csrf: token)
                answers.insert(firstCapture(#"<main[^>]*>([\s\S]*)</main>"#, in: page.html) ?? page.html)
            }
            #expect(answers.count == 1)
            #expect(try await OutboxMessage.query(on: app.db).count() == ActivationController.resetsPerAccount)
        }
    }
}
