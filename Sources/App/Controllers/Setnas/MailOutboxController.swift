import Fluent
import Vapor

/// `/setnas/kotak-surat`: the outgoing mail and whether each message went out, readable by Admin Setnas in development
/// only, so that invitation and reset links can be followed without a mail server. In production the page does not
/// exist (delivery failures are on `/setnas/pekerjaan`).
struct MailOutboxController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.requiring(.readMailOutbox).get(SiteURL.mailOutbox, use: self.show)
    }

    struct Message: Encodable {
        let recipient: String
        let subject: String
        let body: String
        let createdAt: String
        /// Sent, waiting, or the last delivery error.
        let delivery: String
    }

    struct OutboxPage: Encodable {
        let page: PageContext
        let messages: [Message]
    }

    @Sendable func show(request: Request) async throws -> View {
        guard request.application.config.mode == .development else { throw PageError.notFound() }
        let messages = try await OutboxMessage.query(on: request.db).sort(\.$createdAt, .descending).sort(
            \.$id, .descending
        )
        .limit(200).all()
        return try await request.view.render(
            "mail-outbox",
            OutboxPage(
                page: PageContext(request: request, title: request.t("outbox.title"), cycle: nil),
                messages: messages.map {
                    Message(
                        recipient: $0.recipient, subject: $0.subject, body: $0.body,
                        createdAt: request.displayFormat.timestamp($0.createdAt),
                        delivery: Self.delivery(of: $0, request: request))
                }))
    }

    static func delivery(of message: OutboxMessage, request: Request) -> String {
        if let sent = message.sentAt { return request.t("outbox.sent", request.displayFormat.timestamp(sent)) }
        if let error = message.lastError { return request.t("outbox.failed", error) }
        return request.t(request.application.config.mailServer == nil ? "outbox.kept" : "outbox.waiting")
    }
}
