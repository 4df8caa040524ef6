import Fluent
import SQLKit
import StranasCore
import Vapor

/// The task list of `/beranda` (GOV.UK's task list pattern): each piece of work waiting for the signed-in person, with
/// how many, a status and, where the work has one, its deadline. Counted from the same rows as the pages the tasks
/// lead to: an instansi's lines through `ReportDesk`, as `/laporan` shows them.
struct HomeTasks {
    let request: Request
    let user: SignedInUser
    var db: any Database { self.request.db }
    var today: CalendarDate { self.request.application.clock.today }

    struct Task: Encodable {
        let title: String
        let hint: String
        let link: String
        /// "todo" (something waits), "running" (others' work under way), "done" (nothing waits) or "none" (a place
        /// to go, nothing counted).
        let statusKey: String
        let status: String?
    }

    /// The reporting triwulan of the current cycle: the one `/laporan` opens on.
    struct Period {
        let cycle: Cycle
        let triwulan: Triwulan
        let label: String
        let due: CalendarDate
    }

    func tasks() async throws -> [Task] {
        let permissions = self.user.permissions
        let period = try await self.period()
        var tasks: [Task] = []
        if let period, let instansiID = self.user.instansiID, permissions.contains(.viewInstansiReport) {
            tasks += try await self.reportTasks(instansiID: instansiID, period: period)
        }
        if let instansiID = self.user.instansiID, permissions.contains(.submitInstansiReport) {
            tasks += try await self.answerTasks(instansiID: instansiID)
        }
        if permissions.contains(.verifyReportLines) { tasks.append(try await self.verificationTask()) }
        if permissions.contains(.handlePublicInput) { tasks += try await self.setnasInputTasks() }
        if let period, permissions.contains(.viewNonPublicMonitoring) {
            tasks.append(try await self.coverageTask(period: period))
        }
        return tasks + self.places(for: permissions)
    }

    // MARK: - An instansi's report

    private func reportTasks(instansiID: Int, period: Period) async throws -> [Task] {
        let desk = self.request.reportDesk
        let subjects = try await desk.subjects(instansiID: instansiID, triwulanID: period.triwulan.requireID())
        guard !subjects.isEmpty else { return [] }
        let counted = Dictionary(grouping: subjects, by: \.stateKey).mapValues(\.count)
        let missing = (counted["none"] ?? 0) + (counted["draft"] ?? 0)
        let deadline = self.request.deadline(period.due)
        let link = SiteURL.instansiReport(
            query: [(CycleLookup.queryParameter, period.cycle.code), ("triwulan", String(period.triwulan.number))])
        let permissions = self.user.permissions
        var tasks: [Task] = []
        // The Unit Teknis fills the lines; the instansi's reviewers watch what is still missing before the deadline.
        if permissions.contains(.fillReportLines) || permissions.contains(.reviewInstansiReport) {
            tasks.append(
                self.counted(
                    permissions.contains(.fillReportLines) ? "fill" : "missing", missing, title: [period.label],
                    hint: [String(missing), period.label, deadline], done: [period.label], link: link))
        }
        if permissions.contains(.fillReportLines) {
            let returned = counted["returned"] ?? 0
            tasks.append(
                self.counted("returned", returned, hint: [String(returned), deadline], link: link))
        }
        if permissions.contains(.reviewInstansiReport) {
            let waiting = counted["review"] ?? 0
            tasks.append(
                self.counted(
                    "review", waiting, title: [period.label], hint: [String(waiting), deadline], link: link))
        }
        if permissions.contains(.submitInstansiReport) {
            let ready = subjects.filter { $0.state == .reviewed && !desk.isLocked($0) }.count
            tasks.append(self.counted("submit", ready, hint: [String(ready), deadline], link: link))
        }
        return tasks
    }

    /// The Focal Point answers for the instansi: forwarded laporan masyarakat, and published usulan and pertanyaan.
    private func answerTasks(instansiID: Int) async throws -> [Task] {
        let cases = try await PublicCase.query(on: self.db).filter(\.$instansi.$id == instansiID)
            .filter(\.$state == .diteruskan).all()
        let nearest = cases.compactMap { $0.dueOn.flatMap(CalendarDate.init(iso:)) }.min()
        let inputs = try await PublicInput.query(on: self.db).filter(\.$instansi.$id == instansiID)
            .filter(\.$state == .disetujui).filter(\.$answer == nil).count()
        return [
            self.counted(
                "cases", cases.count, hint: [String(cases.count), nearest.map(self.request.deadline) ?? ""],
                link: SiteURL.instansiCases()),
            self.counted("inputs", inputs, hint: [String(inputs)], link: SiteURL.instansiInputs()),
        ]
    }

    // MARK: - Setnas and Timnas

    /// Lines waiting for this verifikator, as the queue lists them; the oldest is due after the configured days.
    private func verificationTask() async throws -> Task {
        let days = self.request.application.config.verificationReminderDays
        let waiting = try await VerificationQueueController.waiting(for: self.user.id, on: self.db)
        let due = waiting.first.map { AppClock.fixed($0.lastSubmittedAt).today.adding(days: days) }
        return self.counted(
            "verify", waiting.count, hint: [String(waiting.count), due.map(self.request.deadline) ?? "", String(days)],
            link: SiteURL.verificationQueue())
    }

    /// New laporan masyarakat to check and forward, and usulan or pertanyaan to moderate.
    private func setnasInputTasks() async throws -> [Task] {
        let cases = try await PublicCase.query(on: self.db).filter(\.$state ~~ [.baru, .diverifikasi]).count()
        let inputs = try await PublicInput.query(on: self.db).filter(\.$state == .menunggu).count()
        return [
            self.counted("setnas_cases", cases, hint: [String(cases)], link: SiteURL.setnasCases()),
            self.counted("moderate", inputs, hint: [String(inputs)], link: SiteURL.setnasInputs()),
        ]
    }

    /// How many instansi have not yet sent every line of the reporting triwulan to Setnas, against its deadline.
    private func coverageTask(period: Period) async throws -> Task {
        let coverage = try await ReportingCoverage.read(triwulanID: try period.triwulan.requireID(), on: self.db)
        let lagging = coverage.lagging
        let task = self.counted(
            "coverage", lagging, title: [period.label],
            hint: [String(lagging), String(coverage.instansi), self.request.deadline(period.due)],
            done: [String(coverage.instansi), period.label], link: SiteURL.dashboard())
        // Watching, not doing: the instansi act; until the deadline, their reporting is under way.
        guard lagging > 0, self.today <= period.due else { return task }
        return Task(
            title: task.title, hint: task.hint, link: task.link, statusKey: "running",
            status: self.request.t("home.status.running"))
    }

    // MARK: - Places to go

    /// The permissions whose pages hold no counted work: administration, kept after the work.
    private func places(for permissions: Set<Permission>) -> [Task] {
        var places: [(Permission, String)] = [
            (.manageUsers, SiteURL.users()), (.manageAPITokens, SiteURL.apiKeys()),
            (.administerPlan, SiteURL.cycles()), (.superviseBackgroundWork, SiteURL.backgroundWork()),
            (.readSecurityLog, SiteURL.securityLog()),
        ]
        if self.request.application.config.mode == .development {
            places.append((.readMailOutbox, SiteURL.mailOutbox()))
        }
        return places.filter { permissions.contains($0.0) }.map { permission, link in
            Task(
                title: self.request.t("permission.\(permission.rawValue).title"),
                hint: self.request.t("permission.\(permission.rawValue).description"), link: link,
                statusKey: "none", status: nil)
        }
    }

    // MARK: - Internals

    /// A task counted: "home.task.`name`.title" with `title`, and ".hint" with `hint` while something waits, else
    /// ".done" with `done`.
    private func counted(
        _ name: String, _ count: Int, title: [String] = [], hint: [String], done: [String] = [], link: String
    ) -> Task {
        let waits = count > 0
        return Task(
            title: self.text("home.task.\(name).title", title),
            hint: self.text(waits ? "home.task.\(name).hint" : "home.task.\(name).done", waits ? hint : done),
            link: link, statusKey: waits ? "todo" : "done",
            status: self.request.t(waits ? "home.status.todo" : "home.status.done"))
    }

    private func text(_ key: String, _ arguments: [String]) -> String {
        self.request.application.locales.text(key, self.request.language, arguments)
    }

    private func period() async throws -> Period? {
        let cycles = try await Cycle.query(on: self.db).filter(\.$publishedAt != nil).sort(\.$startYear).all()
        guard let cycle = CycleLookup.current(among: cycles, today: self.today) else { return nil }
        let all = try await Triwulan.query(on: self.db).filter(\.$cycle.$id == cycle.requireID()).sort(\.$number).all()
        guard !all.isEmpty else { return nil }
        let triwulan = InstansiReportController.reportingTriwulan(among: all, today: self.today)
        return Period(
            cycle: cycle, triwulan: triwulan,
            label: self.request.triwulanLabel(number: triwulan.number, startYear: cycle.startYear),
            due: CalendarDate(iso: triwulan.dueOn)!)
    }
}
