import Fluent
import Vapor

/// `jaga scores rebuild`: computes every cycle's scores and discipline from scratch.
/// `jaga scores refresh`: brings a cycle's stored scores up to date without emptying them first.
struct ScoresCommands: AsyncCommandGroup {
    var help: String { "Maintains the monev scores." }

    var commands: [String: any AnyAsyncCommand] {
        ["rebuild": ScoresRebuildCommand(), "refresh": ScoresRefreshCommand()]
    }
}

struct ScoresRebuildCommand: AsyncCommand {
    struct Signature: CommandSignature {}

    var help: String { "Recomputes every score and discipline figure from the plan and the report lines." }

    func run(using context: CommandContext, signature: Signature) async throws {
        try await Entrypoint.reportingFailures {
            let app = context.application
            try await DatabasePreparation.requireMigrated(app, config: app.config)
            try await DeskCommit(database: app.db, clock: app.clock).record([], by: .commandLine, scores: .rebuilt)
            let count = try await ScoreRow.query(on: app.db).count()
            context.console.print("Rebuilt the scores: \(count) rows.")
        }
    }
}

/// After a correction made in the database by hand, brings a cycle's scores up to date in place, writing only what
/// differs (pages keep showing scores meanwhile, unlike a rebuild). With `--aksi` and `--instansi`, only what lines of
/// that aksi and instansi can move, as a report action does; it prints how long the refresh took.
struct ScoresRefreshCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "periode", help: "The cycle's code, e.g. 2021-2022.")
        var cycle: String?

        @Option(name: "aksi", help: "Only what this aksi's lines can move: the aksi's number.")
        var aksi: Int?

        @Option(name: "instansi", help: "With --aksi: the instansi whose lines changed (its id).")
        var instansi: Int?
    }

    var help: String { "Brings a cycle's scores up to date, writing only what differs." }

    func run(using context: CommandContext, signature: Signature) async throws {
        try await Entrypoint.reportingFailures {
            let app = context.application
            try await DatabasePreparation.requireMigrated(app, config: app.config)
            guard let code = signature.cycle, let cycle = try await Cycle.find(code: code, on: app.db) else {
                throw StartupError("--periode: give the code of an existing cycle, e.g. --periode 2021-2022.")
            }
            let cycleID = try cycle.requireID()
            var change: ScoreBook.Change?
            switch (signature.aksi, signature.instansi) {
            case (nil, nil):
                change = nil
            case (let number?, let instansiID?):
                guard
                    let aksi = try await Aksi.query(on: app.db).filter(\.$cycle.$id == cycleID)
                        .filter(\.$number == number).with(\.$outputs, { $0.with(\.$indicators) }).first()
                else { throw StartupError("--aksi: cycle \(code) has no aksi number \(number).") }
                guard try await Instansi.find(instansiID, on: app.db) != nil else {
                    throw StartupError("--instansi: there is no instansi with id \(instansiID).")
                }
                change = ScoreBook.Change(
                    indicatorIDs: Set(aksi.outputs.flatMap { $0.indicators.compactMap(\.id) }),
                    instansiIDs: [instansiID])
            default:
                throw StartupError("--aksi and --instansi go together: give both, or neither for the whole cycle.")
            }
            let started = ContinuousClock.now
            try await Self.refresh(app, cycleID: cycleID, touching: change)
            let elapsed = ContinuousClock.now - started
            let milliseconds = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
            context.console.print(
                "Refreshed the scores of \(code)\(change == nil ? "" : " for that aksi and instansi") in "
                    + "\(Int(milliseconds.rounded())) ms.")
        }
    }

    /// Brings the cycle's stored scores up to date, for the whole cycle or what one change can move; an entry on the
    /// audit chain says so when a score moved, which is what lets cached public pages show it.
    static func refresh(_ app: Application, cycleID: Int, touching change: ScoreBook.Change?) async throws {
        try await DeskCommit(database: app.db, clock: app.clock).record(
            [], by: .commandLine, scores: change.map { .touching(cycleID: cycleID, $0) } ?? .cycle(cycleID))
    }
}
