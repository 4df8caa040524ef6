import Fluent
import Vapor

/// `/setnas/log-keamanan`: the latest security events, for Admin Setnas.
struct SecurityLogController: RouteCollection {
    static let pageSize = 200

    func boot(routes: any RoutesBuilder) throws {
        routes.requiring(.readSecurityLog).get(SiteURL.securityLog, use: self.show)
    }

    struct Row: Encodable {
        let at: String
        let kind: String
        let user: String
        let actor: String
        let clientAddress: String
        let outcome: String
    }

    struct LogPage: Encodable {
        let page: PageContext
        let rows: [Row]
    }

    @Sendable func show(request: Request) async throws -> View {
        let events = try await SecurityEvent.query(on: request.db).sort(\.$at, .descending).sort(\.$id, .descending)
            .limit(Self.pageSize).all()
        let ids = Set(events.flatMap { [$0.userID, $0.actorID].compactMap { $0 } })
        let users = ids.isEmpty ? [] : try await User.query(on: request.db).filter(\.$id ~~ Array(ids)).all()
        let emailByID = Dictionary(uniqueKeysWithValues: users.compactMap { user in user.id.map { ($0, user.email) } })
        let rows = events.map { event in
            Row(
                at: request.displayFormat.timestamp(event.at), kind: request.t("security.kind.\(event.kind.rawValue)"),
                user: event.userID.flatMap { emailByID[$0] } ?? event.email ?? "–",
                actor: event.actorID.flatMap { emailByID[$0] } ?? "–", clientAddress: event.clientAddress ?? "–",
                outcome: event.outcome)
        }
        return try await request.view.render(
            "security-log",
            LogPage(page: PageContext(request: request, title: request.t("security.title"), cycle: nil), rows: rows))
    }
}
