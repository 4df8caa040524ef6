import Fluent
import StranasCore
import Testing
import VaporTesting

@testable import App

@Suite("Access control matrix", .serialized)
struct AccessMatrixTests {
    /// Routes anyone may open. Every other route must declare a permission; this list keeps that honest.
    static let publicRoutes: Set<String> = [
        "GET /healthz", "GET /readyz", "GET /", "GET /aksi/:nomor", "GET /aksi/:nomor/skor.csv",
        "GET /aksi/:nomor/indikator/:kode", "GET /instansi",
        "GET /instansi/:id",
        "GET /instansi/:id/rapor.csv",
        "GET /bahasa/:kode", "GET /masuk", "POST /masuk", "GET /masuk/kode", "POST /masuk/kode", "POST /keluar",
        "GET /aktivasi/:token", "POST /aktivasi/:token", "GET /lupa-sandi", "POST /lupa-sandi",
        "GET /akun/dua-langkah", "POST /akun/dua-langkah", "GET /jejak", "GET /panduan", "GET /bantuan", "GET /cari",
        "GET /cara-menghitung",
        "GET /bukti/:sha256", "GET /dasbor", "GET /dasbor/data.csv",
        "GET /laporan-capaian", "GET /laporan-capaian/:kode/:triwulan", "GET /laporan-capaian/:kode/:triwulan/json",
        "GET /laporan-capaian/:kode/:triwulan/cetak", "GET /laporan-capaian/:kode/:triwulan/pdf",
        "GET /lapor", "POST /lapor", "GET /lacak", "POST /lacak", "POST /lacak/:tindakan", "GET /masukan",
        "POST /masukan",
        // The open data API and its description.
        "GET /api", "GET /api/v1/openapi.yaml", "GET /api/v1/cycles", "GET /api/v1/cycles/:cycle/plan",
        "GET /api/v1/instansi", "GET /api/v1/cycles/:cycle/targets", "GET /api/v1/cycles/:cycle/results",
        "GET /api/v1/cycles/:cycle/scores", "GET /api/v1/cycles/:cycle/revisions",
        "GET /api/v1/cycles/:cycle/discipline",
        "GET /api/v1/cycles/:cycle/snapshots", "GET /api/v1/inputs", "GET /api/v1/audit/head",
        // The reporting API: no session, but a key that APITokenAuthenticator checks (ReportingAPITests).
        "GET /api/v1/laporan", "POST /api/v1/laporan/:target", "POST /api/v1/bukti",
        // Operations: the metrics, behind JAGA_METRICS_TOKEN (MetricsTests).
        "GET /metrics",
    ]

    static func key(_ route: Route) -> String {
        "\(route.method.rawValue) /" + route.path.map(\.description).joined(separator: "/")
    }

    @Test("every route is either on the public list or declares the permission it needs")
    func everyRouteDeclaresAPermission() async throws {
        try await withJagaApp(seeded: false) { app in
            let undeclared = app.routes.all.filter { $0.requiredPermission == nil }.map(Self.key)
            #expect(Set(undeclared) == Self.publicRoutes)
            #expect(app.routes.all.contains { $0.requiredPermission != nil })
        }
    }

    @Test("every protected route × every role and anonymous: allowed, forbidden or sent to sign in, as the map says")
    func matrix() async throws {
        try await withJagaApp { app in
            let lkpp = try await instansi("LKPP", on: app)
            // A Unit Teknis of LKPP: the object of the routes that take a user id, within every manager's scope.
            let target = try await makeAccount([.unitTeknis], instansi: lkpp, on: app)
            // One signed-in browser per role. (A TOTP code works once, so each signs in once.)
            var browsers: [Role: TestBrowser] = [:]
            for role in Role.allCases {
                let account = try await makeAccount([role], instansi: role.belongsToInstansi ? lkpp : nil, on: app)
                var browser = TestBrowser(app)
                let signIn = try await browser.signIn(account.email, account.password, totpSecret: account.totpSecret)
                #expect(signIn.location == SiteURL.start(), "\(role) signs in")
                browsers[role] = browser
            }
            let protected = app.routes.all.filter { $0.requiredPermission != nil }
            #expect(protected.count >= 6)

            for route in protected {
                let permission = try #require(route.requiredPermission)
                let path =
                    "/"
                    + route.path.map { component in
                        if case .parameter = component { return String(target.id) }
                        return component.description
                    }.joined(separator: "/")

                // Anonymous: sent to sign in, never served.
                var anonymous = TestBrowser(app)
                let anonymousPage =
                    route.method == .GET
                    ? try await anonymous.get(path)
                    : try await anonymous.post(path, [], csrf: try await anonymous.csrfToken(from: "/masuk"))
                #expect(anonymousPage.status == .seeOther, "\(Self.key(route)) anonymous")
                #expect(anonymousPage.location?.hasPrefix("/masuk") == true, "\(Self.key(route)) anonymous")

                for role in Role.allCases {
                    var browser = try #require(browsers[role])
                    defer { browsers[role] = browser }
                    let page =
                        route.method == .GET
                        ? try await browser.get(path)
                        : try await browser.post(path, [], csrf: try await browser.csrfToken(from: "/beranda"))
                    let allowed = AccessPolicy.permissions(of: role).contains(permission)
                    if allowed {
                        #expect(page.status != .forbidden, "\(Self.key(route)) as \(role) should be allowed")
                        #expect(page.location?.hasPrefix("/masuk") != true, "\(Self.key(route)) as \(role)")
                        #expect(page.status.code < 500, "\(Self.key(route)) as \(role)")
                    } else {
                        #expect(page.status == .forbidden, "\(Self.key(route)) as \(role) should be forbidden")
                        #expect(page.html.contains("Peran Anda tidak memberi akses ke halaman ini."))
                    }
                }
            }
        }
    }

    @Test("an Admin Instansi cannot see or deactivate another instansi's users: 404, and the user stays active")
    func otherInstansiIsOutOfScope() async throws {
        try await withJagaApp { app in
            let lkpp = try await instansi("LKPP", on: app)
            let bpkp = try await instansi("BPKP", on: app)
            let admin = try await makeAccount([.adminInstansi], instansi: lkpp, on: app)
            let stranger = try await makeAccount([.unitTeknis], instansi: bpkp, on: app)
            let colleague = try await makeAccount([.focalPoint], instansi: lkpp, on: app)

            var browser = TestBrowser(app)
            _ = try await browser.signIn(admin.email, admin.password)
            let list = try await browser.get("/pengguna")
            #expect(list.status == .ok)
            #expect(!list.html.contains(stranger.email))
            #expect(list.html.contains(colleague.email))

            let token = try await browser.csrfToken(from: "/beranda")
            for target in [stranger, colleague] {
                let refused = try await browser.post("/pengguna/\(target.id)/nonaktifkan", [], csrf: token)
                #expect(refused.status == .notFound)
                #expect(refused.html.contains("Akun ini tidak ditemukan."))
                let stored = try #require(try await User.find(target.id, on: app.db))
                #expect(stored.status == .active)
            }
        }
    }

    @Test("an Admin Instansi cannot invite roles it may not give, nor into another instansi")
    func inviteStaysInScope() async throws {
        try await withJagaApp { app in
            let lkpp = try await instansi("LKPP", on: app)
            let bpkp = try await instansi("BPKP", on: app)
            let admin = try await makeAccount([.adminInstansi], instansi: lkpp, on: app)
            var browser = TestBrowser(app)
            _ = try await browser.signIn(admin.email, admin.password)
            let token = try await browser.csrfToken(from: "/pengguna/undang")

            let promoted = try await browser.post(
                "/pengguna/undang",
                [("name", "Orang Baru"), ("email", "baru@test.example"), ("roles[]", "admin_setnas")], csrf: token)
            #expect(promoted.status == .unprocessableEntity)
            #expect(promoted.html.contains("Anda tidak dapat memberikan peran itu."))
            // The form keeps what was typed.
            #expect(promoted.html.contains("value=\"baru@test.example\""))

            let elsewhere = try await browser.post(
                "/pengguna/undang",
                [
                    ("name", "Orang Baru"), ("email", "baru@test.example"), ("roles[]", "unit_teknis"),
                    ("instansi", String(bpkp.id!)),
                ], csrf: token)
            #expect(elsewhere.status == .created)
            let invited = try #require(
                try await User.query(on: app.db).filter(\.$email == "baru@test.example").first())
            #expect(invited.$instansi.id == lkpp.id)
            #expect(invited.status == .invited)
        }
    }
}

@Suite("Role changes", .serialized)
struct RoleChangeTests {
    @Test("Admin Setnas changes an account's roles: logged with before and after, and the account's sessions end")
    func changeRoles() async throws {
        try await withJagaApp { app in
            let lkpp = try await instansi("LKPP", on: app)
            let setnas = try await makeAccount([.adminSetnas], on: app)
            let staff = try await makeAccount([.unitTeknis], instansi: lkpp, on: app)
            var staffBrowser = TestBrowser(app)
            _ = try await staffBrowser.signIn(staff.email, staff.password)

            var browser = TestBrowser(app)
            _ = try await browser.signIn(setnas.email, setnas.password, totpSecret: setnas.totpSecret)
            let token = try await browser.csrfToken(from: "/pengguna")
            // Mixing instansi and Setnas roles is refused and changes nothing.
            let mixed = try await browser.post(
                "/pengguna/\(staff.id)/peran", [("roles[]", "unit_teknis"), ("roles[]", "admin_setnas")], csrf: token)
            #expect(mixed.location == "/pengguna?galat=peran")
            #expect(try await staffBrowser.get("/beranda").status == .ok)

            let changed = try await browser.post(
                "/pengguna/\(staff.id)/peran", [("roles[]", "unit_teknis"), ("roles[]", "admin_instansi")], csrf: token)
            #expect(changed.location == "/pengguna?peran=\(staff.id)")
            let roles = try await UserRole.query(on: app.db).filter(\.$user.$id == staff.id).all().map(\.role)
            #expect(Set(roles) == [.unitTeknis, .adminInstansi])
            let event = try #require(try await SecurityEvent.query(on: app.db).filter(\.$kind == .roleChange).first())
            #expect(event.detail == "from=unit_teknis to=admin_instansi,unit_teknis")
            #expect(event.actorID == setnas.id)
            #expect(try await staffBrowser.get("/beranda").status == .seeOther)
        }
    }
}
