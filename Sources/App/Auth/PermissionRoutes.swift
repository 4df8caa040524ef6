import StranasCore
import Vapor

/// Routes that need a permission. Registering a route through `routes.requiring(.permission)` both guards it and
/// records the permission on the route, so the access tests can check every route against the permission map.
struct PermissionRoutes: RoutesBuilder {
    static let userInfoKey = "jaga.permission"

    let base: any RoutesBuilder
    let permission: Permission

    func add(_ route: Route) {
        route.userInfo[Self.userInfoKey] = self.permission
        self.base.add(route)
    }
}

extension RoutesBuilder {
    func requiring(_ permission: Permission) -> PermissionRoutes {
        PermissionRoutes(base: self.grouped(PermissionMiddleware(permission: permission)), permission: permission)
    }
}

extension Route {
    /// The permission the route was registered with, or nil for a public route.
    var requiredPermission: Permission? { self.userInfo[PermissionRoutes.userInfoKey] as? Permission }

    static let uploadLimitKey = "jaga.uploadLimit"

    /// For routes that take files: how many bytes a request body may have.
    var uploadLimit: Int? { self.userInfo[Route.uploadLimitKey] as? Int }

    /// Marks a route as taking files of up to `bytes`, and lets its body be collected up to that size.
    @discardableResult
    func acceptingUploads(upTo bytes: Int) -> Route {
        self.userInfo[Route.uploadLimitKey] = bytes
        return self
    }

    static let admissionKey = "jaga.admission"

    /// For routes that take large anonymous bodies: asked before a byte of the body is read, so that a client over
    /// its limit costs the server a header, not a 60 MB upload. Nil for routes without one.
    var admission: (@Sendable (Request) -> Bool)? { self.userInfo[Route.admissionKey] as? @Sendable (Request) -> Bool }

    /// Declares the check `admission` runs.
    @discardableResult
    func admitting(_ check: @escaping @Sendable (Request) -> Bool) -> Route {
        self.userInfo[Route.admissionKey] = check
        return self
    }
}

/// Lets a request through only when it is fully signed in and holds the permission. Anonymous visitors are sent to
/// sign in (and brought back afterwards); a half-finished sign-in is sent to its next step; everyone else gets 403.
/// Private pages are never cached.
struct PermissionMiddleware: AsyncMiddleware {
    let permission: Permission

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        guard let user = request.sessionUser else {
            return request.redirect(to: SignInController.signInPath(returningTo: request), redirectType: .normal)
        }
        switch user.session.stage {
        case .needsSecondFactor: return request.redirect(to: SiteURL.secondFactor(), redirectType: .normal)
        case .needsEnrolment: return request.redirect(to: SiteURL.twoFactor(), redirectType: .normal)
        case .active: break
        }
        guard user.permissions.contains(self.permission) else {
            throw PageError(status: .forbidden, messageKey: "error.forbidden", arguments: [])
        }
        let response = try await next.respond(to: request)
        response.headers.cacheControl = .init(noStore: true)
        return response
    }
}
