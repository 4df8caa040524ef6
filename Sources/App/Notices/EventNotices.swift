import Fluent
import StranasCore
import Vapor

/// Notices of single events, each run as its own job right after the event's transaction: a line returned by its
/// verifikator or sent back by the instansi's review, a case forwarded to an instansi, and news for a member of the
/// public who left an e-mail address.
struct EventNotices {
    let app: Application
    var database: any Database { self.app.db }

    /// The instansi's Unit Teknis (its Focal Points when it has none) learn that the verifikator returned a line, with
    /// the reason, while the line is still as returned.
    func lineReturned(targetID: Int, version: Int) async throws {
        guard let line = try await ReportLine.query(on: self.database).filter(\.$target.$id == targetID).first(),
            line.state == .returned, line.version == version,
            let target = try await Target.query(on: self.database).filter(\.$id == targetID).with(\.$indicator)
                .with(\.$triwulan, { $0.with(\.$cycle) }).first()
        else { return }
        let scan = ReminderScan(app: self.app)
        var people = try await scan.people(of: [target.$instansi.id], holding: [.unitTeknis])
        if people.isEmpty { people = try await scan.people(of: [target.$instansi.id], holding: [.focalPoint]) }
        try await self.tell(
            people, topic: .lineReturned, keyPrefix: "dikembalikan", line: line, target: target, texts: "returned",
            body: line.verificationNote ?? "")
    }

    /// The line's author (whoever sent it to review last; the instansi's Unit Teknis when that person is gone) learns
    /// that the instansi's review sent it back to draft, with the reviewer's note, while the line is still as sent back.
    func lineSentBack(targetID: Int, version: Int) async throws {
        guard let line = try await ReportLine.query(on: self.database).filter(\.$target.$id == targetID).first(),
            line.state == .draft, line.version == version, let note = line.reviewNote,
            let target = try await Target.query(on: self.database).filter(\.$id == targetID).with(\.$indicator)
                .with(\.$triwulan, { $0.with(\.$cycle) }).first()
        else { return }
        let lineID = try line.requireID()
        let sent = try await ReportVersion.query(on: self.database).filter(\.$line.$id == lineID)
            .filter(\.$action ~~ [.submitForReview, .save]).sort(\.$number, .descending).first()
        var people: [User] = []
        if let authorID = sent?.$user.id, let author = try await User.find(authorID, on: self.database),
            author.status == .active, author.$instansi.id == target.$instansi.id
        {
            people = [author]
        } else {
            people = try await ReminderScan(app: self.app).people(of: [target.$instansi.id], holding: [.unitTeknis])
        }
        try await self.tell(
            people, topic: .lineSentBack, keyPrefix: "dikembalikan-reviu", line: line, target: target,
            texts: "sent_back", naming: line.reviewer ?? "", body: note)
    }

    /// Tells each person about a line: "notice.`texts`.title" and ".text" with the indicator's code, the triwulan and
    /// `naming`, then `body`; once per person and version of the line.
    private func tell(
        _ people: [User], topic: NoticeTopic, keyPrefix: String, line: ReportLine, target: Target, texts: String,
        naming: String? = nil, body: String
    ) async throws {
        let lineID = try line.requireID()
        let version = line.version
        let targetID = try target.requireID()
        let locales = self.app.locales
        let code = target.indicator.code
        let number = target.triwulan.number
        let startYear = target.triwulan.cycle.startYear
        for person in people {
            let key = "\(keyPrefix)|baris:\(lineID)|\(try person.requireID())|versi:\(version)"
            try await Notifier(app: self.app).tell(person, topic: topic, about: [key], key: { $0 }) { _, language in
                let arguments =
                    [code, locales.triwulanLabel(number: number, startYear: startYear, language)]
                    + (naming.map { [$0] } ?? [])
                return .init(
                    title: locales.text("notice.\(texts).title", language, arguments),
                    text: locales.text("notice.\(texts).text", language, arguments) + "\n\n" + body,
                    link: SiteURL.reportLine(targetID))
            }
        }
    }

    /// What a member of the public who left an address learns: that there is news, and where to read it. Never the
    /// news itself, and for a laporan masyarakat never the receipt code: the address sees only that something moved.
    /// `onceKey` names the news, so that it is told once however often the job runs.
    func publicReply(caseID: Int?, inputID: Int?, event: String, onceKey: String) async throws {
        let key = self.app.sealingKey
        let address: String?
        let link: String
        let topic: String
        /// Setnas's reason, when an usulan or pertanyaan is not published (nothing confidential: it is about the
        /// text the person sent).
        var reason: String?
        if let caseID, let report = try await PublicCase.find(caseID, on: self.database) {
            address = try CaseDesk(app: self.app, database: self.database).contact(of: report)
            link = SiteURL.track()
            topic = "case"
        } else if let inputID, let input = try await PublicInput.find(inputID, on: self.database) {
            address = try input.email.map { try key.openText($0, purpose: InputDesk.emailPurpose) }
            link =
                input.$target.id.map { SiteURL.inputs(query: [("baris", String($0))]) }
                ?? SiteURL.inputs(query: [("instansi", String(input.$instansi.id))])
            topic = "input"
            if event == PublicInputModeration.reject.rawValue { reason = input.moderationNote }
        } else {
            return
        }
        guard let address = address.map(MailAddress.bare), MailAddress.isPlausible(address) else { return }
        let locales = self.app.locales
        // Nothing tells which language a member of the public reads: Indonesian first, then English.
        let parts = [Language.id, .en].map { language in
            (
                locales.text("mail.public.\(topic).\(event)", language)
                    + (reason.map { "\n\n" + locales.text("mail.public.reason", language, [$0]) } ?? ""),
                locales.text("mail.public.\(topic).open", language, [self.app.config.publicURL + link])
            )
        }
        let subject = locales.text("mail.public.\(topic).subject", .id)
        let text =
            parts.map { "\($0.0)\n\n\($0.1)" }.joined(separator: "\n\n---\n\n")
            + "\n\n-- \n" + locales.text("mail.public.footer", .id)
        let now = self.app.clock.now()
        let message = OutboxMessage(
            recipient: OutboxMessage.sealedRecipientLabel, subject: subject, body: text, now: now)
        message.sealedRecipient = try key.seal(address, purpose: OutboxMessage.sealingPurpose)
        let app = self.app
        try await self.database.transaction { db in
            guard try await Notifier.claim(onceKey, now: now, on: db) else { return }
            try await Mailbox.post(message, on: db, app: app)
        }
    }
}
