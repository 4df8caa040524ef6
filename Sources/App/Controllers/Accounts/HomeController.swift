import Fluent
import StranasCore
import Vapor

/// `/beranda`: where each role lands after signing in: the work waiting for them (`HomeTasks`), then their account.
struct HomeController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.requiring(.useAccount).get(SiteURL.start, use: self.show)
    }

    struct HomePage: Encodable {
        let page: PageContext
        let csrfToken: String
        let name: String
        let email: String
        let position: String
        let organisation: String
        let roles: [String]
        let tasks: [HomeTasks.Task]
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
            tasks: try await HomeTasks(request: request, user: signedIn).tasks(),
            hasTwoFactor: signedIn.user.totpSecret != nil, twoFactorRequired: signedIn.roles.requiresTwoFactor)
        return try await request.view.render("home", page)
    }
}

extension Request {
    /// The signed-in person of a route guarded by `requiring(_:)`.
    func requireSignedIn() throws -> SignedInUser {
        guard let user = self.signedInUser else { throw Abort(.unauthorized) }
        return user
    }
}
