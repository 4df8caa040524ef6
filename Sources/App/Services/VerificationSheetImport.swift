import Fluent
import StranasCore
import Vapor

/// A verifikator's spreadsheet round trip: the filtered queue as a file, and a decided file checked against the lines
/// as they stand and applied all or nothing. Every decided row goes through `ReportDesk` as the line page's forms do
/// (the verifikator's scope, the line's version and state, a reason to return, a value to accept), each line with its
/// version and audit entry, all in one transaction that ends with the score refresh its lines bring.
struct VerificationSheetImport {
    let request: Request

    /// What one decided row does to its line.
    struct Change {
        /// The row's line in the file.
        let row: Int
        let subject: ReportDesk.Subject
        let decision: VerificationFile.Decision
        /// The verified value an acceptance records: the row's, or the claim when the row left it empty.
        let value: Double?
        let note: String
    }

    /// Refused rows, each message naming the row and the line, in the reader's language.
    struct Refusal: Error {
        var problems: [ReportLinesImport.Refusal.Problem]
    }

    // MARK: - Download

    /// The lines of the queue the request's filters keep, as the file shows them.
    func lines() async throws -> [VerificationFile.Line] {
        let (_, kept, _) = try await VerificationQueueController.queue(for: self.request)
        let units = try await self.units(of: kept.map(\.targetID))
        return kept.map { line in
            VerificationFile.Line(
                targetID: line.targetID, aksiNumber: line.aksiNumber, indicatorCode: line.code,
                description: line.description, instansi: line.instansi,
                triwulan: self.request.triwulanLabel(number: line.triwulan, startYear: line.startYear),
                unit: units[line.targetID] ?? "", target: line.target, capaian: line.capaian,
                evidence: VerificationQueueController.evidenceText(line, request: self.request), version: line.version)
        }
    }

    /// The indicator's unit of each target, in one statement.
    private func units(of targetIDs: [Int]) async throws -> [Int: String] {
        guard !targetIDs.isEmpty else { return [:] }
        let targets = try await Target.query(on: self.request.db).filter(\.$id ~~ targetIDs).with(\.$indicator).all()
        return Dictionary(uniqueKeysWithValues: try targets.map { (try $0.requireID(), $0.indicator.unit) })
    }

    // MARK: - Checking and applying

    /// What the file's decided rows would do, or every reason it cannot be applied.
    func check(_ entries: [VerificationFile.Entry], desk: ReportDesk) async throws -> Result<[Change], Refusal> {
        var changes: [Change] = []
        var problems: [ReportLinesImport.Refusal.Problem] = []
        for entry in entries {
            guard let subject = try? await desk.subject(targetID: entry.targetID),
                try await desk.isVerifikator(of: subject)
            else {
                let message = self.request.t("verificationfile.not_a_line", String(entry.targetID))
                problems.append(
                    .init(row: entry.line, text: self.request.t("reportfile.line", String(entry.line), message)))
                continue
            }
            let value = entry.decision == .accept ? entry.value ?? subject.line?.capaian : nil
            if let problem = try await desk.refusal(
                of: entry.decision.action, on: subject, content: nil, capaian: subject.line?.capaian,
                verifiedValue: value, note: entry.note.trimmingCharacters(in: .whitespacesAndNewlines),
                expectedVersion: entry.version)
            {
                let message =
                    problem == .conflict
                    ? self.request.t("reportfile.stale", String(entry.version), String(subject.version))
                    : self.request.text(for: problem)
                let text = self.request.t(
                    "verificationfile.line_of", String(entry.line), subject.indicator.code, subject.instansi.name,
                    message)
                problems.append(.init(row: entry.line, text: text))
                continue
            }
            changes.append(
                Change(row: entry.line, subject: subject, decision: entry.decision, value: value, note: entry.note))
        }
        return problems.isEmpty ? .success(changes) : .failure(Refusal(problems: problems))
    }

    /// Keeps an uploaded file aside until its uploader applies the preview.
    func keep(_ content: String, named fileName: String, by userID: Int) async throws -> VerificationImport {
        let pending = VerificationImport(
            userID: userID, fileName: fileName, content: content, now: self.request.application.clock.now())
        try await DeskCommit(database: self.request.db, clock: self.request.application.clock).run(
            [], by: .commandLine
        ) { db in try await pending.create(on: db) }
        return pending
    }

    /// Checks the kept file's rows again against the lines as they stand and applies them in one transaction, marking
    /// the file applied: all, or, if any is refused, none. Scores move once per cycle, for the lines decided.
    func apply(
        _ entries: [VerificationFile.Entry], of upload: VerificationImport
    ) async throws -> Result<[Change], Refusal> {
        do {
            let base = self.request.reportDesk
            return .success(
                try await self.request.db.transaction { db in
                    let desk = base.working(in: db, refreshesScores: false)
                    let changes = try await self.check(entries, desk: desk).get()
                    var moved: [Int: ScoreBook.Change] = [:]
                    for change in changes {
                        let done = try await desk.perform(
                            change.decision.action, on: change.subject, content: nil, verifiedValue: change.value,
                            note: change.note, expectedVersion: change.subject.version)
                        if case .failure(let problem) = done {
                            let text = self.request.t(
                                "verificationfile.line_of", String(change.row), change.subject.indicator.code,
                                change.subject.instansi.name, self.request.text(for: problem))
                            throw Refusal(problems: [.init(row: change.row, text: text)])
                        }
                        let cycleID = try change.subject.cycle.requireID()
                        var touched = moved[cycleID] ?? ScoreBook.Change(indicatorIDs: [], instansiIDs: [])
                        touched.indicatorIDs.insert(try change.subject.indicator.requireID())
                        touched.instansiIDs.insert(try change.subject.instansi.requireID())
                        moved[cycleID] = touched
                    }
                    for (cycleID, change) in moved.sorted(by: { $0.key < $1.key }) {
                        // The lines' own entries are on the chain already, in this transaction.
                        try await DeskCommit(database: db, clock: base.clock).run(
                            [], by: base.actor?.audit ?? .commandLine, scores: .touching(cycleID: cycleID, change)
                        ) { _ in () }
                    }
                    upload.appliedAt = base.clock.now()
                    try await upload.save(on: db)
                    return changes
                })
        } catch let refusal as Refusal {
            return .failure(refusal)
        }
    }
}
