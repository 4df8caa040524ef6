import Fluent
import StranasCore
import Vapor

/// A laporan penyimpangan as one of its readers sees it: the reporter (through the receipt code), Setnas, or the
/// instansi it was forwarded to. Only Setnas sees the reporter's contact details.
struct CaseView: Encodable {
    enum Reader {
        case reporter, setnas, instansi
    }

    /// An attachment: its name and size, and for the staff a link to download it.
    struct FileEntry: Encodable {
        let name: String
        let size: String
        let url: String?
    }

    struct Entry: Encodable {
        let author: String
        let step: String?
        let date: String
        let text: String
        let isReporter: Bool
    }

    /// One stage of a case's way (GOV.UK's step-by-step): done with its date, the current one, or still ahead.
    struct Step: Encodable {
        let label: String
        let detail: String?
        /// "done", "current" or "ahead".
        let status: String
        let isCurrent: Bool
    }

    let number: Int
    let version: Int
    let steps: [Step]
    /// Who reads a message written on this case, said under the message box.
    let readers: String
    let state: String
    let stateCode: String
    let isClosed: Bool
    let about: String
    let instansiName: String
    let created: String
    let due: String?
    let isOverdue: Bool
    let body: String
    let contact: String?
    let files: [FileEntry]
    let hasFiles: Bool
    let entries: [Entry]
    let canAccept: Bool
    let canReopen: Bool
    let canVerify: Bool
    let canForward: Bool
    let canReject: Bool
    let canAnswer: Bool
    let canWrite: Bool
    /// For Setnas: the two-person reveals of the contact, and whom it may be opened to.
    let reveals: [RevealEntry]
    let hasReveals: Bool
    let recipients: [Recipient]
    let canReveal: Bool

    struct RevealEntry: Encodable {
        let id: Int
        let recipient: String
        let reason: String
        let requestedBy: String
        let approvedBy: String?
        /// Where the second person approves this reveal.
        let approveURL: String
    }

    struct Recipient: Encodable {
        let id: Int
        let name: String
    }

    static func load(
        _ report: PublicCase, for reader: Reader, request: Request, fileRoute: SiteURL? = nil
    ) async throws -> CaseView {
        let viewerID = request.signedInUser?.user.id
        let desk = CaseDesk(app: request.application, database: request.db)
        try await report.$instansi.load(on: request.db)
        try await report.$aksi.load(on: request.db)
        let messages = try await PublicCaseMessage.query(on: request.db).filter(\.$publicCase.$id == report.requireID())
            .sort(\.$id).all()
        let files = try await PublicCaseFile.query(on: request.db).filter(\.$publicCase.$id == report.requireID())
            .sort(\.$id).all()
        var reveals: [RevealEntry] = []
        var recipients: [Recipient] = []
        if reader == .setnas {
            reveals = try await ContactReveal.query(on: request.db).filter(\.$publicCase.$id == report.requireID())
                .with(\.$recipient).with(\.$requestedBy).with(\.$approvedBy).sort(\.$id).all().map {
                    RevealEntry(
                        id: $0.id!, recipient: $0.recipient.name, reason: $0.reason, requestedBy: $0.requestedBy.name,
                        approvedBy: $0.approvedBy?.name,
                        approveURL: SiteURL.setnasCaseReveal(try report.requireID(), $0.id!))
                }
            recipients = try await desk.revealRecipients(of: report).map { Recipient(id: $0.id!, name: $0.name) }
        }
        let revealed = reader == .instansi ? try await desk.contactIsRevealed(report, to: viewerID) : false
        let showsContact = reader == .setnas || revealed
        let format = request.displayFormat
        func date(_ iso: String?) -> String? { iso.flatMap(CalendarDate.init(iso:)).map { format.date($0) } }
        let today = request.application.clock.today
        var about = report.instansi.name
        if let aksi = report.aksi { about = request.t("aksi.title", String(aksi.number), aksi.title) + " · " + about }
        let state = report.state
        let verifiedOn = messages.first { $0.action == .verify }?.onDate
        return CaseView(
            number: try report.requireID(), version: report.version,
            steps: Self.steps(of: report, verifiedOn: verifiedOn, date: date, request: request),
            readers: [.baru, .diverifikasi].contains(state) || state == .ditolak
                ? request.t("case.readers.setnas")
                : request.t("case.readers.with_instansi", report.instansi.name),
            state: request.t("case.state.\(state.rawValue)"), stateCode: state.rawValue, isClosed: state.isClosed,
            about: about, instansiName: report.instansi.name, created: date(report.createdOn) ?? report.createdOn,
            due: state == .diteruskan ? date(report.dueOn) : nil,
            isOverdue: state == .diteruskan && (report.dueOn ?? "9999") < today.iso,
            body: try desk.body(of: report),
            contact: showsContact ? try desk.contact(of: report) : nil,
            files: try files.map { file in
                FileEntry(
                    name: try desk.name(of: file),
                    size: format.number(Double(file.size) / 1024, maximumFractionDigits: 0) + " KB",
                    url: fileRoute.map { $0(report.id!, file.id!) })
            },
            hasFiles: !files.isEmpty,
            entries: try messages.map { message in
                Entry(
                    author: request.t("case.author.\(message.author.rawValue)"),
                    step: message.action.map { request.t("case.step.\($0.rawValue)") },
                    date: date(message.onDate) ?? message.onDate, text: try desk.text(of: message),
                    isReporter: message.author == .reporter)
            },
            canAccept: reader == .reporter && state == .ditanggapi,
            canReopen: reader == .reporter && state == .ditanggapi && !report.reopened,
            canVerify: reader == .setnas && state == .baru,
            canForward: reader == .setnas && state == .diverifikasi,
            canReject: reader == .setnas && (state == .baru || state == .diverifikasi),
            canAnswer: reader == .instansi && state == .diteruskan,
            canWrite: !state.isClosed && (reader != .instansi || state != .baru),
            reveals: reveals, hasReveals: !reveals.isEmpty, recipients: recipients,
            canReveal: reader == .setnas && report.contact != nil && !recipients.isEmpty)
    }
}

extension CaseView {
    /// The way of a case from BARU to SELESAI (or to DITOLAK), each stage with its date once reached; the
    /// forwarded stage names the instansi's answer deadline, and the answer stage ahead says how long it may take.
    static func steps(
        of report: PublicCase, verifiedOn: String?, date: (String?) -> String?, request: Request
    ) -> [Step] {
        let state = report.state
        let path: [CaseState] =
            state == .ditolak ? [.baru, .ditolak] : [.baru, .diverifikasi, .diteruskan, .ditanggapi, .selesai]
        let reached: [CaseState: String?] = [
            .baru: report.createdOn, .diverifikasi: verifiedOn, .diteruskan: report.forwardedOn,
            .ditanggapi: report.answeredOn, .selesai: report.closedOn, .ditolak: report.closedOn,
        ]
        let current = path.firstIndex(of: state) ?? 0
        return path.enumerated().map { index, stage in
            var detail = index <= current ? reached[stage].flatMap { date($0) } : nil
            if stage == .diteruskan, index <= current, let due = date(report.dueOn) {
                detail = [detail, request.t("case.step_due", due)].compactMap { $0 }.joined(separator: " · ")
            }
            if stage == .ditanggapi, index > current {
                detail = request.t("case.step_answer_within", String(CaseWorkflow.workingDaysToAnswer))
            }
            return Step(
                label: request.t("case.state.\(stage.rawValue)"), detail: detail,
                status: index < current ? "done" : index == current ? "current" : "ahead", isCurrent: index == current)
        }
    }
}

/// The texts of what `CaseDesk` refuses.
enum CaseText {
    static func problem(_ problem: CaseDesk.Problem, request: Request) -> String {
        switch problem {
        case .bodyTooShort: request.t("report.public.error.short")
        case .bodyTooLong: request.t("report.public.error.long", String(CaseDesk.bodyLimit))
        case .contactTooLong: request.t("report.public.error.contact_long", String(CaseDesk.contactLimit))
        case .messageTooLong: request.t("case.error.message_long", String(CaseDesk.messageLimit))
        case .conflict: request.t("case.error.conflict")
        case .refused(.reasonRequired): request.t("case.error.reason")
        case .refused(.alreadyReopened): request.t("case.error.reopened")
        case .refused: request.t("case.error.not_now")
        }
    }
}
