import Fluent
import StranasCore
import Vapor

/// `/jejak`: the public audit log, newest first, with the chain's head so that anyone can note it and notice a
/// rewritten history later. `/setnas/jejak` shows Admin Setnas every entry, drafts and assignments included.
struct AuditLogController: RouteCollection {
    static let pageSize = 50
    var audience = RouteAudience.publicPages

    func boot(routes: any RoutesBuilder) throws {
        switch self.audience {
        case .publicPages: routes.get(SiteURL.auditLog, use: self.publicLog).knowing(query: ["sebelum"])
        case .setnas: routes.requiring(.administerPlan).get(SiteURL.fullAuditLog, use: self.fullLog)
        }
    }

    struct Row: Encodable {
        let sequence: Int
        let at: String
        let actor: String
        let action: String
        let subject: String
        let detail: [String]
        let reason: String?
        let hash: String
        let isPublic: Bool
    }

    struct LogPage: Encodable {
        let page: PageContext
        let isFull: Bool
        let headCount: Int
        let headHash: String
        let rows: [Row]
        let hasRows: Bool
        let olderURL: String?
    }

    @Sendable func publicLog(request: Request) async throws -> View {
        try await self.render(request, full: false)
    }

    @Sendable func fullLog(request: Request) async throws -> View {
        try await self.render(request, full: true)
    }

    private func render(_ request: Request, full: Bool) async throws -> View {
        // Paged by place in the chain: `?sebelum=120` shows the entries before the 120th.
        var query = AuditEntry.query(on: request.db).sort(\.$sequence, .descending).limit(Self.pageSize + 1)
        if !full {
            query = query.filter(\.$isPublic == true)
            request.shows(.trail)
        }
        if let before = try? request.query.get(Int.self, at: "sebelum") { query = query.filter(\.$sequence < before) }
        var entries = try await query.all()
        let hasMore = entries.count > Self.pageSize
        entries = Array(entries.prefix(Self.pageSize))
        let head = try await AuditTrail(database: request.db, clock: request.application.clock).head()
        let log = full ? SiteURL.fullAuditLog : SiteURL.auditLog
        let rows = entries.map { entry in
            Row(
                sequence: entry.sequence, at: request.displayFormat.timestamp(entry.at),
                // The public sees who acted by name; addresses stay with Setnas.
                actor: full ? entry.actor : Self.nameOnly(entry.actor),
                action: request.t("audit.action.\(entry.action)"),
                subject: Self.readable(subject: entry.subject, request: request),
                detail: entry.detail.split(separator: "\n").map { Self.readable(detail: String($0), request: request) },
                reason: entry.reason,
                hash: entry.hash, isPublic: entry.isPublic)
        }
        return try await request.view.render(
            "audit-log",
            LogPage(
                page: PageContext(request: request, title: request.t("audit.title"), cycle: nil), isFull: full,
                headCount: head.count, headHash: head.hash, rows: rows, hasRows: !rows.isEmpty,
                olderURL: hasMore ? entries.last.map { log(query: [("sebelum", String($0.sequence))]) } : nil))
    }

    /// A report line's subject as the chain keeps it ("2021-2022 5.1.1 · LKPP · TW 1: accept") with its action in the
    /// reader's words ("…: Terima"). The chain keeps the code, which a hash must not see change with the language.
    /// A triwulan in it ("TW 1" of the cycle 2021-2022) is named as pages name it ("TW I 2021").
    static func readable(subject: String, request: Request) -> String {
        var subject = subject
        if let cycle = subject.firstMatch(of: /(\d{4})-\d{4}/), let startYear = Int(cycle.1),
            let triwulan = subject.firstMatch(of: /TW ([1-8])\b/), let number = Int(triwulan.1)
        {
            subject.replaceSubrange(
                triwulan.range, with: request.triwulanLabel(number: number, startYear: startYear))
        }
        guard let colon = subject.range(of: ": ", options: .backwards),
            let action = ReportAction(rawValue: String(subject[colon.upperBound...]))
        else { return subject }
        return subject[..<colon.upperBound] + request.t("report.action.\(action.rawValue)")
    }

    /// A detail line with a report line's change of state ("status: submitted → accepted") in the reader's words.
    static func readable(detail: String, request: Request) -> String {
        let prefix = "status: "
        guard detail.hasPrefix(prefix) else { return detail }
        let states = detail.dropFirst(prefix.count).components(separatedBy: " → ").compactMap(ReportState.init)
        guard states.count == 2 else { return detail }
        return request.t(
            "audit.state_change", request.t("report.state.\(states[0].rawValue)"),
            request.t("report.state.\(states[1].rawValue)"))
    }

    /// "Siti Rahma <siti@example.go.id>" → "Siti Rahma".
    static func nameOnly(_ label: String) -> String {
        guard let open = label.lastIndex(of: "<") else { return label }
        return label[..<open].trimmingCharacters(in: .whitespaces)
    }
}
