import Fluent
import StranasCore
import Vapor

/// `/beranda`: where each role lands after signing in. Says who they are, for which instansi, and what they can do.
struct HomeController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.requiring(.useAccount).get(SiteURL.start, use: self.show)
    }

    struct Task: Encodable {
        let title: String
        let description: String
        let link: String?
    }

    struct HomePage: Encodable {
        let page: PageContext
        let csrfToken: String
        let name: String
        let email: String
        let position: String
        let organisation: String
        let roles: [String]
        let tasks: [Task]
        let hasTwoFactor: Bool
        let twoFactorRequired: Bool
    }

    @Sendable func show(request: Request) async throws -> View {
        let signedIn = try request.requireSignedIn()
        let instansi = try await signedIn.user.$instansi.get(on: request.db)
        let organisation =
            instansi?.name
            ?? (signedIn.roles.contains(.timnas)
                ? request.t("home.organisation.timnas") : request.t("home.organisation.setnas"))
        let page = HomePage(
            page: PageContext(request: request, title: request.t("home.title"), cycle: nil),
            csrfToken: request.csrfToken, name: signedIn.user.name, email: signedIn.user.email,
            position: signedIn.user.position, organisation: organisation,
            roles: Role.allCases.filter(signedIn.roles.contains).map { request.t("role.\($0.rawValue)") },
            tasks: Self.tasks(for: signedIn.permissions, request: request),
            hasTwoFactor: signedIn.user.totpSecret != nil, twoFactorRequired: signedIn.roles.requiresTwoFactor)
        return try await request.view.render("home", page)
    }

    /// One line per permission, in the order of `Permission`, with a link where its pages exist already.
    static func tasks(for permissions: Set<Permission>, request: Request) -> [Task] {
        var tasks = Self.permissionTasks(for: permissions, request: request)
        // Signing the instansi's answers to the public is part of the Focal Point's permission to submit.
        if permissions.contains(.submitInstansiReport) {
            tasks.append(
                Task(
                    title: request.t("case.list_title"), description: request.t("case.list_lead_instansi"),
                    link: SiteURL.instansiCases()))
            tasks.append(
                Task(
                    title: request.t("input.desk_title"), description: request.t("input.desk_lead_instansi"),
                    link: SiteURL.instansiInputs()))
        }
        if permissions.contains(.handlePublicInput) {
            tasks.append(
                Task(
                    title: request.t("input.desk_title"), description: request.t("input.desk_lead_setnas"),
                    link: SiteURL.setnasInputs()))
        }
        return tasks
    }

    private static func permissionTasks(for permissions: Set<Permission>, request: Request) -> [Task] {
        Permission.allCases.filter { permissions.contains($0) && $0 != .useAccount }.compactMap { permission in
            let link: String? =
                switch permission {
                case .manageUsers, .changeRoles: SiteURL.users()
                case .readMailOutbox:
                    request.application.config.mode == .development ? SiteURL.mailOutbox() : nil
                case .readSecurityLog: SiteURL.securityLog()
                case .administerPlan: SiteURL.cycles()
                case .viewInstansiReport, .fillReportLines, .reviewInstansiReport, .submitInstansiReport:
                    SiteURL.instansiReport()
                case .verifyReportLines: SiteURL.verificationQueue()
                case .handlePublicInput: SiteURL.setnasCases()
                case .superviseBackgroundWork: SiteURL.backgroundWork()
                case .manageAPITokens: SiteURL.apiKeys()
                default: nil
                }
            if permission == .readMailOutbox && link == nil { return nil }
            return Task(
                title: request.t("permission.\(permission.rawValue).title"),
                description: request.t("permission.\(permission.rawValue).description"), link: link)
        }
    }
}

extension Request {
    /// The signed-in person of a route guarded by `requiring(_:)`.
    func requireSignedIn() throws -> SignedInUser {
        guard let user = self.signedInUser else { throw Abort(.unauthorized) }
        return user
    }
}
