import Fluent
import Foundation
import StranasCore
import Testing
import VaporTesting

@testable import App

@Suite("Maintained scores", .serialized)
struct ScoreBookTests {
    /// A small deterministic generator, so that a failing sequence can be replayed.
    struct Generator: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            self.state = self.state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return self.state
        }
    }

    func book(_ app: Application) -> ScoreBook { ScoreBook(database: app.db, today: app.clock.today) }

    @Test(
        "after a long random sequence of reports, verifications, returns and target revisions, the scores kept up to date equal a rebuild from scratch"
    )
    func rebuildEqualsIncremental() async throws {
        try await withJagaApp { app in
            var cast = try await ReportingFixture.cast(app)
            let cycle = try #require(try await Cycle.find(code: "2021-2022", on: app.db))
            let cycleID = try cycle.requireID()
            try await self.book(app).rebuild()
            let before = try await self.book(app).stored(cycleID: cycleID)
            #expect(before.scores[.init(triwulan: 1, voice: .verified, scope: .national, subjectID: 0, aksiID: 0)] == 0)

            // Aceh's TW I targets of aksi 5, the verifikator's aksi.
            let aceh = try #require(try await Instansi.query(on: app.db).filter(\.$name == "Provinsi Aceh").first())
            let aksi5 = try #require(try await Aksi.query(on: app.db).filter(\.$number == 5).first())
            let targets = try await Target.query(on: app.db).filter(\.$instansi.$id == aceh.requireID())
                .join(Triwulan.self, on: \Target.$triwulan.$id == \Triwulan.$id).filter(Triwulan.self, \.$number == 1)
                .join(Indicator.self, on: \Target.$indicator.$id == \Indicator.$id)
                .join(PlanOutput.self, on: \Indicator.$output.$id == \PlanOutput.$id)
                .filter(PlanOutput.self, \.$aksi.$id == aksi5.requireID())
                .with(\.$indicator).all()
            #expect(targets.count >= 2)

            var random = Generator(state: 2021)
            var kinds: [String: Int] = [:]
            for step in 1...26 {
                let target = targets[Int.random(in: 0..<targets.count, using: &random)]
                let targetID = try target.requireID()
                let path = SiteURL.reportLine(targetID)
                let line = try await ReportLine.query(on: app.db).filter(\.$target.$id == targetID).first()
                let value = String(Int.random(in: 0...12, using: &random))
                let kind: String
                switch line.map({ $0.version == 0 ? ReportState.draft : $0.state }) ?? .draft {
                case .draft:
                    kind = Bool.random(using: &random) ? "save" : "submit_for_review"
                    try await self.save(&cast.unitTeknis, path, action: kind, capaian: value)
                case .review:
                    kind = Bool.random(using: &random) ? "approve_review" : "send_back"
                    try await self.act(
                        &cast.focalPoint, path, kind, version: line!.version, note: "Lampirkan berita acara rapat.")
                case .reviewed:
                    kind = "submit_to_setnas"
                    try await self.submit(&cast.focalPoint, targetID)
                case .submitted:
                    kind = Bool.random(using: &random) ? "accept" : "return"
                    try await self.act(
                        &cast.verifikator, path, kind, version: line!.version, value: value,
                        note: "Dicocokkan dengan berita acara triwulan ini.")
                case .returned:
                    kind = "resubmit"
                    try await self.save(&cast.unitTeknis, path, action: kind, capaian: value)
                case .accepted:
                    kind = "revision"
                    try await self.revise(&cast.setnas, target, instansiID: aceh.requireID(), to: value)
                }
                kinds[kind, default: 0] += 1
                // Kept up to date along the way, without a rebuild (every few steps: each check reads the whole cycle).
                if step % 4 == 0 {
                    let stored = try await self.book(app).stored(cycleID: cycleID)
                    #expect(
                        stored == (try await self.book(app).compute(cycleID: cycleID)), "after step \(step), \(kind)")
                }
            }
            #expect(
                kinds["accept", default: 0] > 0 && kinds["return", default: 0] > 0 && kinds["revision", default: 0] > 0)
            let maintained = try await self.book(app).stored(cycleID: cycleID)
            #expect(maintained != before)
            try await self.book(app).rebuild()
            #expect(try await self.book(app).stored(cycleID: cycleID) == maintained)
        }
    }

    @Test(
        "a refresh narrowed to the changed lines keeps every score equal to a full computation, across instansi and aksi"
    )
    func narrowedRefresh() async throws {
        try await withJagaApp { app in
            let cycle = try #require(try await Cycle.find(code: "2021-2022", on: app.db))
            let cycleID = try cycle.requireID()
            let verifikators = [
                try await makeAccount([.verifikatorSetnas], instansi: nil, on: app).user.requireID(),
                try await makeAccount([.verifikatorSetnas], instansi: nil, on: app).user.requireID(),
            ]
            // Targets of the first year, of every aksi and every kind of instansi.
            let targets = try await Target.query(on: app.db)
                .join(Triwulan.self, on: \Target.$triwulan.$id == \Triwulan.$id)
                .filter(Triwulan.self, \.$cycle.$id == cycleID).filter(Triwulan.self, \.$number <= 4)
                .sort(\.$id).all()
            var generator = Generator(state: 20_260_611)
            let book = self.book(app)
            try await book.rebuild()
            let before = try await book.stored(cycleID: cycleID)
            let states: [ReportState] = [.draft, .review, .reviewed, .submitted, .accepted, .returned]
            var touchedAksi = Set<Int>()
            var touchedInstansi = Set<Int>()

            for step in 1...40 {
                // One to three lines change at once (a focal point submits several), each in its own way.
                var change = ScoreBook.Change(indicatorIDs: [], instansiIDs: [])
                for _ in 0..<Int.random(in: 1...3, using: &generator) {
                    let target = targets.randomElement(using: &generator)!
                    let line =
                        try await ReportLine.query(on: app.db).filter(\.$target.$id == target.requireID()).first()
                        ?? ReportLine(targetID: try target.requireID(), now: app.clock.now())
                    line.state = states.randomElement(using: &generator)!
                    line.version += 1
                    line.capaian = Double(Int.random(in: 0...40, using: &generator))
                    line.firstSubmittedAt = line.state == .draft ? line.firstSubmittedAt : app.clock.now()
                    line.timeliness = Bool.random(using: &generator) ? .onTime : .late
                    line.verifiedValue =
                        line.state == .accepted ? Double(Int.random(in: 0...40, using: &generator)) : nil
                    line.returns += line.state == .returned ? 1 : 0
                    try await line.save(on: app.db)
                    if line.state == .accepted || line.state == .returned {
                        try await VerificationTime(
                            lineID: line.requireID(), userID: verifikators.randomElement(using: &generator),
                            days: Double(Int.random(in: 0...30, using: &generator))
                        ).create(on: app.db)
                    }
                    if step % 5 == 0 {
                        // A target revision.
                        target.value = Double(Int.random(in: 0...10, using: &generator))
                        try await target.save(on: app.db)
                    }
                    change.indicatorIDs.insert(target.$indicator.id)
                    change.instansiIDs.insert(target.$instansi.id)
                    let indicator = try #require(try await Indicator.find(target.$indicator.id, on: app.db))
                    try await indicator.$output.load(on: app.db)
                    touchedAksi.insert(indicator.output.$aksi.id)
                    touchedInstansi.insert(target.$instansi.id)
                }
                try await book.refresh(cycleID: cycleID, touching: change)
                #expect(
                    try await book.stored(cycleID: cycleID) == (try await book.compute(cycleID: cycleID)),
                    "step \(step)")
            }
            #expect(touchedAksi.count > 3 && touchedInstansi.count > 10)
            #expect(try await book.stored(cycleID: cycleID) != before)

            // A change on a new day refreshes only what it reaches: its instansi is judged on the new day, the others
            // wait for the day's scan, which judges them all.
            let later = app.clock.today.adding(days: 200)
            let tomorrow = ScoreBook(database: app.db, today: later)
            let target = targets[0]
            #expect(try await tomorrow.needsJudging(cycleID: cycleID))
            try await tomorrow.refresh(
                cycleID: cycleID,
                touching: .init(indicatorIDs: [target.$indicator.id], instansiIDs: [target.$instansi.id]))
            let judged = try await DisciplineRow.query(on: app.db).filter(\.$cycle.$id == cycleID)
                .filter(\.$scope == .instansi).all()
            #expect(judged.filter { $0.computedOn == later.iso }.map(\.subjectID) == [target.$instansi.id])
            #expect(try await tomorrow.needsJudging(cycleID: cycleID))
            app.clock = .starting(on: later)
            try await ReminderScan(app: app).judgeDisciplineToday()
            #expect(try await tomorrow.stored(cycleID: cycleID) == (try await tomorrow.compute(cycleID: cycleID)))
            let days = try await DisciplineRow.query(on: app.db).filter(\.$cycle.$id == cycleID).all().map(\.computedOn)
            #expect(Set(days) == [later.iso])
            #expect(try await !tomorrow.needsJudging(cycleID: cycleID))
        }
    }

    func save(_ browser: inout TestBrowser, _ path: String, action: String, capaian: String) async throws {
        let page = try await browser.get(path)
        let version = firstCapture(#"name="versi" value="(\d+)""#, in: page.html) ?? "0"
        let keep = formFields(matching: #"simpan\[\]"#, in: page.html)
        let result = try await browser.postMultipart(
            path,
            fields: [
                ("_csrf", try #require(firstCapture(#"name="_csrf" value="([^"]+)""#, in: page.html))),
                ("versi", version), ("tindakan", action), ("capaian", capaian), ("narasi", "Narasi \(capaian)."),
            ] + keep, files: [])
        #expect(result.status == .seeOther, "\(action) \(path)")
    }

    func act(
        _ browser: inout TestBrowser, _ path: String, _ action: String, version: Int, value: String = "",
        note: String = ""
    ) async throws {
        let result = try await browser.post(
            path + "/tindakan",
            [("versi", String(version)), ("tindakan", action), ("nilai", value), ("catatan", note)],
            csrf: try await browser.csrfToken(from: path))
        #expect(result.status == .seeOther, "\(action) \(path)")
    }

    /// The Focal Point submits one reviewed line to Setnas through the check page.
    func submit(_ browser: inout TestBrowser, _ targetID: Int) async throws {
        let token = try await browser.csrfToken(from: SiteURL.reportLine(targetID))
        let query: [(String, String?)] = [("periode", "2021-2022"), ("triwulan", "1")]
        let check = try await browser.post(
            SiteURL.instansiReportCheck(query: query), [("baris[]", String(targetID))], csrf: token)
        let result = try await browser.post(
            SiteURL.instansiReportSubmit(query: query), formFields(matching: #"diperiksa\[\]"#, in: check.html),
            csrf: token)
        #expect(result.status == .seeOther, "submit \(targetID)")
    }

    /// Admin Setnas revises the instansi's TW I target of the target's indicator in the published plan.
    func revise(_ browser: inout TestBrowser, _ target: Target, instansiID: Int, to value: String) async throws {
        let path = "/setnas/periode/2021-2022/target/\(target.indicator.code)"
        let grid = try await browser.get(path)
        let cell = "t_\(instansiID)_1"
        let fields = formFields(matching: #"(?:o_)?t_\d+_\d"#, in: grid.html).map {
            ($0.0, $0.0 == cell ? String(Int(value)! + 1) : $0.1)
        }
        let result = try await browser.post(
            path, fields + [("reason", "Target disesuaikan dengan hasil rapat koordinasi.")],
            csrf: try await browser.csrfToken(from: path))
        #expect(result.status == .seeOther, "revision \(path)")
    }
}
