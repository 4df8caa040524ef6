import Fluent
import Foundation
import StranasCore
import Vapor

/// The only writer of laporan penyimpangan: takes a report in, finds a case by its receipt code, and takes each step
/// of `CaseWorkflow` with its note, its dates and its audit entry in one transaction. Everything the reporter or
/// the staff write is sealed with the portal's key before it reaches the database.
struct CaseDesk {
    let app: Application
    let database: any Database

    static let bodyLimit = 10_000
    static let contactLimit = 500
    static let messageLimit = 5_000

    enum Problem: Error, Equatable {
        case bodyTooShort
        case bodyTooLong
        case contactTooLong
        case messageTooLong
        case refused(CaseWorkflow.Refusal)
        /// Someone else took a step on the case since the page was opened.
        case conflict
    }

    /// What a case is about.
    struct Subject: Sendable {
        let instansiID: Int
        let aksiID: Int?
        let targetID: Int?
    }

    private var key: SealingKey { self.app.sealingKey }
    private var today: CalendarDate { self.app.clock.today }

    // MARK: - Taking a report in

    /// A file the reporter attached, already checked (`PublicReportController`).
    struct Attachment {
        let fileName: String
        let kind: EvidenceKind
        let data: Data
    }

    static let attachmentLimit = 3

    /// Stores a new report and returns its receipt code, which exists nowhere else from then on.
    func submit(
        body: String, contact: String, about subject: Subject, attachments: [Attachment] = []
    ) async throws
        -> Result<ReceiptCode, Problem>
    {
        let body = body.trimmingCharacters(in: .whitespacesAndNewlines)
        let contact = contact.trimmingCharacters(in: .whitespacesAndNewlines)
        guard body.count >= 20 else { return .failure(.bodyTooShort) }
        guard body.count <= Self.bodyLimit else { return .failure(.bodyTooLong) }
        guard contact.count <= Self.contactLimit else { return .failure(.contactTooLong) }
        var generator = SystemRandomNumberGenerator()
        let code = ReceiptCode.make(using: &generator)
        // Sealing tens of megabytes is work for the thread pool, and is done before the transaction opens.
        let key = self.key
        let sealedFiles = try await self.app.threadPool.runIfActive {
            try attachments.map { try key.seal($0.data, purpose: SealedFileStore.purpose) }
        }
        try await self.database.transaction { db in
            let report = PublicCase(
                receiptHash: self.hash(of: code), instansiID: subject.instansiID, aksiID: subject.aksiID,
                targetID: subject.targetID, body: try self.key.seal(body, purpose: Self.bodyPurpose),
                contact: contact.isEmpty ? nil : try self.key.seal(contact, purpose: Self.contactPurpose),
                on: self.today.iso)
            try await report.create(on: db)
            // Sealed into the database, not into files: a file's times on disk would keep the moment of the report.
            for (attachment, sealed) in zip(attachments, sealedFiles) {
                // `stored_name` is unique and names no file any more: a random token keeps it so.
                try await PublicCaseFile(
                    caseID: report.requireID(),
                    storedName: "db-" + SecureToken.make().filter { $0.isLetter || $0.isNumber },
                    name: try self.key.seal(attachment.fileName, purpose: Self.fileNamePurpose), kind: attachment.kind,
                    size: attachment.data.count,
                    sealedContent: sealed
                ).create(on: db)
            }
            try await self.audit(report, "diterima", by: Self.reporter, on: db)
        }
        return .success(code)
    }

    /// The case a receipt code belongs to.
    func find(_ code: ReceiptCode) async throws -> PublicCase? {
        try await PublicCase.query(on: self.database).filter(\.$receiptHash == self.hash(of: code)).first()
    }

    // MARK: - Steps

    /// Who takes a step: the reporter (through the receipt code), or a signed-in person of Setnas or the instansi.
    struct Actor {
        let kind: CaseActor
        let user: User?

        var author: PublicCaseMessage.Author {
            switch self.kind {
            case .reporter, .system: .reporter
            case .setnas: .setnas
            case .instansi: .instansi
            }
        }
    }

    /// Takes `action` on the case with its note (a reason, an answer), if the case is still at `expectedVersion`.
    func take(
        _ action: CaseAction, on report: PublicCase, by actor: Actor, note: String?, expectedVersion: Int
    ) async throws -> Result<CaseState, Problem> {
        let note = note?.trimmingCharacters(in: .whitespacesAndNewlines)
        if let note, note.count > Self.messageLimit { return .failure(.messageTooLong) }
        guard report.version == expectedVersion else { return .failure(.conflict) }
        let next = CaseWorkflow.next(
            after: action, from: report.state, by: actor.kind, reason: note, reopenedBefore: report.reopened)
        guard case .success(let state) = next else {
            if case .failure(let refusal) = next { return .failure(.refused(refusal)) }
            return .failure(.conflict)
        }
        do {
            try await self.database.transaction { db in
                // Only one step per version: a second person acting on the same page finds the version moved on.
                guard
                    let current = try await PublicCase.query(on: db).filter(\.$id == report.requireID())
                        .filter(\.$version == expectedVersion).first()
                else { throw Problem.conflict }
                current.state = state
                current.version += 1
                switch action {
                case .forward, .reopen:
                    current.forwardedOn = self.today.iso
                    current.dueOn =
                        self.app.workingCalendar.deadline(
                            after: self.today, workingDays: CaseWorkflow.workingDaysToAnswer
                        ).iso
                    if action == .reopen { current.reopened = true }
                case .answer: current.answeredOn = self.today.iso
                case .accept, .expire, .reject: current.closedOn = self.today.iso
                case .verify: break
                }
                try await current.save(on: db)
                if let note, !note.isEmpty {
                    try await PublicCaseMessage(
                        caseID: current.requireID(), author: actor.author, userID: actor.user?.id, action: action,
                        body: try self.key.seal(note, purpose: Self.messagePurpose), on: self.today.iso
                    ).create(on: db)
                }
                let notices = try Self.notices(after: action, on: current)
                if actor.kind == .reporter {
                    // What the reporter's step brings waits with its audit entry for the day to end.
                    try await self.audit(current, action.rawValue, by: actor, deferring: notices.first, on: db)
                } else {
                    try await self.audit(current, action.rawValue, by: actor, on: db)
                    let queue = JobQueue(database: db, clock: self.app.clock)
                    for notice in notices {
                        try await queue.enqueue(notice.kind, notice.payload, dedupeKey: notice.dedupeKey)
                    }
                }
                report.state = current.state
                report.version = current.version
            }
        } catch Problem.conflict {
            return .failure(.conflict)
        }
        return .success(state)
    }

    /// Adds a message to the conversation without a step. Open cases only.
    func say(_ text: String, on report: PublicCase, by actor: Actor) async throws -> Result<Void, Problem> {
        let text = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty else { return .failure(.refused(.reasonRequired)) }
        guard text.count <= Self.messageLimit else { return .failure(.messageTooLong) }
        guard !report.state.isClosed else { return .failure(.refused(.notNow)) }
        try await self.database.transaction { db in
            try await PublicCaseMessage(
                caseID: report.requireID(), author: actor.author, userID: actor.user?.id, action: nil,
                body: try self.key.seal(text, purpose: Self.messagePurpose), on: self.today.iso
            ).create(on: db)
            try await self.audit(report, "pesan", by: actor, on: db)
            if actor.kind != .reporter {
                try await JobQueue(database: db, clock: self.app.clock).enqueue(
                    .publicReply, JobPayload(caseID: try report.requireID(), event: "pesan"))
            }
        }
        return .success(())
    }

    /// The notices a step brings, as jobs: the instansi's deadline notices when a case is forwarded (again), and news
    /// for a reporter who left an e-mail address when their case is answered or refused.
    private static func notices(
        after action: CaseAction, on report: PublicCase
    ) throws -> [AuditTrail.DeferredNotice] {
        let caseID = try report.requireID()
        switch action {
        case .forward, .reopen:
            return [
                .init(
                    kind: .caseNotice, payload: JobPayload(caseID: caseID),
                    dedupeKey: "laporan-masyarakat|\(caseID)|\(report.version)")
            ]
        case .answer:
            return [.init(kind: .publicReply, payload: JobPayload(caseID: caseID, event: "dijawab"), dedupeKey: nil)]
        case .reject:
            return [.init(kind: .publicReply, payload: JobPayload(caseID: caseID, event: "ditolak"), dedupeKey: nil)]
        case .verify, .accept, .expire: return []
        }
    }

    /// A file's bytes (`PublicCaseFile.content`).
    func content(of file: PublicCaseFile) throws -> Data {
        try file.content(app: self.app)
    }

    // MARK: - Opening the contact to someone else

    enum RevealProblem: Error, Equatable {
        case reasonRequired, noContact, unknownRecipient, ownRequest, alreadyApproved
    }

    /// The people a reporter's contact may ever be opened to: active members of Timnas PK, and nobody of the instansi
    /// reported (whatever role they also hold), which is what `/lapor` promises the reporter (ADR 0018).
    func revealRecipients(of report: PublicCase) async throws -> [User] {
        let timnas = try await UserRole.query(on: self.database).filter(\.$role == .timnas).all().map { $0.$user.id }
        return try await User.query(on: self.database).filter(\.$id ~~ Set(timnas)).filter(\.$status == .active)
            .sort(\.$name).all()
            .filter { $0.$instansi.id == nil || $0.$instansi.id != report.$instansi.id }
    }

    /// The first of the two acts: an Admin Setnas asks, with a reason, to open the contact to `recipientID`.
    func requestReveal(
        of report: PublicCase, to recipientID: Int, reason: String, by user: User
    ) async throws
        -> Result<Void, RevealProblem>
    {
        let reason = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard report.contact != nil else { return .failure(.noContact) }
        guard !reason.isEmpty else { return .failure(.reasonRequired) }
        guard try await self.revealRecipients(of: report).contains(where: { $0.id == recipientID }) else {
            return .failure(.unknownRecipient)
        }
        try await self.database.transaction { db in
            try await ContactReveal(
                caseID: report.requireID(), recipientID: recipientID, requestedBy: user.requireID(), reason: reason,
                at: self.app.clock.now()
            ).create(on: db)
            try await AuditTrail(database: db, clock: self.app.clock).record(
                .init(
                    action: .publicCase, subject: Self.subject(of: report),
                    detail: "permintaan membuka kontak pelapor untuk pengguna #\(recipientID)", reason: reason,
                    isPublic: false),
                by: AuditTrail.Actor(user))
        }
        return .success(())
    }

    /// The second act: another Admin Setnas approves; from then on the recipient sees the contact.
    func approveReveal(
        _ reveal: ContactReveal, of report: PublicCase, by user: User
    ) async throws
        -> Result<Void, RevealProblem>
    {
        guard reveal.approvedAt == nil else { return .failure(.alreadyApproved) }
        guard reveal.$requestedBy.id != user.id else { return .failure(.ownRequest) }
        reveal.$approvedBy.id = user.id
        reveal.approvedAt = self.app.clock.now()
        try await self.database.transaction { db in
            try await reveal.save(on: db)
            try await AuditTrail(database: db, clock: self.app.clock).record(
                .init(
                    action: .publicCase, subject: Self.subject(of: report),
                    detail: "persetujuan membuka kontak pelapor untuk pengguna #\(reveal.$recipient.id)",
                    reason: reveal.reason, isPublic: false),
                by: AuditTrail.Actor(user))
        }
        return .success(())
    }

    /// Whether the contact is open to this person by an approved reveal.
    func contactIsRevealed(_ report: PublicCase, to userID: Int?) async throws -> Bool {
        guard let userID else { return false }
        return try await ContactReveal.query(on: self.database).filter(\.$publicCase.$id == report.requireID())
            .filter(\.$recipient.$id == userID).filter(\.$approvedAt != nil).first() != nil
    }

    /// Closes the answered cases whose reporter has not replied within 14 days (the reminder scan's housekeeping).
    func closeUnansweredCases() async throws {
        let limit = self.today.adding(days: -CaseWorkflow.daysToAcceptAnswer).iso
        let stale = try await PublicCase.query(on: self.database).filter(\.$state == .ditanggapi)
            .filter(\.$answeredOn < limit).all()
        for report in stale {
            _ = try await self.take(
                .expire, on: report, by: Actor(kind: .system, user: nil), note: nil, expectedVersion: report.version)
        }
    }

    // MARK: - Reading

    func body(of report: PublicCase) throws -> String {
        try self.key.openText(report.body, purpose: Self.bodyPurpose)
    }

    func contact(of report: PublicCase) throws -> String? {
        try report.contact.map { try self.key.openText($0, purpose: Self.contactPurpose) }
    }

    func name(of file: PublicCaseFile) throws -> String {
        try self.key.openText(file.name, purpose: Self.fileNamePurpose)
    }

    func text(of message: PublicCaseMessage) throws -> String {
        try self.key.openText(message.body, purpose: Self.messagePurpose)
    }

    // MARK: - Internals

    static let bodyPurpose = "case body"
    static let contactPurpose = "case contact"
    static let messagePurpose = "case message"
    static let fileNamePurpose = "case file name"
    static let receiptPurpose = "receipt code"
    static let reporter = Actor(kind: .reporter, user: nil)

    func hash(of code: ReceiptCode) -> String {
        self.key.keyedHash(code.digits, purpose: Self.receiptPurpose)
    }

    static func subject(of report: PublicCase) -> String { "Laporan masyarakat #\(report.id ?? 0)" }

    /// Non-public; steps of the reporter are dated by the day only and join the chain when the day is over, with the
    /// notice they bring (`AuditTrail.appendDayDated`). Other steps can move the counts of forwarded, answered and
    /// late reports on the instansi's public scorecard, so they reach its page.
    private func audit(
        _ report: PublicCase, _ detail: String, by actor: Actor, deferring notice: AuditTrail.DeferredNotice? = nil,
        on db: any Database
    ) async throws {
        let auditActor =
            actor.user.map { AuditTrail.Actor($0) }
            ?? AuditTrail.Actor(id: nil, label: actor.kind == .system ? "sistem" : "pelapor")
        try await AuditTrail(database: db, clock: self.app.clock).record(
            .init(
                action: .publicCase, subject: Self.subject(of: report), detail: detail, isPublic: false,
                reach: actor.kind == .reporter ? .nothing : .topics([.instansi(report.$instansi.id)]),
                datedByDay: actor.kind == .reporter, deferredNotice: notice),
            by: auditActor)
    }
}
