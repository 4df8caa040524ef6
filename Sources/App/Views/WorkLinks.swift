import StranasCore

/// The header's links to a signed-in person's daily work, one per kind their permissions give: report, verify, answer
/// the public, run the plan. The rest (users, keys, logs) is on `/beranda`: on a phone the header must stay short.
enum WorkLinks {
    struct Link: Encodable {
        let label: String
        let href: String
        /// Whether the page shown is this link's page, for `aria-current`.
        let isCurrent: Bool
    }

    /// (label key, permission, page), the first permission a person holds of each row giving its link.
    static let rows: [(String, [Permission], String)] = [
        ("nav.work.report", [.viewInstansiReport], SiteURL.instansiReport()),
        ("nav.work.verify", [.verifyReportLines], SiteURL.verificationQueue()),
        ("nav.work.cases", [.submitInstansiReport], SiteURL.instansiCases()),
        ("nav.work.cases", [.handlePublicInput], SiteURL.setnasCases()),
        ("nav.work.plan", [.administerPlan], SiteURL.cycles()),
    ]

    static func links(for permissions: Set<Permission>, path: String, text: (String) -> String) -> [Link] {
        self.rows.filter { !permissions.isDisjoint(with: $0.1) }.map { key, _, href in
            Link(label: text(key), href: href, isCurrent: path == href)
        }
    }
}
