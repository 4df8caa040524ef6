import Fluent
import SQLKit
import Vapor

/// `jaga jobs run`: runs whatever background work is due, once, and exits (for cron, with `JAGA_JOBS=off` on the
/// servers). `jaga jobs status`: how many jobs wait, run and failed, and the failures' errors. `jaga jobs resume`:
/// lifts the hold `jaga restore` puts on background work.
struct JobsCommands: AsyncCommandGroup {
    var help: String { "Runs and inspects the background work (reminders, notices, mail)." }

    var commands: [String: any AnyAsyncCommand] {
        ["run": JobsRunCommand(), "status": JobsStatusCommand(), "resume": JobsResumeCommand()]
    }
}

struct JobsRunCommand: AsyncCommand {
    struct Signature: CommandSignature {}

    var help: String { "Runs every job that is due now, then exits." }

    func run(using context: CommandContext, signature: Signature) async throws {
        try await Entrypoint.reportingFailures {
            let app = context.application
            try await DatabasePreparation.requireMigrated(app, config: app.config)
            let runner = JobRunner(app: app)
            let work = Task { try await runner.runDue() }
            // SIGTERM (systemd stopping the timer's pass): the job in hand is finished, no other is taken.
            signal(SIGTERM, SIG_IGN)
            let stop = DispatchSource.makeSignalSource(signal: SIGTERM, queue: .global())
            stop.setEventHandler { work.cancel() }
            stop.resume()
            defer { stop.cancel() }
            let pass = try await work.value
            let stopped = work.isCancelled ? " (stopped early by SIGTERM)" : ""
            context.console.print(
                "Ran \(pass.done + pass.failed) jobs: \(pass.done) done, \(pass.failed) failed\(stopped).")
        }
    }
}

struct JobsStatusCommand: AsyncCommand {
    struct Signature: CommandSignature {}

    var help: String { "Counts the jobs by state and lists the failed ones with their errors." }

    func run(using context: CommandContext, signature: Signature) async throws {
        try await Entrypoint.reportingFailures {
            let app = context.application
            try await DatabasePreparation.requireMigrated(app, config: app.config)
            if let held = try await BackgroundPause(database: app.db as! any SQLDatabase).reason() {
                context.console.print("paused: \(held); `jaga jobs resume` lifts it")
            }
            for state in Job.State.allCases {
                let count = try await Job.query(on: app.db).filter(\.$state == state).count()
                context.console.print("\(state.rawValue): \(count)")
            }
            for job in try await Job.query(on: app.db).filter(\.$state == .failed).sort(\.$id).all() {
                context.console.print("job \(job.id ?? 0) \(job.kind) \(job.payload): \(job.lastError ?? "")")
            }
        }
    }
}

struct JobsResumeCommand: AsyncCommand {
    struct Signature: CommandSignature {}

    var help: String { "Lets background work run again after `jaga restore` paused it (reminders, notices, mail)." }

    func run(using context: CommandContext, signature: Signature) async throws {
        try await Entrypoint.reportingFailures {
            let app = context.application
            try await DatabasePreparation.requireMigrated(app, config: app.config)
            let held = try await BackgroundPause(database: app.db as! any SQLDatabase).resume()
            context.console.print(held ? "Background work runs again." : "Background work was not paused.")
        }
    }
}
