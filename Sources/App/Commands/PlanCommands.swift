import Fluent
import Foundation
import StranasCore
import Vapor

/// `jaga plan export --cycle 2021-2022 [--output FILE]` and `jaga plan import FILE --cycle 2023-2024 [--dry-run]`:
/// a cycle's whole plan as the CSV of `docs/PLAN_CSV.md`. An import checks the whole file first and applies all of
/// it or nothing; `--dry-run` only shows what it would change.
struct PlanCommands: AsyncCommandGroup {
    var help: String { "Exports or imports a cycle's plan as CSV." }

    var commands: [String: any AnyAsyncCommand] {
        ["export": PlanExportCommand(), "import": PlanImportCommand()]
    }

    /// The cycle named by `--cycle`, or a one-line error listing the cycles there are.
    static func cycle(_ code: String?, app: Application) async throws -> Cycle {
        guard let code, !code.isEmpty else { throw StartupError("--cycle is required, e.g. --cycle 2021-2022.") }
        try await DatabasePreparation.requireMigrated(app, config: app.config)
        guard let cycle = try await Cycle.find(code: code, on: app.db) else {
            let known = try await Cycle.query(on: app.db).all().map(\.code).sorted().joined(separator: ", ")
            throw StartupError("Cycle \(code) does not exist. Cycles: \(known.isEmpty ? "none" : known).")
        }
        return cycle
    }
}

struct PlanExportCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "cycle", help: "The cycle, e.g. 2021-2022.")
        var cycle: String?

        @Option(name: "output", help: "Write to this file instead of standard output.")
        var output: String?
    }

    var help: String { "Writes a cycle's plan as CSV: `jaga plan export --cycle 2021-2022 [--output FILE]`." }

    func run(using context: CommandContext, signature: Signature) async throws {
        try await Entrypoint.reportingFailures {
            let cycle = try await PlanCommands.cycle(signature.cycle, app: context.application)
            let text = PlanFile.write(try await PlanStore(database: context.application.db).document(for: cycle))
            if let output = signature.output {
                guard FileManager.default.createFile(atPath: output, contents: Data(text.utf8)) else {
                    throw StartupError("Cannot write \(output).")
                }
                context.console.print("Wrote the plan of \(cycle.code) to \(output).")
            } else {
                context.console.output(text, style: .plain, newLine: false)
            }
        }
    }
}

struct PlanImportCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Argument(name: "file", help: "The CSV file to read.")
        var file: String

        @Option(name: "cycle", help: "The cycle whose plan the file replaces, e.g. 2023-2024.")
        var cycle: String?

        @Flag(name: "dry-run", help: "Check the file and show the changes, but change nothing.")
        var dryRun: Bool
    }

    var help: String { "Makes a cycle's plan match a CSV file: `jaga plan import FILE --cycle … [--dry-run]`." }

    func run(using context: CommandContext, signature: Signature) async throws {
        try await Entrypoint.reportingFailures { try await self.perform(signature, context: context) }
    }

    private func perform(_ signature: Signature, context: CommandContext) async throws {
        let app = context.application
        let cycle = try await PlanCommands.cycle(signature.cycle, app: app)
        guard !cycle.isPublished else {
            throw StartupError(
                "The plan of \(cycle.code) is published: its structure is frozen, and targets change only by revisions "
                    + "with a reason, in the portal.")
        }
        let store = PlanStore(database: app.db)
        let document = try await self.read(signature.file, for: cycle, store: store)
        let changes = PlanChanges.between(try await store.document(for: cycle), document)
        context.console.print(
            "\(changes.added.count) to add, \(changes.changed.count) to change, \(changes.removed.count) to remove.")
        for (label, rows) in [("+", changes.added), ("~", changes.changed), ("-", changes.removed)] {
            for row in rows.prefix(50) { context.console.print("  \(label) \(row)") }
            if rows.count > 50 { context.console.print("  \(label) … and \(rows.count - 50) more") }
        }
        if signature.dryRun {
            context.console.print("Dry run: nothing changed.")
        } else if changes.isEmpty {
            context.console.print("The plan of \(cycle.code) already matches the file; nothing changed.")
        } else {
            try await PlanDesk(database: app.db, clock: app.clock, actor: .commandLine).importFile(
                document, named: signature.file, to: cycle, changes: changes)
            context.console.print("The plan of \(cycle.code) now matches the file.")
        }
    }

    private func read(_ path: String, for cycle: Cycle, store: PlanStore) async throws -> PlanDocument {
        let attributes = try? FileManager.default.attributesOfItem(atPath: path)
        if let size = attributes?[.size] as? Int, size > PlanFile.maximumBytes {
            throw StartupError("\(path) has \(size) bytes; a plan file may have at most \(PlanFile.maximumBytes).")
        }
        guard let data = FileManager.default.contents(atPath: path) else { throw StartupError("Cannot read \(path).") }
        switch try await store.read(data, for: cycle) {
        case .success(let document):
            return document
        case .failure(let rejection):
            let shown = rejection.problems.prefix(100).map { "  " + $0.description }
            let more = rejection.problems.count > 100 ? ["  … and \(rejection.problems.count - 100) more"] : []
            throw StartupError(
                (["\(path) was not imported; nothing changed. \(rejection.problems.count) problem(s):"] + shown + more)
                    .joined(separator: "\n"))
        }
    }
}
