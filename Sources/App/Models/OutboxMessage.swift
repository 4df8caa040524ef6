import Fluent
import Foundation

/// An e-mail waiting to be delivered. A later issue delivers the outbox over SMTP; until then, and in development,
/// Admin Setnas can read it in the portal.
final class OutboxMessage: Model, @unchecked Sendable {
    static let schema = "mail_outbox"

    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Field(key: "recipient") var recipient: String
    @Field(key: "subject") var subject: String
    @Field(key: "body") var body: String
    @Field(key: "created_at") var createdAt: Date
    @OptionalField(key: "sent_at") var sentAt: Date?

    init() {}

    init(recipient: String, subject: String, body: String, now: Date) {
        self.recipient = recipient
        self.subject = subject
        self.body = body
        self.createdAt = now
    }
}
