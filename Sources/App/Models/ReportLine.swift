import Fluent
import Foundation
import StranasCore

/// An instansi's report on one target in one triwulan: the self-reported capaian with its narrative and evidence,
/// and Setnas's verification. Its state changes only through `ReportWorkflow`; every change adds a `ReportVersion`.
final class ReportLine: Model, @unchecked Sendable {
    static let schema = "report_lines"

    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Parent(key: "target_id") var target: Target
    @Enum(key: "state") var state: ReportState
    /// The instansi's own value (capaian).
    @OptionalField(key: "capaian") var capaian: Double?
    @Field(key: "narasi") var narasi: String
    @Field(key: "kendala") var kendala: String
    @Field(key: "tindak_lanjut") var tindakLanjut: String
    /// Links to evidence elsewhere, one per line.
    @Field(key: "links") var links: String
    /// The number of the latest version; a save from an older one is a conflict.
    @Field(key: "version") var version: Int
    /// The first submission to Setnas: it decides timeliness.
    @OptionalField(key: "first_submitted_at") var firstSubmittedAt: Date?
    /// The latest submission to Setnas: a decision's waiting time counts from it.
    @OptionalField(key: "last_submitted_at") var lastSubmittedAt: Date?
    @OptionalEnum(key: "timeliness") var timeliness: Timeliness?
    /// How many times Setnas returned the line.
    @Field(key: "returns") var returns: Int
    @OptionalField(key: "verified_value") var verifiedValue: Double?
    /// The verifikator's note on acceptance, or the reason of a return.
    @OptionalField(key: "verification_note") var verificationNote: String?
    @OptionalParent(key: "verifikator_id") var verifikator: User?
    @OptionalField(key: "verified_at") var verifiedAt: Date?
    /// Who last decided the instansi's review (approved the line, or sent it back), by name, and when; cleared when
    /// the line goes to review again or its author takes it back.
    @OptionalField(key: "reviewer") var reviewer: String?
    @OptionalField(key: "reviewed_at") var reviewedAt: Date?
    /// The reviewer's note when they sent the line back to draft: the banner its author reads.
    @OptionalField(key: "review_note") var reviewNote: String?
    /// Open for the instansi until this day (ISO) although past the lock day, after Admin Setnas reopened it.
    @OptionalField(key: "reopened_until") var reopenedUntil: String?
    @Field(key: "updated_at") var updatedAt: Date

    @Children(for: \.$line) var versions: [ReportVersion]

    init() {}

    init(targetID: Int, now: Date) {
        self.$target.id = targetID
        self.state = .draft
        self.narasi = ""
        self.kendala = ""
        self.tindakLanjut = ""
        self.links = ""
        self.version = 0
        self.returns = 0
        self.updatedAt = now
    }
}

/// A line as it was after one change: its content, its state, the evidence it cited, who and when.
final class ReportVersion: Model, @unchecked Sendable {
    static let schema = "report_versions"

    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Parent(key: "line_id") var line: ReportLine
    @Field(key: "number") var number: Int
    @Enum(key: "action") var action: ReportAction
    @Enum(key: "state") var state: ReportState
    @OptionalField(key: "capaian") var capaian: Double?
    @Field(key: "narasi") var narasi: String
    @Field(key: "kendala") var kendala: String
    @Field(key: "tindak_lanjut") var tindakLanjut: String
    @Field(key: "links") var links: String
    @OptionalField(key: "verified_value") var verifiedValue: Double?
    /// The reason of a return or reopen, or the verifikator's note.
    @OptionalField(key: "note") var note: String?
    @OptionalParent(key: "user_id") var user: User?
    @Field(key: "actor") var actor: String
    @Field(key: "at") var at: Date

    @Children(for: \.$version) var evidence: [ReportEvidence]

    init() {}
}

/// An evidence file as one version cites it.
final class ReportEvidence: Model, @unchecked Sendable {
    static let schema = "report_evidence"

    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Parent(key: "version_id") var version: ReportVersion
    @Parent(key: "sha256") var blob: EvidenceBlob
    /// The name shown and offered for download (made safe; never a path).
    @Field(key: "file_name") var fileName: String
    /// Shown on public pages once the line is accepted.
    @Field(key: "is_public") var isPublic: Bool

    init() {}

    init(versionID: Int, sha256: String, fileName: String, isPublic: Bool) {
        self.$version.id = versionID
        self.$blob.id = sha256
        self.fileName = fileName
        self.isPublic = isPublic
    }
}

/// A stored file, once, named by the SHA-256 of its bytes (`BlobStore`).
final class EvidenceBlob: Model, @unchecked Sendable {
    static let schema = "evidence_blobs"

    @ID(custom: "sha256", generatedBy: .user) var id: String?
    @Field(key: "size") var size: Int
    @Enum(key: "kind") var kind: EvidenceKind
    @Field(key: "created_at") var createdAt: Date

    init() {}

    init(sha256: String, size: Int, kind: EvidenceKind, now: Date) {
        self.id = sha256
        self.size = size
        self.kind = kind
        self.createdAt = now
    }
}

/// A message in a line's private discussion between the instansi and Setnas.
final class ReportComment: Model, @unchecked Sendable {
    static let schema = "report_comments"

    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Parent(key: "line_id") var line: ReportLine
    @OptionalParent(key: "user_id") var user: User?
    @Field(key: "author") var author: String
    @Field(key: "body") var body: String
    @Field(key: "at") var at: Date

    init() {}
}

/// How long one decision on a line (accept or return) took from the submission before it, for discipline.
final class VerificationTime: Model, @unchecked Sendable {
    static let schema = "verification_times"

    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Parent(key: "line_id") var line: ReportLine
    @OptionalParent(key: "user_id") var user: User?
    @Field(key: "days") var days: Double

    init() {}

    init(lineID: Int, userID: Int?, days: Double) {
        self.$line.id = lineID
        self.$user.id = userID
        self.days = days
    }
}
