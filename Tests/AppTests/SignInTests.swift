import Fluent
import NIOCore
import StranasCore
import Testing
import VaporTesting

@testable import App

@Suite("Signing in and sessions", .serialized)
struct SignInTests {
    @Test("signing in issues a new session id: a planted one is never adopted, and the second factor renews it again")
    func sessionIdRenewed() async throws {
        try await withJagaApp { app in
            let account = try await makeAccount([.focalPoint], instansi: try await instansi("LKPP", on: app), on: app)
            var browser = TestBrowser(app)
            // A session id chosen by someone else before sign-in.
            browser.cookies[SessionLoader.cookieName] = "ditanam-oleh-penyerang"
            let token = try await browser.csrfToken(from: "/masuk")
            let password = try await browser.post(
                "/masuk", [("email", account.email), ("password", account.password)], csrf: token)
            #expect(password.location == SiteURL.secondFactor())
            let afterPassword = try #require(browser.cookies[SessionLoader.cookieName])
            #expect(afterPassword != "ditanam-oleh-penyerang")

            let code = totpCode(secret: try #require(account.totpSecret), at: app.clock.now())
            let codeToken = try await browser.csrfToken(from: SiteURL.secondFactor())
            let done = try await browser.post(SiteURL.secondFactor(), [("code", code)], csrf: codeToken)
            #expect(done.location == SiteURL.start())
            let afterCode = try #require(browser.cookies[SessionLoader.cookieName])
            #expect(afterCode != afterPassword)
            #expect(try await browser.get("/beranda").status == .ok)

            for stale in ["ditanam-oleh-penyerang", afterPassword] {
                var other = TestBrowser(app)
                other.cookies[SessionLoader.cookieName] = stale
                let page = try await other.get("/beranda")
                #expect(page.status == .seeOther)
                #expect(page.location?.hasPrefix("/masuk") == true)
            }
            // Only a hash of the token is stored.
            let stored = try await UserSession.query(on: app.db).all().map(\.tokenHash)
            #expect(stored == [SecureToken.hash(afterCode)])
        }
    }

    @Test("the session cookie is HttpOnly and SameSite=Lax, and Secure when the portal is served over HTTPS")
    func cookieAttributes() async throws {
        try await withJagaApp { app in
            let account = try await makeAccount([.unitTeknis], instansi: try await instansi("LKPP", on: app), on: app)
            var plain = TestBrowser(app)
            let signedIn = try await plain.signIn(account.email, account.password)
            let cookie = try #require(signedIn.headers.setCookie?[SessionLoader.cookieName])
            #expect(cookie.isHTTPOnly)
            #expect(cookie.sameSite == .lax)
            #expect(!cookie.isSecure)

            app.config.publicURL = "https://jaga.example.go.id"
            var secure = TestBrowser(app)
            let overTLS = try await secure.signIn(account.email, account.password)
            #expect(overTLS.headers.setCookie?[SessionLoader.cookieName]?.isSecure == true)
        }
    }

    @Test("a state-changing request without the CSRF token is refused with a clear message")
    func csrfRequired() async throws {
        try await withJagaApp { app in
            let account = try await makeAccount(
                [.adminInstansi], instansi: try await instansi("LKPP", on: app), on: app)
            var browser = TestBrowser(app)
            _ = try await browser.signIn(account.email, account.password)

            let missing = try await browser.post("/keluar", [], csrf: "")
            #expect(missing.status == .forbidden)
            #expect(missing.html.contains("Formulir ini sudah kedaluwarsa atau tidak dikirim dari portal ini"))
            let forged = try await browser.post(
                "/pengguna/undang", [("name", "X"), ("email", "x@test.example"), ("roles[]", "unit_teknis")],
                csrf: "bukan-token-yang-benar")
            #expect(forged.status == .forbidden)
            #expect(try await User.query(on: app.db).filter(\.$email == "x@test.example").count() == 0)
            // Still signed in: the refused sign-out did nothing.
            #expect(try await browser.get("/beranda").status == .ok)

            var anonymous = TestBrowser(app)
            let signIn = try await anonymous.post("/masuk", [("email", account.email), ("password", account.password)])
            #expect(signIn.status == .forbidden)
        }
    }

    @Test("a wrong password and an unknown e-mail get the same answer, and both are logged without the password")
    func sameAnswer() async throws {
        try await withJagaApp { app in
            let account = try await makeAccount([.unitTeknis], instansi: try await instansi("LKPP", on: app), on: app)
            var browser = TestBrowser(app)
            let wrong = try await browser.signIn(account.email, "salah sekali 123")
            let unknown = try await browser.signIn("tidak.ada@test.example", "salah sekali 123")
            #expect(wrong.status == .unauthorized)
            #expect(unknown.status == .unauthorized)
            let message = "E-mail atau kata sandi salah, atau akun belum aktif."
            #expect(wrong.html.contains(message))
            #expect(unknown.html.contains(message))
            // What was typed in the e-mail field stays there.
            #expect(unknown.html.contains("value=\"tidak.ada@test.example\""))

            let events = try await SecurityEvent.query(on: app.db).filter(\.$kind == .signInFailed).all()
            #expect(events.count == 2)
            #expect(Set(events.compactMap(\.email)) == [account.email, "tidak.ada@test.example"])
            for event in events {
                let text = [event.email, event.detail, event.outcome, event.clientAddress].compactMap { $0 }.joined()
                #expect(!text.contains("salah sekali"))
            }
        }
    }

    @Test("ten failed sign-ins from one address lock the account there for 15 minutes, even with the right password")
    func throttling() async throws {
        try await withJagaApp { app in
            let clock = TestClock()
            app.clock = clock.appClock
            let account = try await makeAccount([.unitTeknis], instansi: try await instansi("LKPP", on: app), on: app)
            var browser = TestBrowser(app)
            for _ in 0..<10 {
                #expect(try await browser.signIn(account.email, "tebakan keliru").status == .unauthorized)
                clock.advance(by: 10)
            }
            let locked = try await browser.signIn(account.email, account.password)
            #expect(locked.status == .tooManyRequests)
            #expect(locked.html.contains("Terlalu banyak percobaan masuk yang gagal. Coba lagi dalam"))
            #expect(try await SecurityEvent.query(on: app.db).filter(\.$kind == .lockedOut).count() == 1)

            clock.advance(by: 15 * 60)
            let released = try await browser.signIn(account.email, account.password)
            #expect(released.location == SiteURL.start())
        }
    }

    @Test("a session ends after 30 idle minutes, and after 12 hours however active")
    func timeouts() async throws {
        try await withJagaApp { app in
            let clock = TestClock()
            app.clock = clock.appClock
            let account = try await makeAccount([.unitTeknis], instansi: try await instansi("LKPP", on: app), on: app)

            var idle = TestBrowser(app)
            _ = try await idle.signIn(account.email, account.password)
            clock.advance(by: 29 * 60)
            #expect(try await idle.get("/beranda").status == .ok)
            clock.advance(by: 31 * 60)
            let expired = try await idle.get("/beranda")
            #expect(expired.status == .seeOther)
            #expect(expired.location?.hasPrefix("/masuk") == true)
            #expect(idle.cookies[SessionLoader.cookieName] == nil)

            var busy = TestBrowser(app)
            _ = try await busy.signIn(account.email, account.password)
            for _ in 0..<(12 * 3) {
                #expect(try await busy.get("/beranda").status == .ok)
                clock.advance(by: 20 * 60)
            }
            clock.advance(by: 60)
            #expect(try await busy.get("/beranda").status == .seeOther)
            let ended = try await SecurityEvent.query(on: app.db).filter(\.$kind == .sessionExpired).all()
            #expect(Set(ended.map(\.outcome)) == ["idle", "absolute"])
        }
    }

    @Test("signing out ends the session on the server")
    func signOut() async throws {
        try await withJagaApp { app in
            let account = try await makeAccount([.unitTeknis], instansi: try await instansi("LKPP", on: app), on: app)
            var browser = TestBrowser(app)
            _ = try await browser.signIn(account.email, account.password)
            let token = try #require(browser.cookies[SessionLoader.cookieName])
            let out = try await browser.post("/keluar", [], csrf: try await browser.csrfToken(from: "/beranda"))
            #expect(out.location == "/masuk?pesan=keluar")
            #expect(try await UserSession.query(on: app.db).count() == 0)
            var replay = TestBrowser(app)
            replay.cookies[SessionLoader.cookieName] = token
            #expect(try await replay.get("/beranda").status == .seeOther)
        }
    }

    @Test("deactivating a user ends their live session at once")
    func deactivationEndsSessions() async throws {
        try await withJagaApp { app in
            let lkpp = try await instansi("LKPP", on: app)
            let admin = try await makeAccount([.adminInstansi], instansi: lkpp, on: app)
            let staff = try await makeAccount([.unitTeknis], instansi: lkpp, on: app)
            var staffBrowser = TestBrowser(app)
            _ = try await staffBrowser.signIn(staff.email, staff.password)
            #expect(try await staffBrowser.get("/beranda").status == .ok)

            var adminBrowser = TestBrowser(app)
            _ = try await adminBrowser.signIn(admin.email, admin.password)
            let done = try await adminBrowser.post(
                "/pengguna/\(staff.id)/nonaktifkan", [], csrf: try await adminBrowser.csrfToken(from: "/pengguna"))
            #expect(done.location == "/pengguna?nonaktif=\(staff.id)")

            let after = try await staffBrowser.get("/beranda")
            #expect(after.status == .seeOther)
            #expect(after.location?.hasPrefix("/masuk") == true)
            #expect(try await staffBrowser.signIn(staff.email, staff.password).status == .unauthorized)
            let logged = try #require(
                try await SecurityEvent.query(on: app.db).filter(\.$kind == .deactivation).first())
            #expect(logged.userID == staff.id)
            #expect(logged.actorID == admin.id)
        }
    }

    @Test("each role lands on a home page that names them, their instansi and what they can do")
    func homePages() async throws {
        try await withJagaApp { app in
            let lkpp = try await instansi("LKPP", on: app)
            let focal = try await makeAccount([.focalPoint], instansi: lkpp, on: app)
            var browser = TestBrowser(app)
            _ = try await browser.signIn(focal.email, focal.password, totpSecret: focal.totpSecret)
            let home = try await browser.get("/beranda")
            #expect(home.html.contains("Selamat datang, \(focal.user.name)"))
            #expect(home.html.contains("Lembaga Kebijakan Pengadaan Barang/Jasa Pemerintah"))
            #expect(home.html.contains("Ajukan ke Setnas"))
            #expect(!home.html.contains("Kelola pengguna"))
            #expect(home.headers.cacheControl?.noStore == true)

            let setnas = try await makeAccount([.adminSetnas], on: app)
            var setnasBrowser = TestBrowser(app)
            _ = try await setnasBrowser.signIn(setnas.email, setnas.password, totpSecret: setnas.totpSecret)
            let setnasHome = try await setnasBrowser.get("/beranda")
            #expect(setnasHome.html.contains("Sekretariat Nasional Pencegahan Korupsi"))
            #expect(setnasHome.html.contains("href=\"/pengguna\""))
            #expect(setnasHome.html.contains("href=\"/setnas/log-keamanan\""))
        }
    }
}

@Suite("Client addresses behind proxies")
struct ClientAddressTests {
    func address(peer: String, forwardedFor: String?, trusted: Set<String>, app: Application) throws -> String {
        app.config.trustedProxies = trusted
        var headers = HTTPHeaders()
        if let forwardedFor { headers.add(name: .xForwardedFor, value: forwardedFor) }
        let request = Request(
            application: app, method: .GET, url: "/", headers: headers,
            remoteAddress: try SocketAddress(ipAddress: peer, port: 443), on: app.eventLoopGroup.any())
        return request.clientAddress
    }

    @Test("X-Forwarded-For counts only when the request comes from a trusted proxy, and cannot be forged through it")
    func forwardedFor() async throws {
        try await withJagaApp(seeded: false) { app in
            // No trusted proxy: the header is the client's own claim and is ignored.
            let direct = try self.address(peer: "203.0.113.9", forwardedFor: "1.2.3.4", trusted: [], app: app)
            #expect(direct == "203.0.113.9")
            // Through the load balancer: the address it saw.
            let proxied = try self.address(
                peer: "10.0.0.5", forwardedFor: "198.51.100.7", trusted: ["10.0.0.5"], app: app)
            #expect(proxied == "198.51.100.7")
            // A client that sends its own X-Forwarded-For gets its real address appended by the proxy; that one counts.
            let forged = try self.address(
                peer: "10.0.0.5", forwardedFor: "1.1.1.1, 198.51.100.7", trusted: ["10.0.0.5"], app: app)
            #expect(forged == "198.51.100.7")
            // Two proxies in a row.
            let chained = try self.address(
                peer: "10.0.0.5", forwardedFor: "198.51.100.7, 10.0.0.6", trusted: ["10.0.0.5", "10.0.0.6"], app: app)
            #expect(chained == "198.51.100.7")
        }
    }
}
