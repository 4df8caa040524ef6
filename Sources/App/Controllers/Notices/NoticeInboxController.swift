import Fluent
import StranasCore
import Vapor

/// `/notifikasi`: a signed-in person's notices, newest first, with the unread ones marked; opening one marks it read
/// and goes to its page. `/notifikasi/pengaturan`: which reminder e-mails they receive (escalations always).
struct NoticeInboxController: RouteCollection {
    static let pageSize = 100

    func boot(routes: any RoutesBuilder) throws {
        let account = routes.requiring(.useAccount)
        account.get(SiteURL.notices, use: self.list)
        account.post(SiteURL.noticeOpen, use: self.open)
        account.post(SiteURL.noticesReadAll, use: self.markAllRead)
        account.get(SiteURL.noticeSettings, use: self.settings)
        account.post(SiteURL.noticeSettings, use: self.saveSettings)
    }

    struct Item: Encodable {
        let id: Int
        let title: String
        let body: String
        let at: String
        let isUnread: Bool
        let isEscalation: Bool
    }

    struct ListPage: Encodable {
        let page: PageContext
        let csrfToken: String
        let items: [Item]
        let unread: Int
    }

    @Sendable func list(request: Request) async throws -> View {
        let user = try request.requireSignedIn()
        let notices = try await Notice.query(on: request.db).filter(\.$user.$id == user.id)
            .sort(\.$createdAt, .descending).sort(\.$id, .descending).limit(Self.pageSize).all()
        let items = notices.map { notice in
            Item(
                id: notice.id ?? 0, title: notice.title, body: notice.body,
                at: request.displayFormat.timestamp(notice.createdAt), isUnread: notice.readAt == nil,
                isEscalation: notice.topic == .escalation)
        }
        return try await request.view.render(
            "notices",
            ListPage(
                page: PageContext(request: request, title: request.t("notices.title"), cycle: nil),
                csrfToken: request.csrfToken, items: items, unread: user.unreadNotices))
    }

    /// Marks the notice read and goes to what it is about.
    @Sendable func open(request: Request) async throws -> Response {
        let user = try request.requireSignedIn()
        guard let id = request.parameters.get("id", as: Int.self),
            let notice = try await Notice.query(on: request.db).filter(\.$id == id).filter(\.$user.$id == user.id)
                .first()
        else { throw PageError.notFound("error.notice_not_found") }
        try await request.noticeDesk.markRead(notice)
        return request.redirect(to: ReturnPath.local(notice.link), redirectType: .normal)
    }

    @Sendable func markAllRead(request: Request) async throws -> Response {
        let user = try request.requireSignedIn()
        try await request.noticeDesk.markAllRead(of: user.id)
        return request.redirect(to: SiteURL.notices(), redirectType: .normal)
    }

    // MARK: - E-mail settings

    struct TopicChoice: Encodable {
        let topic: String
        let label: String
        let help: String
        let isOn: Bool
        let isFixed: Bool
    }

    struct SettingsPage: Encodable {
        let page: PageContext
        let csrfToken: String
        let topics: [TopicChoice]
        let saved: Bool
    }

    /// The topics that can reach a person with these roles.
    static func topics(for roles: Set<Role>) -> [NoticeTopic] {
        NoticeTopic.allCases.filter { topic in
            switch topic {
            case .reportReminder: !roles.isDisjoint(with: [.unitTeknis, .adminInstansi, .focalPoint])
            case .lineReturned: !roles.isDisjoint(with: [.unitTeknis, .focalPoint])
            case .lineSentBack: roles.contains(.unitTeknis)
            case .verificationReminder, .verificationWaiting: roles.contains(.verifikatorSetnas)
            case .reviewWaiting: !roles.isDisjoint(with: [.adminInstansi, .focalPoint])
            case .publicInputArrived: roles.contains(.adminSetnas)
            case .caseDeadline: roles.contains(.focalPoint)
            case .escalation: roles.contains(.focalPoint) || roles.contains(.adminSetnas)
            }
        }
    }

    @Sendable func settings(request: Request) async throws -> View {
        try await self.renderSettings(request, saved: false)
    }

    private func renderSettings(_ request: Request, saved: Bool) async throws -> View {
        let user = try request.requireSignedIn()
        let off = Set(try await MailOptOut.query(on: request.db).filter(\.$user.$id == user.id).all().map(\.topic))
        let topics = Self.topics(for: user.roles).map { topic in
            TopicChoice(
                topic: topic.rawValue, label: request.t("notices.topic.\(topic.rawValue)"),
                help: request.t("notices.topic.\(topic.rawValue).help"),
                isOn: !off.contains(topic) || !topic.isOptional,
                isFixed: !topic.isOptional)
        }
        return try await request.view.render(
            "notice-settings",
            SettingsPage(
                page: PageContext(request: request, title: request.t("notices.settings_title"), cycle: nil),
                csrfToken: request.csrfToken, topics: topics, saved: saved))
    }

    struct SettingsForm: Content {
        var email: [String]?
    }

    /// The checked topics are mailed, the others not; escalations are mailed whatever the form says.
    @Sendable func saveSettings(request: Request) async throws -> View {
        let user = try request.requireSignedIn()
        let checked = Set((try? request.content.decode(SettingsForm.self))?.email ?? [])
        let offered = Self.topics(for: user.roles).filter(\.isOptional)
        try await request.noticeDesk.mail(
            Set(offered.filter { checked.contains($0.rawValue) }), of: offered, to: user.id)
        return try await self.renderSettings(request, saved: true)
    }
}
