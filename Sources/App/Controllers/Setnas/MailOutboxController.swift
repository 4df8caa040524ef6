import Fluent
import Vapor

/// `/setnas/kotak-surat`: the outgoing mail, readable by Admin Setnas in development only, so that invitation and
/// reset links can be followed before mail delivery is set up. In production the page does not exist.
struct MailOutboxController: RouteCollection {
    static let path = "/setnas/kotak-surat"

    func boot(routes: any RoutesBuilder) throws {
        routes.requiring(.readMailOutbox).get("setnas", "kotak-surat", use: self.show)
    }

    struct Message: Encodable {
        let recipient: String
        let subject: String
        let body: String
        let createdAt: String
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
                        createdAt: request.displayFormat.timestamp($0.createdAt))
                }))
    }
}
