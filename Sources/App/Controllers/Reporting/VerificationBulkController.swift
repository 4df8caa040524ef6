import Fluent
import StranasCore
import Vapor

/// A verifikator's decision on many lines at once, in two steps: `/verifikasi/periksa` lists the lines chosen from
/// the filtered queue (or all it keeps) as they would be accepted, each with its claim as the verified value, and
/// changes nothing; `/verifikasi/terima` accepts exactly those lines at the versions listed. Each line moves through
/// `ReportDesk` on its own, with its version, audit entry and notices; the lines are written in transactions of at
/// most `batchSize`, each ending with the score refresh its lines bring, so that a long list holds the database for
/// moments, not minutes. A line that changed since the list was made (withdrawn, returned by another verifikator) is
/// left as it is and named; the others are accepted.
struct VerificationBulkController: RouteCollection {
    /// Lines accepted in one transaction.
    static let batchSize = 50

    func boot(routes: any RoutesBuilder) throws {
        let verifikator = routes.requiring(.verifyReportLines)
        verifikator.post(SiteURL.verificationCheck, use: self.check)
        verifikator.post(SiteURL.verificationAccept, use: self.accept)
    }

    struct ChoiceForm: Content {
        var baris: [Int]?
        var semua: String?
    }

    struct CheckedRow: Encodable {
        let targetID: Int
        let instansi: String
        let indicatorCode: String
        let indicatorName: String
        let triwulan: String
        let target: String
        let value: String
        let evidence: String
        let warnings: [String]
        let hasWarnings: Bool
        /// "target:version": the line as it was listed.
        let checked: String
    }

    struct CheckPage: Encodable {
        let page: PageContext
        let csrfToken: String
        let rows: [CheckedRow]
        let count: Int
        let withoutValue: Int
        let withoutEvidence: Int
        let acceptURL: String
        let backURL: String
    }

    /// "Check before accepting": the chosen lines of the filtered queue (or, with `semua`, every line it keeps).
    @Sendable func check(request: Request) async throws -> Response {
        let form = (try? request.content.decode(ChoiceForm.self)) ?? ChoiceForm()
        let (_, kept, filters) = try await VerificationQueueController.queue(for: request)
        let asked = Set(form.baris ?? [])
        let chosen = form.semua != nil ? kept : kept.filter { asked.contains($0.targetID) }
        // A line without a claimed value has nothing to accept at once: it is opened and decided on its own.
        let acceptable = chosen.filter { $0.capaian != nil }
        guard !acceptable.isEmpty else {
            let key = chosen.isEmpty ? "queue.error.nothing_chosen" : "queue.error.no_value"
            return try await VerificationQueueController.render(
                request, errors: [request.t(key)], status: .unprocessableEntity)
        }
        let format = request.displayFormat
        var withoutEvidence = 0
        let rows = acceptable.map { line -> CheckedRow in
            let links = ReportContentRules.links(in: line.links ?? "").count
            var warnings: [String] = []
            if line.files == 0 && links == 0 {
                warnings.append(request.t("queue.check.no_evidence"))
                withoutEvidence += 1
            }
            if let claim = line.capaian, claim > line.target {
                warnings.append(request.t("queue.check.above_target"))
            }
            return CheckedRow(
                targetID: line.targetID, instansi: line.instansi, indicatorCode: line.code,
                indicatorName: line.description,
                triwulan: request.triwulanLabel(number: line.triwulan, startYear: line.startYear),
                target: format.number(line.target), value: line.capaian.map { format.number($0) } ?? "–",
                evidence: request.t("queue.evidence", String(line.files), String(links)), warnings: warnings,
                hasWarnings: !warnings.isEmpty,
                checked: CheckedLine(targetID: line.targetID, version: line.version).formValue)
        }
        let page = CheckPage(
            page: PageContext(request: request, title: request.t("queue.check.title"), cycle: nil),
            csrfToken: request.csrfToken, rows: rows, count: rows.count,
            withoutValue: chosen.count - acceptable.count, withoutEvidence: withoutEvidence,
            acceptURL: SiteURL.verificationAccept(query: filters.query),
            backURL: SiteURL.verificationQueue(query: filters.query))
        return try await request.view.render("verification-check", page).encodeResponse(for: request)
    }

    struct AcceptForm: Content {
        var diperiksa: [String]?
    }

    /// Accepts the listed lines, each at the version listed, with its claim as the verified value.
    @Sendable func accept(request: Request) async throws -> Response {
        let form = (try? request.content.decode(AcceptForm.self)) ?? AcceptForm()
        let listed = try CheckedLine.all(in: form.diperiksa)
        guard !listed.isEmpty else {
            return try await VerificationQueueController.render(
                request, errors: [request.t("queue.error.nothing_chosen")], status: .unprocessableEntity)
        }
        let base = request.reportDesk
        var accepted = 0
        var skipped: [String] = []
        var start = 0
        while start < listed.count {
            let batch = listed[start..<min(start + Self.batchSize, listed.count)]
            start += Self.batchSize
            let outcome = try await request.db.transaction { db in
                try await Self.accept(
                    Array(batch), desk: base.working(in: db, refreshesScores: false), on: db, request: request)
            }
            accepted += outcome.accepted
            skipped += outcome.skipped
        }
        guard skipped.isEmpty else {
            return try await VerificationQueueController.render(
                request, accepted: accepted,
                errors: [request.t("queue.error.some_skipped", String(skipped.count))] + skipped,
                status: .conflict)
        }
        let filters = VerificationQueueController.Filters(request)
        return request.redirect(
            to: SiteURL.verificationQueue(query: filters.query + [("diterima", String(accepted))]))
    }

    /// Accepts one batch in `db`, then refreshes the scores its accepted lines move, per cycle. Returns how many were
    /// accepted and, for each line refused, why, in the reader's language.
    private static func accept(
        _ batch: [CheckedLine], desk: ReportDesk, on db: any Database, request: Request
    ) async throws -> (accepted: Int, skipped: [String]) {
        var skipped: [String] = []
        var moved: [Int: ScoreBook.Change] = [:]
        var accepted = 0
        for item in batch {
            guard let subject = try? await desk.subject(targetID: item.targetID), try await desk.canRead(subject) else {
                skipped.append(request.t("error.report_line_not_found"))
                continue
            }
            let result = try await desk.perform(
                .accept, on: subject, content: nil, verifiedValue: subject.line?.capaian, note: nil,
                expectedVersion: item.version)
            switch result {
            case .success:
                accepted += 1
                let cycleID = try subject.cycle.requireID()
                var change = moved[cycleID] ?? ScoreBook.Change(indicatorIDs: [], instansiIDs: [])
                change.indicatorIDs.insert(try subject.indicator.requireID())
                change.instansiIDs.insert(try subject.instansi.requireID())
                moved[cycleID] = change
            case .failure(let problem):
                skipped.append(
                    request.t(
                        "queue.error.skipped", subject.indicator.code, subject.instansi.name,
                        request.text(for: problem)))
            }
        }
        for (cycleID, change) in moved.sorted(by: { $0.key < $1.key }) {
            // The lines' own entries are on the chain already, in this transaction.
            try await DeskCommit(database: db, clock: desk.clock).run(
                [], by: desk.actor?.audit ?? .commandLine, scores: .touching(cycleID: cycleID, change)
            ) { _ in () }
        }
        return (accepted, skipped)
    }
}
