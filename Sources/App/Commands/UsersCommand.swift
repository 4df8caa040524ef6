import Fluent
import StranasCore
import Vapor

/// `jaga users create --email … --role … [--instansi …]`: creates an account and prints its one-time activation
/// link. This is how the first Admin Setnas comes to exist: there are no default accounts.
struct UsersCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Argument(name: "action", help: "Only `create` exists.")
        var action: String

        @Option(name: "email", help: "The person's e-mail address.")
        var email: String?

        @Option(
            name: "role",
            help: "One or more roles, comma-separated: " + Role.allCases.map(\.rawValue).joined(separator: ", "))
        var role: String?

        @Option(name: "instansi", help: "For instansi roles: the instansi's id or abbreviation (e.g. LKPP).")
        var instansi: String?

        @Option(name: "name", help: "The person's name (default: the e-mail address).")
        var name: String?

        @Option(name: "position", help: "The person's position (jabatan).")
        var position: String?
    }

    var help: String { "Creates an account and prints its activation link: `jaga users create --email … --role …`." }

    func run(using context: CommandContext, signature: Signature) async throws {
        try await Entrypoint.reportingFailures {
            let link = try await self.create(signature, app: context.application)
            context.console.print("Account created. Its one-time activation link (valid 72 hours):")
            context.console.print(link)
        }
    }

    private func create(_ signature: Signature, app: Application) async throws -> String {
        guard signature.action == "create" else {
            throw StartupError("Unknown action \"\(signature.action)\": the only one is `create`.")
        }
        guard let email = signature.email, !email.isEmpty else { throw StartupError("--email is required.") }
        let names = (signature.role ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        let roles = names.compactMap(Role.init(rawValue:))
        guard !roles.isEmpty, roles.count == names.count else {
            throw StartupError(
                "--role must be one or more of: " + Role.allCases.map(\.rawValue).joined(separator: ", ") + ".")
        }
        try await DatabasePreparation.requireMigrated(app, config: app.config)

        var instansiID: Int?
        if let given = signature.instansi, !given.isEmpty {
            let match =
                if let id = Int(given) {
                    try await Instansi.find(id, on: app.db)
                } else {
                    try await Instansi.query(on: app.db).filter(\.$abbreviation == given).first()
                }
            guard let match else { throw StartupError("No instansi has the id or abbreviation \"\(given)\".") }
            instansiID = match.id
        }

        let account = AccountInvitations.NewAccount(
            name: signature.name ?? email, email: email, position: signature.position ?? "", roles: Set(roles),
            instansiID: instansiID)
        do {
            return try await AccountInvitations.invite(
                account, origin: .init(actorID: nil, clientAddress: "command line", language: .id), on: app.db,
                app: app)
        } catch let problem as AccountInvitations.Problem {
            let reason: String =
                switch problem {
                case .emailTaken: "an account with this e-mail address already exists"
                case .invalidEmail: "the e-mail address is not valid"
                case .missingName: "the name is empty"
                case .invalidRoles: "instansi roles and Setnas/Timnas roles cannot be combined"
                case .instansiRequired: "instansi roles need --instansi"
                case .instansiNotAllowed: "Setnas and Timnas roles take no --instansi"
                }
            throw StartupError("Cannot create the account: \(reason).")
        }
    }
}
