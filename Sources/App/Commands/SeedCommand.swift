import Fluent
import Vapor

/// `jaga seed demo`: loads the demo instansi and the reconstructed 2021-2022 plan into a migrated database.
struct SeedCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Argument(
            name: "dataset", help: "What to load: `demo`, or `national` (a national-scale set, empty database only).")
        var dataset: String
    }

    var help: String { "Loads a data set into the database: `jaga seed demo` or `jaga seed national`." }

    func run(using context: CommandContext, signature: Signature) async throws {
        try await Entrypoint.reportingFailures { try await self.seed(signature.dataset, context: context) }
    }

    private func seed(_ dataset: String, context: CommandContext) async throws {
        let app = context.application
        if dataset == "national" {
            try await DatabasePreparation.requireMigrated(app, config: app.config)
            let outcome = try await NationalSeeder(dataDirectory: app.demoDataDirectory, today: app.clock.today)
                .seed(on: app.db)
            context.console.print(
                "Loaded the national data set: \(outcome.instansi) instansi, cycle \(NationalSeeder.cycleCode) with "
                    + "\(outcome.targets) targets and \(outcome.lines) report lines.")
            return
        }
        guard dataset == "demo" else {
            throw StartupError("Unknown data set \"\(dataset)\": use `demo` or `national`.")
        }
        try await DatabasePreparation.requireMigrated(app, config: app.config)
        switch try await DemoPlanSeeder(dataDirectory: app.demoDataDirectory).seed(on: app.db) {
        case .seeded:
            let lines = try await DemoReports(app: app).seed()
            try await DeskCommit(database: app.db, clock: app.clock).record([], by: .commandLine, scores: .rebuilt)
            context.console.print("Made \(lines) demo report lines.")
            context.console.print("Loaded the demo plan Stranas PK \(DemoPlanSeeder.cycleCode) and its instansi.")
        case .alreadyPresent:
            context.console.print(
                "The demo plan Stranas PK \(DemoPlanSeeder.cycleCode) is already loaded; nothing changed.")
        }
    }
}
