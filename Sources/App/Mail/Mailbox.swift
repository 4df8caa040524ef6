import Fluent
import Vapor

/// Where every e-mail starts: the outbox row, and with an SMTP server configured, the job that delivers it, in the
/// caller's transaction, so that a message is either recorded and on its way or not there at all.
enum Mailbox {
    static func post(_ message: OutboxMessage, on database: any Database, app: Application) async throws {
        try await message.create(on: database)
        guard app.config.mailServer != nil else { return }
        let id = try message.requireID()
        try await JobQueue(database: database, clock: app.clock).enqueue(
            .deliverMail, JobPayload(messageID: id), dedupeKey: "kirim-surat|\(id)")
    }
}
