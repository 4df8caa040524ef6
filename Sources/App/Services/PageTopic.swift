/// A part of what the public pages show, kept with a generation so that a change empties only the pages that show
/// it (ADR 0022). A cached page remembers the topics it was rendered from; a change bumps the topics it reaches in
/// the transaction that makes it (`PageGenerations`).
struct PageTopic: Hashable, Sendable, Comparable {
    let name: String

    /// Everything public at once: the plan, cycles, instansi, publishing, targets, the public's reports and input.
    /// Every cached page depends on it; a public change that names no narrower reach bumps it.
    static let site = PageTopic(name: "site")
    /// Any public change, narrow or not: what a page that declares nothing depends on.
    static let anything = PageTopic(name: "public")
    /// The audit chain: every appended entry moves it.
    static let trail = PageTopic(name: "trail")
    /// National numbers and lists: the nation's, fokus' and every instansi's scores and discipline, the verified
    /// lines as one list.
    static let nation = PageTopic(name: "nation")
    /// Which triwulan a page shows when none is asked for: the latest with claims anywhere in the country.
    static let shownTriwulan = PageTopic(name: "triwulan")

    /// One aksi's scores, its instansi's scores within it, and its latest verified lines.
    static func aksi(_ id: Int) -> PageTopic { PageTopic(name: "aksi:\(id)") }
    /// One indicator's verified lines (its page shows no score).
    static func indicator(_ id: Int) -> PageTopic { PageTopic(name: "indikator:\(id)") }
    /// One instansi's scores, discipline and verified lines.
    static func instansi(_ id: Int) -> PageTopic { PageTopic(name: "instansi:\(id)") }

    static func < (lhs: PageTopic, rhs: PageTopic) -> Bool { lhs.name < rhs.name }
}

/// Which public pages a change shows on.
enum PageReach: Sendable, Equatable {
    /// None: a draft, a review step, a private comment.
    case nothing
    /// These topics only.
    case topics(Set<PageTopic>)
    /// Every page.
    case everything

    /// The topics to bump: a narrow reach moves `anything` too, which the pages that declare nothing depend on.
    var bumped: Set<PageTopic> {
        switch self {
        case .nothing: []
        case .topics(let topics): topics.isEmpty ? [] : topics.union([.anything])
        case .everything: [.site, .anything]
        }
    }
}
