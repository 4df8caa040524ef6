import Fluent
import StranasCore
import Vapor

/// The spreadsheet round trip of an instansi's triwulan: the open lines as a file, and a filled file checked against
/// the lines as they stand and applied all or nothing. Every row goes through `ReportDesk` like a web form: the same
/// content rules, states, lock and versions, a version and an audit entry per line; all of them in one transaction,
/// so that one refused row leaves every line as it was.
struct ReportLinesImport {
    let request: Request
    let instansiID: Int
    let triwulan: Triwulan

    /// What one row of the file does to its line.
    struct Change {
        /// The row's line in the file.
        let row: Int
        let subject: ReportDesk.Subject
        let action: ReportAction
        let content: ReportDesk.Content
        /// The fields whose values change, in form order, for the preview.
        let changedFields: [Field]
    }

    /// A line's fields, named as the line's form names them (`report.field.…`).
    enum Field: String, CaseIterable {
        case capaian, narasi, kendala
        case tindakLanjut = "tindak_lanjut"
        case links
    }

    struct Plan {
        var changes: [Change] = []
        /// Rows that leave their line as it is.
        var unchanged = 0
    }

    /// Refused rows, each message naming the row and the line, in the reader's language.
    struct Refusal: Error {
        struct Problem {
            /// The row's line in the file, to put the problems of a file in order.
            let row: Int
            let text: String
        }
        var problems: [Problem]
    }

    // MARK: - Download

    /// The lines the instansi may still fill, as the file shows them.
    func openLines() async throws -> [ReportLinesFile.Line] {
        let desk = self.request.reportDesk
        let open = try await desk.subjects(instansiID: self.instansiID, triwulanID: self.triwulan.requireID())
            .filter(desk.isOpen)
        return open.map { subject in
            let line = subject.line
            return ReportLinesFile.Line(
                targetID: subject.targetID, aksiNumber: subject.aksi.number, indicatorCode: subject.indicator.code,
                description: subject.indicator.description, unit: subject.indicator.unit, target: subject.target.value,
                state: self.request.t("report.state.\(subject.stateKey)"),
                version: subject.version, capaian: line?.capaian, narasi: line?.narasi ?? "",
                kendala: line?.kendala ?? "", tindakLanjut: line?.tindakLanjut ?? "",
                links: ReportDesk.links(in: line?.links ?? ""))
        }
    }

    // MARK: - Checking and applying

    /// What the file's rows would do, or every reason it cannot be applied.
    func check(_ entries: [ReportLinesFile.Entry], desk: ReportDesk) async throws -> Result<Plan, Refusal> {
        let subjects = try await desk.subjects(instansiID: self.instansiID, triwulanID: self.triwulan.requireID())
        let subjectByTarget = Dictionary(uniqueKeysWithValues: subjects.map { ($0.targetID, $0) })
        let evidence = try await desk.currentEvidence(of: subjects.compactMap(\.line))
        var plan = Plan()
        var problems: [Refusal.Problem] = []
        for entry in entries {
            guard let subject = subjectByTarget[entry.targetID] else {
                let message = self.request.t("reportfile.not_a_line", String(entry.targetID))
                problems.append(
                    .init(row: entry.line, text: self.request.t("reportfile.line", String(entry.line), message)))
                continue
            }
            func refuse(_ message: String) {
                let text = self.request.t("reportfile.line_of", String(entry.line), subject.indicator.code, message)
                problems.append(.init(row: entry.line, text: text))
            }
            let links = entry.links

            let line = subject.line
            let current = ReportDesk.content(of: line, evidence: line?.id.flatMap { evidence[$0] } ?? [])
            // A text the spreadsheet gave back with other line ends or spaces at its ends is kept as stored.
            func text(_ uploaded: String, _ stored: String) -> String {
                ReportLinesFile.sameText(uploaded, stored) ? stored : uploaded
            }
            let content = ReportDesk.Content(
                capaian: entry.capaian, narasi: text(entry.narasi, current.narasi),
                kendala: text(entry.kendala, current.kendala),
                tindakLanjut: text(entry.tindakLanjut, current.tindakLanjut),
                links: links == ReportDesk.links(in: current.links) ? current.links : links.joined(separator: "\n"),
                evidence: current.evidence)
            let changed = Field.allCases.filter { field in
                switch field {
                case .capaian: content.capaian != current.capaian
                case .narasi: content.narasi != current.narasi
                case .kendala: content.kendala != current.kendala
                case .tindakLanjut: content.tindakLanjut != current.tindakLanjut
                case .links: content.links != current.links
                }
            }
            let action: ReportAction
            if entry.send {
                action = subject.state == .returned ? .resubmit : .submitForReview
            } else if !changed.isEmpty {
                action = .save
            } else {
                // Whatever its version: a line a colleague only moved on (to review, say) is not this file's concern.
                plan.unchanged += 1
                continue
            }
            // A row that would change a line saved since the download could undo that save.
            guard entry.version == subject.version else {
                refuse(self.request.t("reportfile.stale", String(entry.version), String(subject.version)))
                continue
            }
            if let problem = try await desk.refusal(
                of: action, on: subject, content: content, capaian: content.capaian, expectedVersion: entry.version)
            {
                refuse(self.request.text(for: problem))
            }
            plan.changes.append(
                Change(row: entry.line, subject: subject, action: action, content: content, changedFields: changed))
        }
        return problems.isEmpty ? .success(plan) : .failure(Refusal(problems: problems))
    }

    /// Keeps an uploaded file aside until its uploader applies the preview.
    func keep(_ content: String, named fileName: String, by userID: Int) async throws -> ReportImport {
        let pending = ReportImport(
            instansiID: self.instansiID, triwulanID: try self.triwulan.requireID(), userID: userID,
            fileName: fileName, content: content, now: self.request.application.clock.now())
        try await DeskCommit(database: self.request.db, clock: self.request.application.clock).run(
            [], by: .commandLine
        ) { db in try await pending.create(on: db) }
        return pending
    }

    /// Checks the rows of the kept `upload` again against the lines as they stand and applies them in one
    /// transaction, marking the file applied: all, or, if any is refused, none. Scores move once, for the lines that
    /// had reached Setnas.
    func apply(_ entries: [ReportLinesFile.Entry], of upload: ReportImport) async throws -> Result<Plan, Refusal> {
        do {
            let base = self.request.reportDesk
            return .success(
                try await self.request.db.transaction { db in
                    let desk = base.working(in: db, refreshesScores: false)
                    let plan = try await self.check(entries, desk: desk).get()
                    for change in plan.changes {
                        let done = try await desk.perform(
                            change.action, on: change.subject, content: change.content,
                            expectedVersion: change.subject.version)
                        if case .failure(let problem) = done {
                            let text = self.request.t(
                                "reportfile.line_of", String(change.row), change.subject.indicator.code,
                                self.request.text(for: problem))
                            throw Refusal(problems: [.init(row: change.row, text: text)])
                        }
                    }
                    let counted = plan.changes.filter { $0.subject.line?.firstSubmittedAt != nil }
                    if let cycle = counted.first?.subject.cycle {
                        // The rows' own entries are on the chain already, in this transaction.
                        try await DeskCommit(database: db, clock: base.clock).run(
                            [], by: base.actor?.audit ?? .commandLine,
                            scores: .touching(
                                cycleID: try cycle.requireID(),
                                .init(
                                    indicatorIDs: Set(try counted.map { try $0.subject.indicator.requireID() }),
                                    instansiIDs: [self.instansiID]))
                        ) { _ in () }
                    }
                    upload.appliedAt = base.clock.now()
                    try await upload.save(on: db)
                    return plan
                })
        } catch let refusal as Refusal {
            return .failure(refusal)
        }
    }
}
