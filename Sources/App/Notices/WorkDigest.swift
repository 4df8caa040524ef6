import Fluent
import SQLKit
import StranasCore
import Vapor

/// Work that finds its owner: run by each reminder scan, it tells every person of the work that arrived for them
/// since they were last told, in one digest per person, topic and day (Jakarta), so that forty lines sent to review in
/// one evening make one notice, not forty. What arrives after the day's digest waits for the next day's.
///
/// - lines waiting for the instansi's review: its Admin Instansi and Focal Points;
/// - lines waiting for verification: the verifikator assigned to the line's aksi;
/// - a new laporan masyarakat, usulan or pertanyaan: every Admin Setnas.
///
/// Each item is told once (its key names the line's version or the item), and only while it still waits.
struct WorkDigest {
    let app: Application
    var database: any Database { self.app.db }
    var sql: any SQLDatabase { self.app.db as! any SQLDatabase }
    var notifier: Notifier { Notifier(app: self.app) }

    func run() async throws {
        try await self.tellReviewers()
        try await self.tellVerifikators()
        try await self.tellSetnas()
    }

    struct WaitingLine: Decodable, Sendable {
        let lineID: Int
        let version: Int
        let instansiID: Int
        let aksiID: Int
        let code: String
        let instansi: String
        let triwulan: Int
        let startYear: Int

        enum CodingKeys: String, CodingKey {
            case lineID = "line_id", version, instansiID = "instansi_id", aksiID = "aksi_id", code, instansi, triwulan
            case startYear = "start_year"
        }
    }

    private func lines(in state: ReportState) async throws -> [WaitingLine] {
        try await self.sql.raw(
            """
            SELECT l.id AS line_id, l.version, t.instansi_id, o.aksi_id, i.code, s.name AS instansi,
                   w.number AS triwulan, c.start_year
            FROM report_lines l
            JOIN targets t ON t.id = l.target_id
            JOIN indicators i ON i.id = t.indicator_id
            JOIN outputs o ON o.id = i.output_id
            JOIN instansi s ON s.id = t.instansi_id
            JOIN triwulan w ON w.id = t.triwulan_id
            JOIN cycles c ON c.id = w.cycle_id
            WHERE l.state = \(bind: state.rawValue)
            ORDER BY l.id
            """
        ).all(decoding: WaitingLine.self)
    }

    /// Lines sent to review, to the instansi's Admin Instansi and Focal Points.
    private func tellReviewers() async throws {
        let waiting = try await self.lines(in: .review)
        guard !waiting.isEmpty else { return }
        let byInstansi = Dictionary(grouping: waiting, by: \.instansiID)
        let people = try await ReminderScan(app: self.app).people(
            of: Array(byInstansi.keys), holding: [.adminInstansi, .focalPoint])
        for person in people {
            try await self.tell(
                person, .reviewWaiting, byInstansi[person.$instansi.id ?? 0] ?? [], texts: "review_waiting",
                link: SiteURL.instansiReport())
        }
    }

    /// Lines submitted to Setnas, to the verifikators of their aksi.
    private func tellVerifikators() async throws {
        let waiting = try await self.lines(in: .submitted)
        guard !waiting.isEmpty else { return }
        let assignments = try await VerifikatorAssignment.query(on: self.database)
            .filter(\.$aksi.$id ~~ Set(waiting.map(\.aksiID))).with(\.$user).all()
        for (_, rows) in Dictionary(grouping: assignments, by: { $0.$user.id }).sorted(by: { $0.key < $1.key }) {
            let aksi = Set(rows.map { $0.$aksi.id })
            try await self.tell(
                rows[0].user, .verificationWaiting, waiting.filter { aksi.contains($0.aksiID) },
                texts: "verification_waiting", link: SiteURL.verificationQueue())
        }
    }

    private func tell(
        _ person: User, _ topic: NoticeTopic, _ lines: [WaitingLine], texts: String, link: String
    )
        async throws
    {
        let userID = try person.requireID()
        // Once today's digest went, nothing more is told today: no need to read the items' keys.
        guard !lines.isEmpty, try await self.isOpen(self.gate(topic, userID)) else { return }
        let key = { @Sendable (line: WaitingLine) in
            "\(topic.rawValue)|baris:\(line.lineID)|versi:\(line.version)|\(userID)"
        }
        let keys = lines.map(key)
        let unwritten = try await self.notifier.unwritten(keys)
        let fresh = zip(lines, keys).filter { unwritten.contains($0.1) }.map(\.0)
        guard !fresh.isEmpty else { return }
        let locales = self.app.locales
        try await self.notifier.tell(
            person, topic: topic, about: fresh, key: key, gate: self.gate(topic, userID)
        ) { told, language in
            let list = told.map { line -> String in
                let label = locales.triwulanLabel(number: line.triwulan, startYear: line.startYear, language)
                return "- \(line.code) · \(line.instansi) · \(label)"
            }.joined(separator: "\n")
            return .init(
                title: locales.text("notice.\(texts).title", language, [String(told.count)]),
                text: "\(locales.text("notice.\(texts).text", language))\n\n\(list)", link: link)
        }
    }

    /// New laporan masyarakat (by number and instansi only: their content stays on Setnas's pages) and usulan or
    /// pertanyaan waiting for moderation, to every Admin Setnas.
    private func tellSetnas() async throws {
        struct Arrival: Sendable {
            let key: String
            let line: String
            let isCase: Bool
        }
        let cases = try await PublicCase.query(on: self.database).filter(\.$state == .baru).with(\.$instansi)
            .sort(\.$id).all()
        let inputs = try await PublicInput.query(on: self.database).filter(\.$state == .menunggu).with(\.$instansi)
            .sort(\.$id).all()
        guard !cases.isEmpty || !inputs.isEmpty else { return }
        let arrivals =
            try cases.map { Arrival(key: "kasus:\(try $0.requireID())", line: $0.instansi.name, isCase: true) }
            + inputs.map {
                Arrival(key: "masukan:\(try $0.requireID())", line: $0.instansi.name, isCase: false)
            }
        let locales = self.app.locales
        for person in try await ReminderScan(app: self.app).people(of: nil, holding: [.adminSetnas]) {
            let userID = try person.requireID()
            let topic = NoticeTopic.publicInputArrived
            guard try await self.isOpen(self.gate(topic, userID)) else { continue }
            let key = { @Sendable (arrival: Arrival) in "\(topic.rawValue)|\(arrival.key)|\(userID)" }
            let keys = arrivals.map(key)
            let unwritten = try await self.notifier.unwritten(keys)
            let fresh = zip(arrivals, keys).filter { unwritten.contains($0.1) }.map(\.0)
            guard !fresh.isEmpty else { continue }
            let link = fresh.contains(where: \.isCase) ? SiteURL.setnasCases() : SiteURL.setnasInputs()
            try await self.notifier.tell(
                person, topic: topic, about: fresh, key: key,
                gate: self.gate(topic, userID)
            ) { told, language in
                let list = told.map { arrival -> String in
                    let kind = locales.text(
                        arrival.isCase ? "notice.public_arrived.case" : "notice.public_arrived.input", language)
                    return "- \(kind) · \(arrival.line)"
                }.joined(separator: "\n")
                return .init(
                    title: locales.text("notice.public_arrived.title", language, [String(told.count)]),
                    text: "\(locales.text("notice.public_arrived.text", language))\n\n\(list)", link: link)
            }
        }
    }

    private func isOpen(_ gate: String) async throws -> Bool {
        try await !self.notifier.unwritten([gate]).isEmpty
    }

    /// One digest per person, topic and Jakarta day.
    private func gate(_ topic: NoticeTopic, _ userID: Int) -> String {
        "ringkasan|\(topic.rawValue)|\(userID)|\(self.app.clock.today.iso)"
    }
}
