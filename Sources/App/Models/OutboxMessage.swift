import Fluent
import Foundation

/// An e-mail to deliver. Every message waits here first; when an SMTP server is configured a `deliverMail` job sends
/// it and stamps `sentAt` (or records why it could not), and without one it stays here, readable by Admin Setnas in
/// development.
final class OutboxMessage: Model, @unchecked Sendable {
    static let schema = "mail_outbox"

    @ID(custom: "id", generatedBy: .database) var id: Int?
    /// The address, or a placeholder when the address is a member of the public's and sealed (`sealedRecipient`).
    @Field(key: "recipient") var recipient: String
    @Field(key: "subject") var subject: String
    /// Plain text; always present.
    @Field(key: "body") var body: String
    /// The same message as HTML, for the notices; nil for plain-text-only mail.
    @OptionalField(key: "html_body") var htmlBody: String?
    /// A public recipient's address sealed with the portal's key; opened only to send, and erased once sent.
    @OptionalField(key: "sealed_recipient") var sealedRecipient: Data?
    @Field(key: "created_at") var createdAt: Date
    @OptionalField(key: "sent_at") var sentAt: Date?
    /// Why the last delivery attempt failed.
    @OptionalField(key: "last_error") var lastError: String?

    init() {}

    init(recipient: String, subject: String, body: String, htmlBody: String? = nil, now: Date) {
        self.recipient = recipient
        self.subject = subject
        self.body = body
        self.htmlBody = htmlBody
        self.createdAt = now
    }

    /// What stands in `recipient` for a sealed public address.
    static let sealedRecipientLabel = "(alamat pelapor tersegel)"
    static let sealingPurpose = "outbox recipient"
}
