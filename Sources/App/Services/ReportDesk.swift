import Fluent
import Foundation
import StranasCore
import Vapor

/// Everything that reads or changes report lines goes through here: who may see a line, who may act on it, and the
/// one transaction in which an action changes the line, adds its version with the evidence it cites, and appends
/// its audit entry. The states and who may move them are `ReportWorkflow`'s; this adds scope (own instansi, own aksi),
/// the lock day, content rules and optimistic concurrency.
struct ReportDesk {
    let database: any Database
    let clock: AppClock
    /// Who acts; nil for a reader without an account, who may read nothing here.
    let actor: Actor?
    /// Off only for bulk changes (the demo reports, a spreadsheet upload), which refresh the scores once at the end.
    var refreshesScores = true

    var db: any Database { self.database }

    /// The same desk working in `database` (a transaction for changes of many lines that stand or fall together).
    func working(in database: any Database, refreshesScores: Bool) -> ReportDesk {
        ReportDesk(database: database, clock: self.clock, actor: self.actor, refreshesScores: refreshesScores)
    }

    /// Who acts: a signed-in person, or an instansi's system with its API key, which acts as the instansi's Unit
    /// Teknis (it fills lines and sends them to review or back to Setnas; it never reviews, submits or verifies).
    struct Actor: Sendable {
        let userID: Int?
        let roles: Set<Role>
        let instansiID: Int?
        let audit: AuditTrail.Actor

        init(_ person: SignedInUser) {
            self.userID = person.id
            self.roles = person.roles
            self.instansiID = person.instansiID
            self.audit = AuditTrail.Actor(person.user)
        }

        init(_ token: APIToken) {
            self.userID = token.$creator.id
            self.roles = [.unitTeknis]
            self.instansiID = token.$instansi.id
            self.audit = AuditTrail.Actor(id: token.$creator.id, label: "Token API «\(token.name)» (\(token.prefix)…)")
        }
    }

    /// A target with what a report page needs around it.
    struct Subject {
        let target: Target
        let indicator: Indicator
        let aksi: Aksi
        let cycle: Cycle
        let instansi: Instansi
        let triwulan: Triwulan
        var line: ReportLine?

        var state: ReportState { self.line?.state ?? .draft }
        /// The state as pages name it: `none` until the line's first save.
        var stateKey: String { self.version == 0 ? "none" : self.state.rawValue }
        var version: Int { self.line?.version ?? 0 }
        var targetID: Int { self.target.id! }

        /// "2021-2022 5.1.1 · Provinsi Aceh · TW 1": how the audit log names the line.
        var auditSubject: String {
            "\(self.cycle.code) \(self.indicator.code) · \(self.instansi.name) · TW \(self.triwulan.number)"
        }
    }

    /// The line's content as a form sends it.
    struct Content: Equatable {
        var capaian: Double?
        var narasi = ""
        var kendala = ""
        var tindakLanjut = ""
        var links = ""
        var evidence: [EvidenceItem] = []
    }

    struct EvidenceItem: Equatable {
        let sha256: String
        let fileName: String
        let isPublic: Bool
    }

    /// The content a line holds now, with the files its latest version cites.
    static func content(of line: ReportLine?, evidence: [ReportEvidence]) -> Content {
        Content(
            capaian: line?.capaian, narasi: line?.narasi ?? "", kendala: line?.kendala ?? "",
            tindakLanjut: line?.tindakLanjut ?? "", links: line?.links ?? "", evidence: evidence.map(EvidenceItem.init))
    }

    enum Problem: Error, Equatable {
        /// Someone saved the line after the version this request was made from.
        case conflict
        case refused(ReportWorkflow.Refusal)
        /// The person is not of the line's instansi, or not the verifikator of its aksi.
        case outOfScope
        case capaianRequired
        case reasonRequired
        case verifiedValueRequired
        /// Words or links no entry point takes (`ReportContentRules`).
        case content([ReportContentRules.Problem])
    }

    // MARK: - Reading

    func subject(targetID: Int) async throws -> Subject {
        let found = try await Target.query(on: self.db).filter(\.$id == targetID)
            .with(\.$indicator) { $0.with(\.$output) { $0.with(\.$aksi) { $0.with(\.$cycle) } } }
            .with(\.$instansi).with(\.$triwulan).first()
        guard let target = found, target.indicator.output.aksi.cycle.isPublished else {
            throw PageError.notFound("error.report_line_not_found")
        }
        let line = try await ReportLine.query(on: self.db).filter(\.$target.$id == targetID).first()
        return Subject(
            target: target, indicator: target.indicator, aksi: target.indicator.output.aksi,
            cycle: target.indicator.output.aksi.cycle, instansi: target.instansi, triwulan: target.triwulan, line: line)
    }

    /// Every line of an instansi in a triwulan of a published cycle, in plan order, in the same few statements
    /// whatever the number of lines.
    func subjects(instansiID: Int, triwulanID: Int) async throws -> [Subject] {
        let targets = try await Target.query(on: self.db).filter(\.$instansi.$id == instansiID)
            .filter(\.$triwulan.$id == triwulanID)
            .with(\.$indicator) { $0.with(\.$output) { $0.with(\.$aksi) { $0.with(\.$cycle) } } }
            .with(\.$instansi).with(\.$triwulan).all()
            .filter { $0.indicator.output.aksi.cycle.isPublished }
            .sorted { PlanCode.precedes($0.indicator.code, $1.indicator.code) }
        let targetIDs = targets.compactMap(\.id)
        let lines =
            targetIDs.isEmpty ? [] : try await ReportLine.query(on: self.db).filter(\.$target.$id ~~ targetIDs).all()
        let lineByTarget = Dictionary(uniqueKeysWithValues: lines.map { ($0.$target.id, $0) })
        return targets.map { target in
            Subject(
                target: target, indicator: target.indicator, aksi: target.indicator.output.aksi,
                cycle: target.indicator.output.aksi.cycle, instansi: target.instansi, triwulan: target.triwulan,
                line: lineByTarget[target.id!])
        }
    }

    /// A line's links as stored (one per line of the text) as a list.
    static func links(in stored: String) -> [String] {
        stored.split(whereSeparator: \.isNewline).map(String.init)
    }

    /// Whether the instansi may still fill the line: its state takes a save (never sent on, or returned), and it is
    /// not locked.
    func isOpen(_ subject: Subject) -> Bool {
        ReportWorkflow.target(of: .save, from: subject.state) != nil && !self.isLocked(subject)
    }

    /// Whether the signed-in person may read the line: its own instansi, its aksi's verifikator, Admin Setnas, Timnas.
    func canRead(_ subject: Subject) async throws -> Bool {
        guard let actor = self.actor else { return false }
        if actor.roles.contains(.adminSetnas) || actor.roles.contains(.timnas) { return true }
        if actor.instansiID == subject.instansi.id { return true }
        return try await self.isVerifikator(of: subject)
    }

    func isVerifikator(of subject: Subject) async throws -> Bool {
        guard let actor = self.actor, actor.roles.contains(.verifikatorSetnas), let userID = actor.userID else {
            return false
        }
        return try await VerifikatorAssignment.query(on: self.db).filter(\.$user.$id == userID)
            .filter(\.$aksi.$id == subject.aksi.requireID()).first() != nil
    }

    func isLocked(_ subject: Subject) -> Bool {
        ReportWorkflow.isLocked(
            today: self.clock.today, locksOn: CalendarDate(iso: subject.triwulan.locksOn)!,
            reopenedUntil: subject.line?.reopenedUntil.flatMap(CalendarDate.init(iso:)))
    }

    /// The roles the person holds for this line: instansi roles only in their own instansi, the verifikator role only
    /// for the aksi assigned to them.
    func roles(for subject: Subject) async throws -> Set<Role> {
        guard let actor = self.actor else { return [] }
        var roles = actor.roles
        if actor.instansiID != subject.instansi.id { roles.subtract([.unitTeknis, .adminInstansi, .focalPoint]) }
        if roles.contains(.verifikatorSetnas), !(try await self.isVerifikator(of: subject)) {
            roles.remove(.verifikatorSetnas)
        }
        return roles
    }

    func available(_ subject: Subject) async throws -> [ReportAction] {
        ReportWorkflow.available(
            from: subject.state, to: try await self.roles(for: subject), isLocked: self.isLocked(subject))
    }

    func currentEvidence(_ line: ReportLine?) async throws -> [ReportEvidence] {
        guard let line, let lineID = line.id else { return [] }
        return try await self.currentEvidence(of: [line])[lineID] ?? []
    }

    /// The evidence each line's latest version cites, by line id, in two statements whatever the number of lines.
    /// A line's `version` is the number of its latest version.
    func currentEvidence(of lines: [ReportLine]) async throws -> [Int: [ReportEvidence]] {
        let saved = lines.filter { $0.id != nil && $0.version > 0 }
        guard !saved.isEmpty else { return [:] }
        let latest = Dictionary(uniqueKeysWithValues: saved.map { ($0.id!, $0.version) })
        let versions = try await ReportVersion.query(on: self.db).filter(\.$line.$id ~~ Array(latest.keys)).all()
            .filter { latest[$0.$line.id] == $0.number }
        let lineOfVersion = Dictionary(uniqueKeysWithValues: versions.compactMap { v in v.id.map { ($0, v.$line.id) } })
        guard !lineOfVersion.isEmpty else { return [:] }
        let evidence = try await ReportEvidence.query(on: self.db).filter(\.$version.$id ~~ Array(lineOfVersion.keys))
            .with(\.$blob).sort(\.$id).all()
        return Dictionary(grouping: evidence, by: { lineOfVersion[$0.$version.id]! })
    }

    // MARK: - Acting

    /// Takes `action` on the line, with new `content` for the instansi's save-and-send actions (nil keeps it), in one
    /// transaction with its version and audit entry. `expectedVersion` is the version the form was made from.
    @discardableResult
    func perform(
        _ action: ReportAction, on subject: Subject, content: Content?, verifiedValue: Double? = nil,
        note: String? = nil, expectedVersion: Int
    ) async throws -> Result<ReportLine, Problem> {
        let trimmedNote = note?.trimmingCharacters(in: .whitespacesAndNewlines).prefix(4000).description
        let oldContent = Self.content(of: subject.line, evidence: try await self.currentEvidence(subject.line))
        let newContent = content ?? oldContent
        if let problem = try await self.refusal(
            of: action, on: subject, content: content, capaian: newContent.capaian, verifiedValue: verifiedValue,
            note: trimmedNote ?? "", expectedVersion: expectedVersion)
        {
            return .failure(problem)
        }
        guard let actor = self.actor,
            let next = ReportWorkflow.target(of: action, from: subject.state)
        else { return .failure(.outOfScope) }

        let now = self.clock.now()
        let today = self.clock.today
        let line = subject.line ?? ReportLine(targetID: subject.targetID, now: now)
        let previousState = subject.state
        line.state = next
        line.capaian = newContent.capaian
        line.narasi = newContent.narasi
        line.kendala = newContent.kendala
        line.tindakLanjut = newContent.tindakLanjut
        line.links = newContent.links
        line.version = subject.version + 1
        line.updatedAt = now
        if next == .submitted {
            line.lastSubmittedAt = now
            if line.firstSubmittedAt == nil {
                line.firstSubmittedAt = now
                line.timeliness = Timeliness.of(submittedOn: today, dueOn: CalendarDate(iso: subject.triwulan.dueOn)!)
            }
        }
        // The time this decision took, from the submission it answers.
        let decisionDays: Double? =
            (action == .accept || action == .return)
            ? line.lastSubmittedAt.map { max(0, now.timeIntervalSince($0) / 86_400) } : nil
        if action == .return { line.returns += 1 }
        switch action {
        case .accept:
            line.verifiedValue = verifiedValue
            line.verificationNote = trimmedNote.flatMap { $0.isEmpty ? nil : $0 }
            line.$verifikator.id = actor.userID
            line.verifiedAt = now
        case .return:
            line.verifiedValue = nil
            line.verificationNote = trimmedNote
            line.$verifikator.id = actor.userID
            line.verifiedAt = now
        case .reopen:
            line.reopenedUntil = today.adding(days: ReportWorkflow.reopenDays).iso
        case .approveReview, .sendBack:
            line.reviewer = AuditLogController.nameOnly(actor.audit.label)
            line.reviewedAt = now
            line.reviewNote = action == .sendBack ? trimmedNote : nil
        case .submitForReview, .withdraw:
            // A new review decision is due.
            line.reviewer = nil
            line.reviewedAt = nil
            line.reviewNote = nil
        default:
            break
        }

        let version = ReportVersion()
        version.number = line.version
        version.action = action
        version.state = next
        version.capaian = line.capaian
        version.narasi = line.narasi
        version.kendala = line.kendala
        version.tindakLanjut = line.tindakLanjut
        version.links = line.links
        version.verifiedValue = line.verifiedValue
        version.note = [.accept, .return, .reopen, .sendBack].contains(action) ? trimmedNote : nil
        version.$user.id = actor.userID
        version.actor = actor.audit.label
        version.at = now

        var detail = previousState == next ? [] : ["status: \(previousState.rawValue) → \(next.rawValue)"]
        detail += Self.differences(from: oldContent, to: newContent)
        if action == .accept, let value = verifiedValue {
            detail.append("nilai terverifikasi: \(PlanFile.format(value))")
        }
        if action == .reopen, let until = line.reopenedUntil { detail.append("dibuka sampai \(until)") }
        let event = AuditTrail.Event(
            action: .reportLine, subject: "\(subject.auditSubject): \(action.rawValue)",
            detail: detail.joined(separator: "\n"), reason: version.note,
            isPublic: action == .accept || action == .return,
            // Public pages show a line only while it is accepted (its scores move through the refresh below).
            reach: previousState == .accepted || next == .accepted
                ? .topics([
                    .nation, .aksi(try subject.aksi.requireID()), .indicator(try subject.indicator.requireID()),
                    .instansi(try subject.instansi.requireID()),
                ]) : .nothing)
        let evidence = newContent.evidence
        // A line counts in scores and discipline only once it has reached Setnas: drafts and reviews move nothing,
        // and do not pay for a recomputation.
        let scores: DeskCommit.Scores =
            self.refreshesScores && line.firstSubmittedAt != nil
            ? .touching(
                cycleID: try subject.cycle.requireID(),
                .init(
                    indicatorIDs: [try subject.indicator.requireID()], instansiIDs: [try subject.instansi.requireID()]))
            : .untouched
        let clock = self.clock
        let targetID = subject.targetID
        do {
            try await DeskCommit(database: self.db, clock: clock).run([event], by: actor.audit, scores: scores) { db in
                try await line.save(on: db)
                version.$line.id = try line.requireID()
                try await version.create(on: db)
                for item in evidence {
                    try await ReportEvidence(
                        versionID: version.requireID(), sha256: item.sha256, fileName: item.fileName,
                        isPublic: item.isPublic
                    ).create(on: db)
                }
                if action == .return {
                    try await JobQueue(database: db, clock: clock).enqueue(
                        .lineReturned, JobPayload(targetID: targetID, version: line.version),
                        dedupeKey: "baris-dikembalikan|\(targetID)|\(line.version)")
                }
                if action == .sendBack {
                    try await JobQueue(database: db, clock: clock).enqueue(
                        .lineSentBack, JobPayload(targetID: targetID, version: line.version),
                        dedupeKey: "baris-dikembalikan-reviu|\(targetID)|\(line.version)")
                }
                if let decisionDays, let userID = actor.userID {
                    try await VerificationTime(lineID: line.requireID(), userID: userID, days: decisionDays).create(
                        on: db)
                }
            }
        } catch let error as any DatabaseError where error.isConstraintFailure {
            // Another save took this version number (or created the line) first.
            return .failure(.conflict)
        }
        return .success(line)
    }

    /// Why `action` cannot be taken on the line, or nil when it can: the actor's scope, the version the request was
    /// made from, the workflow's state and lock, the content rules for new content, and what the action needs. Every
    /// action asks it before it writes, and the spreadsheet's preview asks it of every row.
    func refusal(
        of action: ReportAction, on subject: Subject, content: Content?, capaian: Double?, verifiedValue: Double? = nil,
        note: String = "", expectedVersion: Int
    ) async throws -> Problem? {
        guard self.actor != nil else { return .outOfScope }
        let roles = try await self.roles(for: subject)
        if roles.isDisjoint(with: ReportWorkflow.roles(for: action)) { return .outOfScope }
        guard expectedVersion == subject.version else { return .conflict }
        if case .failure(let refusal) = ReportWorkflow.transition(
            from: subject.state, action, by: roles, isLocked: self.isLocked(subject))
        {
            return .refused(refusal)
        }
        if let content {
            let problems = ReportContentRules.problems(
                narasi: content.narasi, kendala: content.kendala, tindakLanjut: content.tindakLanjut,
                links: Self.links(in: content.links), capaian: capaian, kind: subject.indicator.kind)
            if !problems.isEmpty { return .content(problems) }
        }
        switch ReportWorkflow.missing(for: action, capaian: capaian, note: note, verifiedValue: verifiedValue) {
        case .capaian: return .capaianRequired
        case .reason: return .reasonRequired
        case .verifiedValue: return .verifiedValueRequired
        case nil: return nil
        }
    }

    /// Keeps an uploaded evidence file: its bytes in `store` under their SHA-256, and its row, once whoever sends the
    /// same bytes. Returns the SHA-256, by which a version cites the file.
    func keep(evidence data: Data, kind: EvidenceKind, in store: BlobStore) async throws -> String {
        let hash = try store.store(data)
        guard try await EvidenceBlob.find(hash, on: self.db) == nil else { return hash }
        let blob = EvidenceBlob(sha256: hash, size: data.count, kind: kind, now: self.clock.now())
        do {
            try await DeskCommit(database: self.db, clock: self.clock).run([], by: .commandLine) { db in
                try await blob.create(on: db)
            }
        } catch let error as any DatabaseError where error.isConstraintFailure {
            // Stored by someone else at the same moment: the same bytes, the same row.
        }
        return hash
    }

    /// Adds a private message between the instansi and Setnas to the line's discussion; it changes nothing in the line.
    /// A discussion can start before anything is filled in: the line then exists, empty, as a draft.
    func comment(_ body: String, on subject: Subject) async throws -> Result<Void, Problem> {
        guard let actor = self.actor, try await self.canRead(subject) else { return .failure(.outOfScope) }
        let now = self.clock.now()
        let targetID = subject.targetID
        try await DeskCommit(database: self.db, clock: self.clock).run([], by: actor.audit) { db in
            let line: ReportLine
            if let existing = try await ReportLine.query(on: db).filter(\.$target.$id == targetID).first() {
                line = existing
            } else {
                line = ReportLine(targetID: targetID, now: now)
                try await line.create(on: db)
            }
            let comment = ReportComment()
            comment.$line.id = try line.requireID()
            comment.$user.id = actor.userID
            comment.author = actor.audit.label
            comment.body = body
            comment.at = now
            try await comment.create(on: db)
        }
        return .success(())
    }

    /// Field by field, what changed between two contents, as audit lines.
    /// `number` writes the capaian: the change log keeps `PlanFile.format`'s machine form ("3.5"), a page passes the
    /// reader's ("3,5").
    static func differences(
        from old: Content, to new: Content, number: (Double) -> String = PlanFile.format
    ) -> [String] {
        var lines: [String] = []
        if old.capaian != new.capaian {
            lines.append("capaian: \(old.capaian.map(number) ?? "–") → \(new.capaian.map(number) ?? "–")")
        }
        for (name, before, after) in [
            ("narasi", old.narasi, new.narasi), ("kendala", old.kendala, new.kendala),
            ("tindak lanjut", old.tindakLanjut, new.tindakLanjut), ("tautan", old.links, new.links),
        ] where before != after {
            lines.append("\(name) diubah")
        }
        let before = Dictionary(old.evidence.map { ($0.sha256, $0) }, uniquingKeysWith: { a, _ in a })
        let after = Dictionary(new.evidence.map { ($0.sha256, $0) }, uniquingKeysWith: { a, _ in a })
        for item in new.evidence where before[item.sha256] == nil {
            lines.append("+ bukti \(item.fileName) sha256 \(item.sha256)\(item.isPublic ? " (publik)" : "")")
        }
        for item in old.evidence where after[item.sha256] == nil {
            lines.append("− bukti \(item.fileName) sha256 \(item.sha256)")
        }
        for item in new.evidence {
            if let previous = before[item.sha256], previous.isPublic != item.isPublic {
                lines.append("bukti \(item.fileName): \(item.isPublic ? "dibuka untuk publik" : "tidak lagi publik")")
            }
        }
        return lines
    }
}

extension ReportDesk.EvidenceItem {
    /// A file as a version cites it.
    init(_ evidence: ReportEvidence) {
        self.init(sha256: evidence.$blob.id, fileName: evidence.fileName, isPublic: evidence.isPublic)
    }
}
