import Fluent
import Vapor

/// `jaga scores rebuild`: computes every cycle's scores and discipline from scratch.
struct ScoresCommands: AsyncCommandGroup {
    var help: String { "Maintains the monev scores." }

    var commands: [String: any AnyAsyncCommand] { ["rebuild": ScoresRebuildCommand()] }
}

struct ScoresRebuildCommand: AsyncCommand {
    struct Signature: CommandSignature {}

    var help: String { "Recomputes every score and discipline figure from the plan and the report lines." }

    func run(using context: CommandContext, signature: Signature) async throws {
        try await Entrypoint.reportingFailures {
            let app = context.application
            try await DatabasePreparation.requireMigrated(app, config: app.config)
            try await app.db.transaction { db in
                try await ScoreBook(database: db, today: app.clock.today).rebuild()
            }
            let count = try await ScoreRow.query(on: app.db).count()
            context.console.print("Rebuilt the scores: \(count) rows.")
        }
    }
}
