import Fluent
import Vapor

/// `/setnas/pekerjaan`: the background work as Admin Setnas oversees it: how many jobs wait, run, are done and
/// failed; the failed ones and those waiting for another attempt, with their errors; and "try again now".
struct BackgroundWorkController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let supervisor = routes.requiring(.superviseBackgroundWork)
        supervisor.get(SiteURL.backgroundWork, use: self.show)
        supervisor.post(SiteURL.backgroundWorkRetry, use: self.retry)
    }

    struct Count: Encodable {
        let state: String
        let label: String
        let count: Int
    }

    struct Row: Encodable {
        let id: Int
        let kind: String
        let about: String
        let state: String
        let stateLabel: String
        let attempts: Int
        let error: String
        let next: String?
    }

    struct WorkPage: Encodable {
        let page: PageContext
        let csrfToken: String
        let counts: [Count]
        let troubled: [Row]
        let hasTroubled: Bool
        let mailConfigured: Bool
        let runnerInProcess: Bool
        let notice: String?
    }

    @Sendable func show(request: Request) async throws -> View {
        try await self.render(request, notice: nil)
    }

    private func render(_ request: Request, notice: String?) async throws -> View {
        var counts: [Count] = []
        for state in Job.State.allCases {
            counts.append(
                Count(
                    state: state.rawValue, label: request.t("jobs.state.\(state.rawValue)"),
                    count: try await Job.query(on: request.db).filter(\.$state == state).count()))
        }
        let troubled = try await Job.query(on: request.db)
            .group(.or) { $0.filter(\.$state == .failed).filter(\.$lastError != nil) }
            .filter(\.$state != .done).sort(\.$id, .descending).limit(200).all()
        let format = request.displayFormat
        let rows = troubled.map { job in
            Row(
                id: job.id ?? 0, kind: request.t("jobs.kind.\(job.kind)"), about: Self.about(job, request: request),
                state: job.state.rawValue, stateLabel: request.t("jobs.state.\(job.state.rawValue)"),
                attempts: job.attempts, error: job.lastError ?? "",
                next: job.state == .pending ? format.timestamp(job.runAt) : nil)
        }
        return try await request.view.render(
            "background-work",
            WorkPage(
                page: PageContext(request: request, title: request.t("jobs.title"), cycle: nil),
                csrfToken: request.csrfToken, counts: counts, troubled: rows, hasTroubled: !rows.isEmpty,
                mailConfigured: request.application.config.mailServer != nil,
                runnerInProcess: request.application.config.runsJobs, notice: notice))
    }

    /// What a job works on, in a few words; never a member of the public's address.
    static func about(_ job: Job, request: Request) -> String {
        guard let payload = try? JobPayload(json: job.payload) else { return "" }
        let parts: [(String, Int?)] = [
            ("jobs.about.message", payload.messageID), ("jobs.about.target", payload.targetID),
            ("jobs.about.case", payload.caseID), ("jobs.about.input", payload.inputID),
        ]
        return parts.compactMap { key, id in id.map { request.t(key, String($0)) } }.joined(separator: ", ")
    }

    @Sendable func retry(request: Request) async throws -> View {
        guard let id = request.parameters.get("id", as: Int.self) else { throw PageError.notFound() }
        let queue = JobQueue(database: request.db, clock: request.application.clock)
        guard try await queue.retryNow(id: id) else { throw PageError.notFound("error.job_not_found") }
        return try await self.render(request, notice: request.t("jobs.retried", String(id)))
    }
}
