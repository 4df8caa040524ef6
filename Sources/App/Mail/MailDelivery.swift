import Fluent
import StranasCore
import Vapor

/// The `deliverMail` job: sends one outbox message over SMTP and stamps it sent. A failure is written on the message
/// and thrown, so that the job is tried again later and, after its last attempt, shown to Admin Setnas; the message
/// itself stays in the outbox either way.
enum MailDelivery {
    static func run(_ job: JobQueue.Claimed, app: Application) async throws {
        guard let id = job.payload.messageID, let message = try await OutboxMessage.find(id, on: app.db),
            message.sentAt == nil
        else { return }
        // Without a server the message waits in the outbox; a later configuration and "try again" sends it.
        guard let server = app.config.mailServer else { throw MailDeliveryError.noServer }
        let recipient =
            try message.sealedRecipient.map { try app.sealingKey.openText($0, purpose: OutboxMessage.sealingPurpose) }
            ?? message.recipient
        let sender = MailAddress.bare(server.sender)
        let text = MailComposer.compose(
            from: server.sender, to: recipient, subject: message.subject, text: message.body, html: message.htmlBody,
            date: app.clock.now(), messageID: "outbox-\(id)-\(job.attempts)")
        do {
            try await SMTPClient(server: server, eventLoopGroup: app.eventLoopGroup).send(
                from: sender, to: recipient, message: text)
        } catch {
            message.lastError = String(describing: error)
            try await message.save(on: app.db)
            throw error
        }
        message.sentAt = app.clock.now()
        message.lastError = nil
        // A member of the public's address is kept no longer than it takes to write to it.
        message.sealedRecipient = nil
        try await message.save(on: app.db)
    }
}

enum MailDeliveryError: Error, CustomStringConvertible {
    case noServer

    var description: String { "No SMTP server is configured (JAGA_SMTP_HOST); the message stays in the outbox." }
}
