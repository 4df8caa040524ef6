import Fluent
import StranasCore
import Vapor

/// `/pengguna`: the accounts an administrator looks after. Admin Setnas sees and manages every account and creates
/// an instansi's Admin Instansi and Focal Point and all Setnas and Timnas accounts; an Admin Instansi sees its own
/// instansi's accounts and invites and deactivates its own Unit Teknis.
struct UserAdminController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let users = routes.requiring(.manageUsers)
        users.get(SiteURL.users, use: self.list)
        users.get(SiteURL.userInvite, use: self.showInvite)
        users.post(SiteURL.userInvite, use: self.invite)
        users.post(SiteURL.userDeactivate, use: self.deactivate)
        routes.requiring(.changeRoles).post(SiteURL.userRoles, use: self.changeRoles)
    }

    // MARK: - List

    struct UserRow: Encodable {
        let id: Int
        let name: String
        let email: String
        let position: String
        let roles: String
        let instansi: String
        let status: String
        let canDeactivate: Bool
        let roleChoices: [SelectOption]
        let canChangeRoles: Bool
    }

    struct ListPage: Encodable {
        let page: PageContext
        let csrfToken: String
        let rows: [UserRow]
        let notice: String?
        let scope: String
    }

    /// The accounts an actor may see: all of them for Admin Setnas, their own instansi's for an Admin Instansi.
    static func visibleUsers(for actor: SignedInUser, on database: any Database) async throws -> [User] {
        let query = User.query(on: database).with(\.$roleRows).with(\.$instansi).sort(\.$name)
        if !actor.roles.contains(.adminSetnas) {
            guard let instansiID = actor.instansiID else { return [] }
            query.filter(\.$instansi.$id == instansiID)
        }
        return try await query.all()
    }

    static func canDeactivate(_ target: User, by actor: SignedInUser) -> Bool {
        target.status != .deactivated
            && AccessPolicy.canManage(
                actorRoles: actor.roles, actorInstansi: actor.instansiID, actorID: actor.id, targetRoles: target.roles,
                targetInstansi: target.$instansi.id, targetID: target.id ?? 0)
    }

    @Sendable func list(request: Request) async throws -> View {
        let actor = try request.requireSignedIn()
        let users = try await Self.visibleUsers(for: actor, on: request.db)
        let rows = users.map { user in
            UserRow(
                id: user.id!, name: user.name, email: user.email, position: user.position,
                roles: Role.allCases.filter(user.roles.contains).map { request.t("role.\($0.rawValue)") }
                    .joined(separator: ", "),
                instansi: user.instansi?.name ?? "–", status: request.t("user.status.\(user.status.rawValue)"),
                canDeactivate: Self.canDeactivate(user, by: actor),
                roleChoices: Self.roleChoices(for: user, by: actor, request: request),
                canChangeRoles: Self.canChangeRoles(of: user, by: actor) && user.status != .deactivated)
        }
        let notice: String? =
            (try? request.query.get(String.self, at: "nonaktif")).flatMap { raw in
                users.first { String($0.id ?? 0) == raw }.map { request.t("users.notice.deactivated", $0.name) }
            }
            ?? (try? request.query.get(String.self, at: "peran")).flatMap { raw in
                users.first { String($0.id ?? 0) == raw }.map { request.t("users.notice.roles_changed", $0.name) }
            }
            ?? ((try? request.query.get(String.self, at: "galat")) == "peran" ? request.t("users.error.roles") : nil)
        let scope =
            actor.roles.contains(.adminSetnas)
            ? request.t("users.scope.all")
            : request.t("users.scope.instansi", users.first?.instansi?.name ?? "")
        return try await request.view.render(
            "users",
            ListPage(
                page: PageContext(request: request, title: request.t("users.title"), cycle: nil),
                csrfToken: request.csrfToken, rows: rows, notice: notice, scope: scope))
    }

    // MARK: - Invite

    struct InviteForm: Content {
        var name: String?
        var email: String?
        var position: String?
        var roles: [String]?
        var instansi: String?
    }

    struct InvitePage: Encodable {
        let page: PageContext
        let csrfToken: String
        let name: String
        let email: String
        let position: String
        let roleChoices: [SelectOption]
        let instansiChoices: [SelectOption]
        let choosesInstansi: Bool
        let fixedInstansi: String?
        let error: String?
        let sentTo: String?
        let developmentLink: String?
    }

    @Sendable func showInvite(request: Request) async throws -> Response {
        let actor = try request.requireSignedIn()
        return try await self.renderInvite(request, actor: actor, form: InviteForm(), error: nil, status: .ok)
    }

    private func renderInvite(
        _ request: Request, actor: SignedInUser, form: InviteForm, error: String?, sentTo: String? = nil,
        link: String? = nil, status: HTTPStatus
    ) async throws -> Response {
        let assignable = AccessPolicy.assignableRoles(by: actor.roles)
        let chosenRoles = Set(form.roles ?? [])
        let choosesInstansi = actor.roles.contains(.adminSetnas)
        var instansiChoices: [SelectOption] = []
        var fixedInstansi: String?
        if choosesInstansi {
            instansiChoices = try await Instansi.query(on: request.db).sort(\.$name).all().map {
                SelectOption(value: String($0.id!), label: $0.name, selected: form.instansi == String($0.id!))
            }
        } else {
            fixedInstansi = try await actor.user.$instansi.get(on: request.db)?.name
        }
        let page = InvitePage(
            page: PageContext(request: request, title: request.t("invite.title"), cycle: nil),
            csrfToken: request.csrfToken, name: form.name ?? "", email: form.email ?? "", position: form.position ?? "",
            roleChoices: Role.allCases.filter(assignable.contains).map {
                SelectOption(
                    value: $0.rawValue, label: request.t("role.\($0.rawValue)"),
                    selected: chosenRoles.contains($0.rawValue))
            },
            instansiChoices: instansiChoices, choosesInstansi: choosesInstansi, fixedInstansi: fixedInstansi,
            error: error, sentTo: sentTo, developmentLink: link)
        return try await request.view.render("invite", page).encodeResponse(status: status, for: request)
    }

    @Sendable func invite(request: Request) async throws -> Response {
        let actor = try request.requireSignedIn()
        let form = (try? request.content.decode(InviteForm.self)) ?? InviteForm()
        func refuse(_ key: String) async throws -> Response {
            try await self.renderInvite(
                request, actor: actor, form: form, error: request.t(key), status: .unprocessableEntity)
        }

        let assignable = AccessPolicy.assignableRoles(by: actor.roles)
        let roles = Set((form.roles ?? []).compactMap(Role.init(rawValue:)))
        guard !roles.isEmpty, roles.count == (form.roles ?? []).count else {
            return try await refuse("invite.error.roles")
        }
        guard roles.isSubset(of: assignable) else { return try await refuse("invite.error.roles_not_allowed") }

        // An Admin Instansi always invites into its own instansi, whatever the form says.
        var instansiID: Int?
        if actor.roles.contains(.adminSetnas) {
            if let raw = form.instansi, !raw.isEmpty {
                guard let id = Int(raw), try await Instansi.find(id, on: request.db) != nil else {
                    return try await refuse("invite.error.instansi_unknown")
                }
                instansiID = id
            }
        } else {
            instansiID = actor.instansiID
        }

        let account = AccountInvitations.NewAccount(
            name: String((form.name ?? "").prefix(200)), email: form.email ?? "",
            position: String((form.position ?? "").prefix(200)), roles: roles, instansiID: instansiID)
        do {
            let link = try await AccountInvitations.invite(
                account,
                origin: .init(actorID: actor.id, clientAddress: request.clientAddress, language: request.language),
                on: request.db, app: request.application)
            let shownLink = request.application.config.mode == .development ? link : nil
            return try await self.renderInvite(
                request, actor: actor, form: InviteForm(), error: nil, sentTo: User.normalize(email: account.email),
                link: shownLink, status: .created)
        } catch let problem as AccountInvitations.Problem {
            let key: String =
                switch problem {
                case .emailTaken: "invite.error.email_taken"
                case .invalidEmail: "invite.error.email"
                case .missingName: "invite.error.name"
                case .invalidRoles: "invite.error.roles_mixed"
                case .instansiRequired: "invite.error.instansi_required"
                case .instansiNotAllowed: "invite.error.instansi_not_allowed"
                }
            return try await refuse(key)
        }
    }

    /// The account named by the route's `id`, if the actor may manage it. An account outside the actor's scope is
    /// "not found", so that ids do not reveal who exists elsewhere.
    static func managedAccount(_ request: Request, by actor: SignedInUser) async throws -> User {
        guard let id = request.parameters.get("id", as: Int.self),
            let target = try await User.query(on: request.db).filter(\.$id == id).with(\.$roleRows).first(),
            AccessPolicy.canManage(
                actorRoles: actor.roles, actorInstansi: actor.instansiID, actorID: actor.id, targetRoles: target.roles,
                targetInstansi: target.$instansi.id, targetID: id)
        else { throw PageError(status: .notFound, messageKey: "error.user_not_found", arguments: []) }
        return target
    }

    // MARK: - Roles

    /// Admin Setnas changes the roles of accounts other than its own; an instansi's accounts keep instansi roles and
    /// Setnas/Timnas accounts keep Setnas/Timnas roles, since an account belongs to one or the other.
    static func canChangeRoles(of target: User, by actor: SignedInUser) -> Bool {
        actor.permissions.contains(.changeRoles) && target.id != actor.id
    }

    static func roleChoices(for target: User, by actor: SignedInUser, request: Request) -> [SelectOption] {
        guard self.canChangeRoles(of: target, by: actor) else { return [] }
        let belongsToInstansi = target.$instansi.id != nil
        return Role.allCases.filter { $0.belongsToInstansi == belongsToInstansi }.map {
            SelectOption(
                value: $0.rawValue, label: request.t("role.\($0.rawValue)"), selected: target.roles.contains($0))
        }
    }

    struct RolesForm: Content {
        var roles: [String]?
    }

    @Sendable func changeRoles(request: Request) async throws -> Response {
        let actor = try request.requireSignedIn()
        let target = try await Self.managedAccount(request, by: actor)
        let id = try target.requireID()
        guard Self.canChangeRoles(of: target, by: actor) else {
            throw PageError(status: .forbidden, messageKey: "error.forbidden", arguments: [])
        }

        let names = (try? request.content.decode(RolesForm.self))?.roles ?? []
        let roles = Set(names.compactMap(Role.init(rawValue:)))
        guard roles.count == names.count, roles.isValidCombination,
            roles.first!.belongsToInstansi == (target.$instansi.id != nil)
        else { return request.redirect(to: SiteURL.users() + "?galat=peran") }

        try await request.accountDesk.change(roles: roles, of: target)
        return request.redirect(to: SiteURL.users() + "?peran=\(id)")
    }

    // MARK: - Deactivate

    @Sendable func deactivate(request: Request) async throws -> Response {
        let actor = try request.requireSignedIn()
        let target = try await Self.managedAccount(request, by: actor)
        let id = try target.requireID()

        try await request.accountDesk.deactivate(target)
        return request.redirect(to: SiteURL.users() + "?nonaktif=\(id)")
    }
}
