import Fluent
import Foundation
import StranasCore
import Vapor

/// The only writer of usulan and pertanyaan: takes them in (waiting for Setnas), records Setnas's moderation and the
/// instansi's public answer, each with an audit entry, so that public pages showing them move on (`PageCache`).
struct InputDesk {
    let app: Application
    let database: any Database

    static let bodyLimit = 3_000
    static let authorLimit = 80
    static let emailLimit = 254
    static let emailPurpose = "input email"

    enum Problem: Error, Equatable {
        case bodyTooShort, bodyTooLong, authorTooLong, emailInvalid
        case notNow, reasonRequired, unknownOriginal
    }

    struct Submission {
        let kind: PublicInputKind
        let instansiID: Int
        let aksiID: Int?
        let targetID: Int?
        let author: String
        let email: String
        let body: String
    }

    private var today: String { self.app.clock.today.iso }

    func submit(_ submission: Submission) async throws -> Result<Int, Problem> {
        let body = submission.body.trimmingCharacters(in: .whitespacesAndNewlines)
        let author = submission.author.trimmingCharacters(in: .whitespacesAndNewlines)
        let email = submission.email.trimmingCharacters(in: .whitespacesAndNewlines)
        guard body.count >= 10 else { return .failure(.bodyTooShort) }
        guard body.count <= Self.bodyLimit else { return .failure(.bodyTooLong) }
        guard author.count <= Self.authorLimit else { return .failure(.authorTooLong) }
        guard email.isEmpty || (email.count <= Self.emailLimit && MailAddress.isPlausible(email)) else {
            return .failure(.emailInvalid)
        }
        let input = PublicInput()
        input.kind = submission.kind
        input.state = .menunggu
        input.$instansi.id = submission.instansiID
        input.$aksi.id = submission.aksiID
        input.$target.id = submission.targetID
        input.author = author
        input.email = email.isEmpty ? nil : try self.app.sealingKey.seal(email, purpose: Self.emailPurpose)
        input.body = body
        input.createdOn = self.today
        try await self.database.transaction { db in
            try await input.create(on: db)
            try await self.audit(input, "diterima", user: nil, isPublic: false, on: db)
        }
        return .success(try input.requireID())
    }

    /// Setnas's decision on a waiting item: publish it, refuse it with a reason, or mark it a duplicate of a published
    /// item.
    func moderate(
        _ input: PublicInput, _ decision: PublicInputModeration, note: String, original: Int?, by user: User
    ) async throws -> Result<Void, Problem> {
        guard let state = decision.next(from: input.state) else { return .failure(.notNow) }
        let note = note.trimmingCharacters(in: .whitespacesAndNewlines)
        if decision == .reject && note.isEmpty { return .failure(.reasonRequired) }
        if decision == .duplicate {
            guard let original, original != input.id,
                let target = try await PublicInput.find(original, on: self.database), target.state == .disetujui
            else { return .failure(.unknownOriginal) }
            input.$duplicateOf.id = target.id
        }
        input.state = state
        input.moderatedOn = self.today
        input.moderationNote = note.isEmpty ? nil : note
        try await self.database.transaction { db in
            try await input.save(on: db)
            try await self.audit(input, decision.rawValue, user: user, isPublic: decision == .approve, on: db)
            try await JobQueue(database: db, clock: self.app.clock).enqueue(
                .publicReply, JobPayload(inputID: try input.requireID(), event: decision.rawValue))
        }
        return .success(())
    }

    /// The instansi's answer to a published item, shown under it (it may be revised).
    func answer(_ input: PublicInput, with text: String, by user: User) async throws -> Result<Void, Problem> {
        guard input.state == .disetujui else { return .failure(.notNow) }
        let text = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty else { return .failure(.reasonRequired) }
        guard text.count <= Self.bodyLimit else { return .failure(.bodyTooLong) }
        input.answer = text
        input.answeredOn = self.today
        try await self.database.transaction { db in
            try await input.save(on: db)
            try await self.audit(input, "dijawab", user: user, isPublic: true, on: db)
            try await JobQueue(database: db, clock: self.app.clock).enqueue(
                .publicReply, JobPayload(inputID: try input.requireID(), event: "dijawab"))
        }
        return .success(())
    }

    private func audit(
        _ input: PublicInput, _ detail: String, user: User?, isPublic: Bool, on db: any Database
    )
        async throws
    {
        try await AuditTrail(database: db, clock: self.app.clock).record(
            .init(
                action: .publicInput, subject: "\(input.kind == .usulan ? "Usulan" : "Pertanyaan") #\(input.id ?? 0)",
                detail: detail, isPublic: isPublic, datedByDay: user == nil),
            by: user.map { AuditTrail.Actor($0) } ?? AuditTrail.Actor(id: nil, label: "masyarakat"))
    }
}
