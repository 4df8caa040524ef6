import Fluent
import Vapor

/// `jaga audit verify`: walks the whole audit log and checks every link of its hash chain.
struct AuditCommands: AsyncCommandGroup {
    var help: String { "Checks the audit log." }

    var commands: [String: any AnyAsyncCommand] { ["verify": AuditVerifyCommand()] }
}

struct AuditVerifyCommand: AsyncCommand {
    struct Signature: CommandSignature {}

    var help: String { "Recomputes every hash of the audit log: `jaga audit verify`. Exits 1 at the first break." }

    func run(using context: CommandContext, signature: Signature) async throws {
        try await Entrypoint.reportingFailures {
            context.console.print(try await Self.check(context.application))
        }
    }

    /// The line to print for an intact chain; a `StartupError` naming the first break otherwise.
    static func check(_ app: Application) async throws -> String {
        try await DatabasePreparation.requireMigrated(app, config: app.config)
        switch try await AuditTrail(database: app.db, clock: app.clock).verify() {
        case .success(let head):
            return "The audit log is intact: \(head.count) entries, head \(head.hash)."
        case .failure(let broken):
            throw StartupError(
                "The audit log is broken at entry \(broken.sequence): \(broken.problem). "
                    + "Every entry from there on is unproven; restore the log from a backup and investigate.")
        }
    }
}
