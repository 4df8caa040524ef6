import Fluent
import Foundation
import StranasCore

/// The only writer of accounts once they exist: a password set from an activation link or changed, a second factor
/// enrolled, roles changed, an account deactivated, an Admin Instansi's API keys made and revoked, the language a
/// person reads in. Each change and its security-log event are written together; a change that takes privileges away
/// also ends the sessions and keys they gave. Invitations and signing in are `AccountInvitations` and `SignInFlow`'s.
struct AccountDesk {
    let database: any Database
    let clock: AppClock
    /// Who acts (nil for a person acting on their own account through a link), and from where, for the security log.
    let actorID: Int?
    let clientAddress: String?

    private var commit: DeskCommit { DeskCommit(database: self.database, clock: self.clock) }

    /// The security-log event of a change; one's own account's events name no separate actor.
    private func event(
        _ kind: SecurityEvent.Kind, userID: Int?, email: String? = nil, detail: String? = nil, ownAccount: Bool = false
    ) -> SecurityEvent {
        SecurityEvent(
            at: self.clock.now(), kind: kind, userID: userID, actorID: ownAccount ? nil : self.actorID, email: email,
            clientAddress: self.clientAddress, outcome: "success", detail: detail)
    }

    // MARK: - One's own account

    /// Sets the password chosen through an activation or reset `link`, which is then used up; an invited account
    /// becomes active. A new password ends every session the old one opened.
    func setPassword(from link: OneTimeToken, passwordHash: String) async throws {
        let user = link.user
        let userID = try user.requireID()
        let event = self.event(
            user.status == .invited ? .accountActivated : .passwordChanged, userID: userID, ownAccount: true)
        link.usedAt = self.clock.now()
        user.passwordHash = passwordHash
        user.status = .active
        try await self.commit.run([], by: .commandLine) { db in
            try await link.save(on: db)
            try await user.save(on: db)
            try await SessionStarter.endAll(userID: userID, on: db)
            try await event.create(on: db)
        }
    }

    /// A signed-in person's new password; every session ends, and the caller starts a new one for this browser.
    func changePassword(of user: User, to passwordHash: String) async throws {
        let userID = try user.requireID()
        let event = self.event(.passwordChanged, userID: userID, ownAccount: true)
        user.passwordHash = passwordHash
        try await self.commit.run([], by: .commandLine) { db in
            try await user.save(on: db)
            try await SessionStarter.endAll(userID: userID, on: db)
            try await event.create(on: db)
        }
    }

    /// Enrols (or replaces) the person's authenticator and returns their new recovery codes, shown once.
    func enrolSecondFactor(of user: User, secret: String, counter: Int64) async throws -> [String] {
        let userID = try user.requireID()
        let event = self.event(.twoFactorEnrolled, userID: userID, ownAccount: true)
        user.totpSecret = secret
        user.totpLastCounter = counter
        return try await self.commit.run([], by: .commandLine) { db in
            try await user.save(on: db)
            let codes = try await TwoFactor.issueRecoveryCodes(for: userID, on: db)
            try await event.create(on: db)
            return codes
        }
    }

    /// The language the person's notices and e-mails are written in.
    func setLanguage(of user: User, to language: Language) async throws {
        guard user.language != language.rawValue else { return }
        user.language = language.rawValue
        try await self.commit.run([], by: .commandLine) { db in try await user.save(on: db) }
    }

    // MARK: - Managing others

    /// Gives `target` exactly `roles`; new privileges start with a new sign-in.
    func change(roles: Set<Role>, of target: User) async throws {
        let id = try target.requireID()
        let before = target.roles
        guard roles != before else { return }
        let event = self.event(
            .roleChange, userID: id, email: target.email,
            detail: "from=" + before.map(\.rawValue).sorted().joined(separator: ",") + " to="
                + roles.map(\.rawValue).sorted().joined(separator: ","))
        let rows = roles.sorted { $0.rawValue < $1.rawValue }.map { UserRole(userID: id, role: $0) }
        try await self.commit.run([], by: .commandLine) { db in
            try await UserRole.query(on: db).filter(\.$user.$id == id).delete()
            try await rows.create(on: db)
            try await SessionStarter.endAll(userID: id, on: db)
            try await event.create(on: db)
        }
    }

    /// Ends `target`'s account: its sessions, its unused links, and the API keys it made (a system that still needs
    /// one gets a new key from an Admin Instansi who is still there).
    func deactivate(_ target: User) async throws {
        guard target.status != .deactivated else { return }
        let id = try target.requireID()
        let now = self.clock.now()
        let event = self.event(.deactivation, userID: id, email: target.email)
        target.status = .deactivated
        try await self.commit.run([], by: .commandLine) { db in
            try await target.save(on: db)
            try await SessionStarter.endAll(userID: id, on: db)
            try await OneTimeToken.query(on: db).filter(\.$user.$id == id).filter(\.$usedAt == nil).delete()
            try await APIToken.query(on: db).filter(\.$creator.$id == id).filter(\.$revokedAt == nil)
                .set(\.$revokedAt, to: now).set(\.$revokedBecause, to: "creator_deactivated").update()
            try await event.create(on: db)
        }
    }

    // MARK: - API keys

    /// A new key for the instansi's systems, named `name`; the key itself is returned once and only its hash is kept.
    func makeAPIKey(named name: String, for instansiID: Int) async throws -> (key: String, token: APIToken) {
        let made = APIToken.make(name: name, instansiID: instansiID, creatorID: self.actorID, now: self.clock.now())
        let token = made.token
        let event = self.event(
            .apiTokenCreated, userID: self.actorID, detail: "token=\(token.prefix) name=\(name)", ownAccount: true)
        try await self.commit.run([], by: .commandLine) { db in
            try await token.create(on: db)
            try await event.create(on: db)
        }
        return made
    }

    func revoke(_ token: APIToken) async throws {
        guard token.revokedAt == nil else { return }
        let event = self.event(
            .apiTokenRevoked, userID: self.actorID, detail: "token=\(token.prefix)", ownAccount: true)
        token.revokedAt = self.clock.now()
        try await self.commit.run([], by: .commandLine) { db in
            try await token.save(on: db)
            try await event.create(on: db)
        }
    }
}
