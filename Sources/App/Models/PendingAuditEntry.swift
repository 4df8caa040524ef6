import Fluent
import Foundation

/// An audit entry of an anonymous reporter, waiting for its day to end. It carries the day and nothing finer, and
/// the notice its step brings (a job to enqueue), so that neither the chain's order, nor the public head's count, nor
/// a job's timestamps tell when in the day the reporter acted. `AuditTrail.appendDayDated(before:)` moves it into the
/// chain, dated 00:00 of its day, once the day is over.
final class PendingAuditEntry: Model, @unchecked Sendable {
    static let schema = "pending_audit_entries"

    @ID(custom: "id", generatedBy: .database) var id: Int?
    /// The day the reporter acted, ISO ("2026-11-30").
    @Field(key: "day") var day: String
    @Field(key: "actor") var actor: String
    @Field(key: "action") var action: String
    @Field(key: "subject") var subject: String
    @Field(key: "detail") var detail: String
    /// The job the step brings, enqueued when the entry is appended.
    @OptionalField(key: "notice_kind") var noticeKind: String?
    @OptionalField(key: "notice_payload") var noticePayload: String?
    @OptionalField(key: "notice_dedupe_key") var noticeDedupeKey: String?

    init() {}

    init(day: String, actor: String, action: String, subject: String, detail: String) {
        self.day = day
        self.actor = actor
        self.action = action
        self.subject = subject
        self.detail = detail
    }
}
