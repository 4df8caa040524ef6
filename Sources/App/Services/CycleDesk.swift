import Fluent
import StranasCore

/// The only writer of a cycle's life: creating it with its eight triwulan, its reporting windows, publishing its plan,
/// naming each aksi's verifikator, and publishing a triwulan's results as a frozen report. Each is one `DeskCommit`
/// with its audit entry. The form checks are the callers'; the window and publication rules are StranasCore's
/// (`ReportingCalendar`).
struct CycleDesk {
    let database: any Database
    let clock: AppClock
    let actor: AuditTrail.Actor

    private var commit: DeskCommit { DeskCommit(database: self.database, clock: self.clock) }

    /// A new cycle from `startYear` with the default reporting schedule.
    func create(startYear year: Int, name: String) async throws -> Cycle {
        let code = ReportingCalendar.cycleCode(startYear: year)
        let cycle = Cycle(code: code, name: name.isEmpty ? "Stranas PK \(code)" : name, startYear: year)
        let event = AuditTrail.Event(
            action: .cycleCreated, subject: code, detail: "\(cycle.name): 8 triwulan dengan jadwal pelaporan bawaan",
            isPublic: false)
        try await self.commit.run([event], by: self.actor) { db in
            try await cycle.create(on: db)
            for schedule in ReportingCalendar.defaultSchedule(startYear: year) {
                try await Triwulan(cycleID: cycle.requireID(), schedule: schedule).create(on: db)
            }
        }
        return cycle
    }

    /// Publishes the cycle's plan, whose structure is frozen from then on; a published cycle stays as it is.
    func publish(_ cycle: Cycle) async throws {
        guard !cycle.isPublished else { return }
        let aksiCount = try await Aksi.query(on: self.database).filter(\.$cycle.$id == cycle.requireID()).count()
        let event = AuditTrail.Event(
            action: .cyclePublished, subject: cycle.code, detail: "\(aksiCount) aksi diterbitkan; susunan dikunci",
            isPublic: true)
        cycle.publishedAt = self.clock.now()
        try await self.commit.run([event], by: self.actor) { db in try await cycle.save(on: db) }
    }

    /// Names the Verifikator Setnas of an aksi (one per aksi), or none.
    func assign(verifikator: User?, to aksi: Aksi, in cycle: Cycle) async throws {
        let aksiID = try aksi.requireID()
        let chosen = try verifikator?.requireID()
        let event = AuditTrail.Event(
            action: .verifikatorAssigned, subject: "\(cycle.code) aksi \(aksi.number)",
            detail: "verifikator: \(verifikator.map { AuditTrail.Actor($0).label } ?? "tidak ada")", isPublic: false)
        try await self.commit.run([event], by: self.actor) { db in
            try await VerifikatorAssignment.query(on: db).filter(\.$aksi.$id == aksiID).delete()
            if let chosen { try await VerifikatorAssignment(userID: chosen, aksiID: aksiID).create(on: db) }
        }
    }

    /// A triwulan's reporting window as it is to be.
    struct Window: Sendable {
        let opens: CalendarDate
        let due: CalendarDate
        let locks: CalendarDate
    }

    /// Moves the windows of the cycle's `triwulan` to `windows` (by triwulan number); public once the plan is.
    func change(windows: [Int: Window], of triwulan: [Triwulan], in cycle: Cycle) async throws {
        var changed: [String] = []
        var moved: [Triwulan] = []
        for row in triwulan.sorted(by: { $0.number < $1.number }) {
            guard let window = windows[row.number] else { continue }
            let before = [row.opensOn, row.dueOn, row.locksOn]
            let after = [window.opens.iso, window.due.iso, window.locks.iso]
            guard before != after else { continue }
            changed.append("TW \(row.number): \(before.joined(separator: " / ")) → \(after.joined(separator: " / "))")
            row.opensOn = window.opens.iso
            row.dueOn = window.due.iso
            row.locksOn = window.locks.iso
            moved.append(row)
        }
        guard !changed.isEmpty else { return }
        let event = AuditTrail.Event(
            action: .windowsChanged, subject: cycle.code,
            detail: "dibuka / batas / dikunci\n" + changed.joined(separator: "\n"), isPublic: cycle.isPublished)
        let rows = moved
        try await self.commit.run([event], by: self.actor) { db in
            for row in rows { try await row.save(on: db) }
        }
    }

    /// Freezes a triwulan's results as published: `content` is the report's canonical JSON, hashed and kept as it is.
    func publishResults(
        of cycle: Cycle, triwulan: Int, content: String, sha256: String, pdfSHA256: String, earlyReason: String?,
        title: String
    ) async throws -> ResultSnapshot {
        let snapshot = ResultSnapshot()
        snapshot.$cycle.id = try cycle.requireID()
        snapshot.triwulan = triwulan
        snapshot.publishedAt = self.clock.now()
        snapshot.publishedBy = self.actor.label
        snapshot.content = content
        snapshot.sha256 = sha256
        snapshot.pdfSHA256 = pdfSHA256
        snapshot.earlyReason = earlyReason
        let detail = ["\(title)", "SHA-256 \(sha256)", "PDF SHA-256 \(pdfSHA256)", earlyReason].compactMap { $0 }
        let event = AuditTrail.Event(
            action: .resultsPublished, subject: "\(cycle.code) TW \(triwulan)", detail: detail.joined(separator: "\n"),
            isPublic: true)
        try await self.commit.run([event], by: self.actor) { db in try await snapshot.create(on: db) }
        return snapshot
    }
}
