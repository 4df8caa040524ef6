import Fluent
import StranasCore
import Vapor

/// Creates accounts with an invitation link, and sends password-reset links. Links carry 256 random bits, are
/// stored hashed, work once and expire (72 hours for an invitation, 1 hour for a reset). Messages go to the outbox.
enum AccountInvitations {
    struct NewAccount {
        var name: String
        var email: String
        var position: String
        var roles: Set<Role>
        var instansiID: Int?
    }

    enum Problem: Error, Equatable {
        case emailTaken
        case invalidEmail
        case missingName
        case invalidRoles
        case instansiRequired
        case instansiNotAllowed
    }

    /// Checks a new account's fields; the roles must be held together and match having an instansi or not.
    static func problem(with account: NewAccount) -> Problem? {
        if account.name.trimmingCharacters(in: .whitespaces).isEmpty { return .missingName }
        let email = User.normalize(email: account.email)
        let parts = email.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[1].contains("."), email.count <= 254,
            !email.contains(where: { $0.isWhitespace })
        else { return .invalidEmail }
        guard account.roles.isValidCombination else { return .invalidRoles }
        let needsInstansi = account.roles.first!.belongsToInstansi
        if needsInstansi && account.instansiID == nil { return .instansiRequired }
        if !needsInstansi && account.instansiID != nil { return .instansiNotAllowed }
        return nil
    }

    /// Who asks for an invitation, for the log and the message's language.
    struct Origin {
        var actorID: Int?
        var clientAddress: String?
        var language: Language
    }

    /// Creates the account as invited and returns the activation link (also queued as an e-mail).
    static func invite(
        _ account: NewAccount, origin: Origin, on database: any Database, app: Application
    ) async throws -> String {
        if let problem = self.problem(with: account) { throw problem }
        let email = User.normalize(email: account.email)
        if try await User.query(on: database).filter(\.$email == email).first() != nil { throw Problem.emailTaken }

        let user = User(
            name: account.name.trimmingCharacters(in: .whitespaces), email: email,
            position: account.position.trimmingCharacters(in: .whitespaces), status: .invited,
            instansiID: account.instansiID)
        user.language = origin.language.rawValue
        try await user.create(on: database)
        let userID = try user.requireID()
        try await account.roles.sorted { $0.rawValue < $1.rawValue }.map { UserRole(userID: userID, role: $0) }
            .create(on: database)
        let link = try await self.issueLink(.invitation, for: user, on: database, app: app)

        let language = origin.language
        try await Mailbox.post(
            OutboxMessage(
                recipient: email, subject: app.locales.text("mail.invitation.subject", language),
                body: app.locales.text("mail.invitation.body", language, [user.name, link]), now: app.clock.now()),
            on: database, app: app)
        try await SecurityEvent(
            at: app.clock.now(), kind: .invitation, userID: userID, actorID: origin.actorID, email: email,
            clientAddress: origin.clientAddress, outcome: "success",
            detail: "roles=" + account.roles.map(\.rawValue).sorted().joined(separator: ",")
        ).create(on: database)
        return link
    }

    /// Makes a one-time link for a user, replacing any unused link of the same purpose.
    static func issueLink(
        _ purpose: OneTimeToken.Purpose, for user: User, on database: any Database, app: Application
    ) async throws -> String {
        let userID = try user.requireID()
        try await OneTimeToken.query(on: database)
            .filter(\.$user.$id == userID).filter(\.$purpose == purpose).filter(\.$usedAt == nil)
            .delete()
        let token = SecureToken.make()
        try await OneTimeToken(
            tokenHash: SecureToken.hash(token), userID: userID, purpose: purpose, now: app.clock.now()
        ).create(on: database)
        return app.config.publicURL + SiteURL.activation(token)
    }

    /// The unused, unexpired link for a token, with its user.
    static func validLink(token: String, request: Request) async throws -> OneTimeToken? {
        guard !token.isEmpty, token.count <= 100,
            let link = try await OneTimeToken.query(on: request.db)
                .filter(\.$tokenHash == SecureToken.hash(token))
                .with(\.$user)
                .first(),
            link.usedAt == nil, link.expiresAt > request.application.clock.now(),
            link.user.status != .deactivated
        else { return nil }
        return link
    }
}
