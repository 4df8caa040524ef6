import StranasCore
import Vapor

/// What the base layout needs on every page: the language, the language switch, the page title and, for pages of a
/// cycle, the cycle and its provenance warning.
struct PageContext: Encodable {
    struct CycleSummary: Encodable {
        let code: String
        let name: String
        let provenanceNote: String?
    }

    /// The signed-in person, for the header's name and sign-out button.
    struct Account: Encodable {
        let name: String
        let csrfToken: String
        /// Whether the sign-in is complete: the inbox exists only then, not while the second factor is awaited.
        let hasInbox: Bool
        /// Unread notices, for the header's count.
        let unreadNotices: Int
        /// The header's links to the person's work (`WorkLinks`), once the sign-in is complete.
        let workLinks: [WorkLinks.Link]
    }

    let language: String
    let account: Account?
    let title: String
    let switchLanguageURL: String
    let cycle: CycleSummary?
    /// The audit chain's latest hash, for the footer.
    let chainHead: String?

    init(request: Request, title: String, cycle: Cycle?) {
        self.language = request.language.rawValue
        // Also during a sign-in that waits for its second factor, so that it can be abandoned with "Keluar".
        self.account = request.sessionUser.map {
            Account(
                name: $0.user.name, csrfToken: $0.session.csrfToken, hasInbox: $0.session.stage == .active,
                unreadNotices: $0.unreadNotices,
                workLinks: $0.session.stage == .active
                    ? WorkLinks.links(for: $0.permissions, path: request.url.path) { request.t($0) } : [])
        }
        self.title = title
        let other: Language = request.language == .id ? .en : .id
        var back = request.url.path
        if let query = request.url.query, !query.isEmpty { back += "?" + query }
        self.switchLanguageURL = LanguageController.switchPath(to: other, returningTo: back)
        self.chainHead = request.auditHead.flatMap { $0.count > 0 ? $0.hash : nil }
        self.cycle = cycle.map {
            CycleSummary(code: $0.code, name: $0.name, provenanceNote: $0.provenanceNote)
        }
    }
}
