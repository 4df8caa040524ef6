import Fluent
import StranasCore
import Vapor

/// One account per role for trying the portal, in demo mode only: the embedded SQLite database with the demo plan,
/// never in production and never on PostgreSQL. Every start gives them new random passwords, printed once and listed
/// on the sign-in page under a "demo" banner. They may skip TOTP enrolment, in demo mode only.
enum DemoAccounts {
    struct Listing: Encodable, Sendable {
        let role: String
        let email: String
        let password: String
        let instansi: String?
    }

    /// The instansi whose officials the demo accounts are: LKPP coordinates aksi 5 and carries aksi 4.
    static let instansiAbbreviation = "LKPP"
    static let verifiedAksiNumbers = [4, 5]
    static let emailDomain = "demo.jaga-stranas.example"

    static func email(for role: Role) -> String {
        role.rawValue.replacingOccurrences(of: "_", with: ".") + "@" + self.emailDomain
    }

    /// Creates the accounts if needed and gives them fresh passwords. Returns what the sign-in page lists.
    static func prepare(_ app: Application) async throws -> [Listing] {
        let db = app.db
        guard
            let instansi = try await Instansi.query(on: db).filter(\.$abbreviation == self.instansiAbbreviation).first()
        else { return [] }
        var listings: [Listing] = []
        for role in Role.allCases {
            let email = self.email(for: role)
            let user: User
            if let existing = try await User.query(on: db).filter(\.$email == email).first() {
                user = existing
            } else {
                user = User(
                    name: "Demo " + app.locales.text("role.\(role.rawValue)", .id), email: email,
                    position: app.locales.text("role.\(role.rawValue)", .id), status: .active,
                    instansiID: role.belongsToInstansi ? instansi.id : nil, isDemo: true)
                try await user.create(on: db)
                try await UserRole(userID: user.requireID(), role: role).create(on: db)
                if role == .verifikatorSetnas {
                    for aksi in try await Aksi.query(on: db).filter(\.$number ~~ self.verifiedAksiNumbers).all() {
                        try await VerifikatorAssignment(userID: user.requireID(), aksiID: aksi.requireID()).create(
                            on: db)
                    }
                }
            }
            let password = self.newPassword()
            user.passwordHash = try app.passwordRules.hash(password)
            user.status = .active
            try await user.save(on: db)
            listings.append(
                Listing(
                    role: app.locales.text("role.\(role.rawValue)", .id), email: email, password: password,
                    instansi: role.belongsToInstansi ? instansi.name : nil))
        }
        return listings
    }

    /// Four groups of four letters and digits: easy to type, about 80 random bits.
    static func newPassword() -> String {
        (0..<4).map { _ in String((0..<4).map { _ in SecureToken.readableAlphabet.randomElement()! }) }
            .joined(separator: "-")
    }
}

extension Application {
    private struct DemoAccountsKey: StorageKey {
        typealias Value = [DemoAccounts.Listing]
    }

    /// The demo accounts and their passwords of this run; empty outside demo mode.
    var demoAccounts: [DemoAccounts.Listing] {
        get { self.storage[DemoAccountsKey.self] ?? [] }
        set { self.storage[DemoAccountsKey.self] = newValue }
    }

    /// The embedded SQLite database in development, holding the demo plan.
    var isDemoMode: Bool { !self.demoAccounts.isEmpty }
}
