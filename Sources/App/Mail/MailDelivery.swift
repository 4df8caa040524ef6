import Fluent
import NIOConcurrencyHelpers
import StranasCore
import Vapor

/// The `deliverMail` job: sends one outbox message over SMTP and stamps it sent. A failure is written on the message
/// and thrown, so that the job is tried again later and, after its last attempt, shown to Admin Setnas; the message
/// itself stays in the outbox either way.
///
/// Sent once, as far as SMTP allows: the message is stamped sent the moment the server accepts its data, before
/// QUIT, and a runner that dies between the server's 250 and that stamp is the one window left. A message sent again
/// from that window carries the same `Message-ID` and `Date`, so that the receiving side can see it is one message.
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
            date: message.createdAt, messageID: Self.messageID(of: id))
        let stamped = NIOLockedValueBox(false)
        do {
            try await SMTPClient(server: server, eventLoopGroup: app.eventLoopGroup).send(
                from: sender, to: recipient, message: text
            ) {
                try await Self.stampSent(id, at: app.clock.now(), on: app.db)
                stamped.withLockedValue { $0 = true }
                app.metrics.mail("sent")
            }
        } catch {
            // Once stamped the message is delivered, whatever became of QUIT.
            guard !stamped.withLockedValue({ $0 }) else { throw error }
            app.metrics.mail("failed")
            message.lastError = String(describing: error)
            try await message.save(on: app.db)
            throw error
        }
    }

    /// One `Message-ID` per outbox message, whatever the attempt (its local part; `MailComposer` adds the domain).
    static func messageID(of id: Int) -> String { "outbox-\(id)" }

    /// Marks the message sent in one statement, and forgets a member of the public's address: it is kept no longer
    /// than it takes to write to it.
    private static func stampSent(_ id: Int, at now: Date, on database: any Database) async throws {
        try await OutboxMessage.query(on: database).filter(\.$id == id)
            .set(\.$sentAt, to: now).set(\.$lastError, to: nil).set(\.$sealedRecipient, to: nil)
            .update()
    }
}

enum MailDeliveryError: Error, CustomStringConvertible {
    case noServer

    var description: String { "No SMTP server is configured (JAGA_SMTP_HOST); the message stays in the outbox." }
}
