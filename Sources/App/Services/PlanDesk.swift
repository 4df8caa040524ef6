import Crypto
import Fluent
import Foundation
import StranasCore

/// The only writer of a cycle's plan: the tree editor's changes, an imported plan file, target revisions and an
/// indicator's predecessor. Each is one `DeskCommit` with its audit entry and the scores it moves. What is checked
/// before (the item form, the file, the grid) is the callers'; the rules they share are in StranasCore (`PlanFile`,
/// `PlanEditing`, `TargetRevisionPolicy`).
struct PlanDesk {
    let database: any Database
    let clock: AppClock
    let actor: AuditTrail.Actor

    private var commit: DeskCommit { DeskCommit(database: self.database, clock: self.clock) }

    // MARK: - The whole plan

    /// Makes the cycle's plan `edited` (an edit of `current` in the tree editor), naming what was edited.
    func edit(_ current: PlanDocument, into edited: PlanDocument, of cycle: Cycle, subject: String) async throws {
        let changes = PlanChanges.between(current, edited)
        guard !changes.isEmpty else { return }
        let event = AuditTrail.Event(
            action: .planEdited, subject: "\(cycle.code) \(subject)",
            detail: changes.lines(limit: 200).joined(separator: "\n"), isPublic: false)
        try await self.write(edited, to: cycle, recording: event)
    }

    /// Keeps a plan file that `userID` uploaded aside until they apply its preview.
    func keep(
        planFile content: String, named fileName: String, for cycle: Cycle, by userID: Int
    ) async throws
        -> PlanImport
    {
        let pending = PlanImport(
            cycleID: try cycle.requireID(), userID: userID, fileName: String(fileName.prefix(200)),
            content: content, now: self.clock.now())
        try await self.commit.run([], by: self.actor) { db in try await pending.create(on: db) }
        return pending
    }

    /// Makes the cycle's plan the kept file's `document` (read again by the caller), and marks the file applied.
    func apply(_ pending: PlanImport, reading document: PlanDocument, to cycle: Cycle) async throws {
        let current = try await PlanStore(database: self.database).document(for: cycle)
        let changes = PlanChanges.between(current, document)
        let event = AuditTrail.Event(
            action: .planImported, subject: cycle.code,
            detail: (["berkas \(pending.fileName), SHA-256 \(SHA256.hash(data: Data(pending.content.utf8)).hex)"]
                + changes.lines(limit: 200)).joined(separator: "\n"),
            isPublic: cycle.isPublished)
        pending.appliedAt = self.clock.now()
        try await self.write(document, to: cycle, recording: event) { db in try await pending.save(on: db) }
    }

    /// Makes the cycle's plan `document` from a file on the operator's disk (`jaga plan import`).
    func importFile(_ document: PlanDocument, named path: String, to cycle: Cycle, changes: PlanChanges) async throws {
        let event = AuditTrail.Event(
            action: .planImported, subject: cycle.code,
            detail: (["berkas \(path) (baris perintah)"] + changes.lines(limit: 200)).joined(separator: "\n"),
            isPublic: cycle.isPublished)
        try await self.write(document, to: cycle, recording: event)
    }

    private func write(
        _ document: PlanDocument, to cycle: Cycle, recording event: AuditTrail.Event,
        also: @escaping @Sendable (any Database) async throws -> Void = { _ in }
    ) async throws {
        try await self.commit.run([event], by: self.actor, scores: .cycle(try cycle.requireID())) { db in
            try await PlanStore(database: db).write(document, to: cycle)
            try await also(db)
        }
    }

    // MARK: - One indicator

    /// Links an indicator to its predecessor in the previous cycle (`predecessorCode`), or to none.
    func map(
        _ indicator: Indicator, code: String, toPredecessor predecessorID: Int?, predecessorCode: String?,
        in cycle: Cycle
    ) async throws {
        let previousCode = try await indicator.$predecessor.get(on: self.database)?.code
        indicator.$predecessor.id = predecessorID
        let event = AuditTrail.Event(
            action: .predecessorMapped, subject: "\(cycle.code) indikator \(code)",
            detail: "pendahulu: \(previousCode ?? "–") → \(predecessorCode ?? "–")", isPublic: cycle.isPublished)
        try await self.commit.run([event], by: self.actor) { db in try await indicator.save(on: db) }
    }

    /// One cell of an indicator's target grid as it is to be: the stored target (if any) and the value wanted.
    struct TargetChange: Sendable {
        let instansiID: Int
        let instansiName: String
        let triwulanID: Int
        let triwulanNumber: Int
        let stored: Target?
        /// Nil removes the target.
        let value: Double?
    }

    /// Writes an indicator's changed targets. In a published cycle each change is a revision with its reason, kept
    /// and shown publicly; before publication the grid is a draft and its changes are not public.
    func revise(
        _ changes: [TargetChange], of indicator: Indicator, in cycle: Cycle, reason: String
    ) async throws {
        guard !changes.isEmpty else { return }
        let indicatorID = try indicator.requireID()
        let isPublished = cycle.isPublished
        let now = self.clock.now()
        let actorID = self.actor.id
        let lines = changes.map { change in
            "\(change.instansiName) · TW \(change.triwulanNumber): "
                + "\(change.stored.map { PlanFile.format($0.value) } ?? "–") → \(change.value.map(PlanFile.format) ?? "–")"
        }
        let event = AuditTrail.Event(
            action: .targetsChanged, subject: "\(cycle.code) indikator \(indicator.code)",
            detail: lines.joined(separator: "\n"), reason: isPublished ? reason : nil, isPublic: isPublished)
        let scores = DeskCommit.Scores.touching(
            cycleID: try cycle.requireID(),
            .init(indicatorIDs: [indicatorID], instansiIDs: Set(changes.map(\.instansiID))))
        try await self.commit.run([event], by: self.actor, scores: scores) { db in
            for change in changes {
                let previousValue = change.stored?.value
                switch (change.stored, change.value) {
                case (let target?, let value?):
                    target.value = value
                    try await target.save(on: db)
                case (let target?, nil):
                    try await target.delete(on: db)
                case (nil, let value?):
                    try await Target(
                        indicatorID: indicatorID, instansiID: change.instansiID, triwulanID: change.triwulanID,
                        value: value, description: nil
                    ).create(on: db)
                case (nil, nil):
                    continue
                }
                if isPublished {
                    try await TargetRevision(
                        indicatorID: indicatorID, instansiID: change.instansiID, triwulanID: change.triwulanID,
                        oldValue: previousValue, newValue: change.value, reason: reason, userID: actorID, at: now
                    ).create(on: db)
                }
            }
        }
    }
}
