import Fluent
import Foundation
import StranasCore
import Vapor

/// Report lines for the demo plan, so that the dashboard a newcomer opens is alive: the first two triwulan of
/// 2021-2022 for every K/L and province except LKPP (whose lines the demo accounts fill themselves), in realistic
/// states: accepted (some below the claim), returned with a reason and fixed, submitted late, left in review,
/// missing. Every line goes through `ReportDesk`, the service behind the reporting pages, acted by officials of each
/// instansi and the demo verifikator, on dates around each triwulan's due day.
struct DemoReports {
    let app: Application
    /// Triwulan whose lines are made, if their due day is before today.
    static let triwulanNumbers = 1...2

    /// A fixed generator: the same demo every time.
    struct Generator: RandomNumberGenerator {
        var state: UInt64 = 0xDE30_2021
        mutating func next() -> UInt64 {
            self.state = self.state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return self.state
        }
    }

    /// Returns how many lines were made.
    @discardableResult
    func seed() async throws -> Int {
        let db = self.app.db
        guard let cycle = try await Cycle.find(code: DemoPlanSeeder.cycleCode, on: db),
            try await ReportLine.query(on: db).count() == 0
        else { return 0 }
        let today = self.app.clock.today.iso
        let triwulan = try await Triwulan.query(on: db).filter(\.$cycle.$id == cycle.requireID())
            .filter(\.$number ~~ Array(Self.triwulanNumbers)).filter(\.$dueOn < today).all()
        guard !triwulan.isEmpty else { return 0 }
        let lkpp = try await Instansi.query(on: db).filter(\.$abbreviation == DemoAccounts.instansiAbbreviation).first()
        let targets = try await Target.query(on: db).filter(\.$triwulan.$id ~~ triwulan.compactMap(\.id))
            .join(Instansi.self, on: \Target.$instansi.$id == \Instansi.$id)
            .filter(Instansi.self, \.$kind ~~ [.kl, .provinsi])
            .filter(\.$instansi.$id != (lkpp?.id ?? -1))
            .with(\.$indicator) { $0.with(\.$output) }
            .all()
        // The demo verifikator account when there is one (demo mode), else an official who cannot sign in.
        let verifikator: SignedInUser
        if let account = try await User.query(on: db).filter(\.$email == DemoAccounts.email(for: .verifikatorSetnas))
            .first()
        {
            verifikator = SignedInUser(
                user: account, roles: [.verifikatorSetnas],
                session: UserSession(
                    tokenHash: "", userID: try account.requireID(), stage: .active, csrfToken: "",
                    now: self.app.clock.now()))
        } else {
            verifikator = try await self.official(.verifikatorSetnas, instansi: nil, name: "Verifikator Demo")
        }
        let aksiIDs = Set(targets.map { $0.indicator.output.$aksi.id })
        for aksiID in aksiIDs
        where try await VerifikatorAssignment.query(on: db).filter(\.$aksi.$id == aksiID)
            .filter(\.$user.$id == verifikator.id).first() == nil
        {
            try await VerifikatorAssignment(userID: verifikator.id, aksiID: aksiID).create(on: db)
        }
        var officials: [Int: (unit: SignedInUser, focal: SignedInUser)] = [:]
        let dueByTriwulan = Dictionary(uniqueKeysWithValues: triwulan.map { ($0.id!, CalendarDate(iso: $0.dueOn)!) })
        var random = Generator()
        // Each step is dated on its own day, by the desk's clock; the app's clock is left alone.
        var clock = self.app.clock
        var made = 0
        for target in targets.sorted(by: { $0.id! < $1.id! }) {
            let instansiID = target.$instansi.id
            if officials[instansiID] == nil {
                officials[instansiID] = (
                    try await self.official(.unitTeknis, instansi: instansiID, name: "Unit Teknis Demo"),
                    try await self.official(.focalPoint, instansi: instansiID, name: "Focal Point Demo")
                )
            }
            let people = officials[instansiID]!
            let draw = Double.random(in: 0..<1, using: &random)
            if draw < 0.08 { continue }  // never reported
            let due = dueByTriwulan[target.$triwulan.id]!
            let claim = target.value == 0 ? 0 : (target.value * Double.random(in: 0.5...1.1, using: &random)).rounded()
            var day = due.adding(
                days: draw < 0.2 ? Int.random(in: 1...10, using: &random) : -Int.random(in: 1...14, using: &random))
            func on(_ day: CalendarDate) { clock = .starting(on: day) }
            func desk(_ user: SignedInUser) -> ReportDesk {
                ReportDesk(database: db, clock: clock, actor: .init(user), refreshesScores: false)
            }
            // The line as the desk left it after each action: read once, not again before every step.
            var subject = try await desk(people.unit).subject(targetID: target.requireID())
            /// Whether the action went through; a refused one (a fix that came after the lock day) ends the line's
            /// story where it stands, as it would for a real instansi.
            func act(
                _ action: ReportAction, by user: SignedInUser, content: ReportDesk.Content? = nil,
                value: Double? = nil, note: String? = nil
            ) async throws -> Bool {
                let result = try await desk(user).perform(
                    action, on: subject, content: content, verifiedValue: value, note: note,
                    expectedVersion: subject.version)
                guard case .success(let line) = result else { return false }
                subject.line = line
                return true
            }
            let content = ReportDesk.Content(
                capaian: claim, narasi: "Capaian triwulan ini sesuai rencana kerja instansi (data demo).",
                kendala: draw < 0.5 ? "Koordinasi lintas unit memerlukan waktu." : "",
                tindakLanjut: "Pemantauan bulanan oleh Inspektorat.")
            on(day.adding(days: -2))
            guard try await act(.submitForReview, by: people.unit, content: content) else { continue }
            made += 1
            if draw < 0.11 { continue }  // still waiting for the instansi's review
            on(day.adding(days: -1))
            guard try await act(.approveReview, by: people.focal) else { continue }
            if draw < 0.14 { continue }  // reviewed, not yet submitted
            on(day)
            guard try await act(.submitToSetnas, by: people.focal) else { continue }
            if draw < 0.24 { continue }  // waiting for verification
            day = day.adding(days: Int.random(in: 2...20, using: &random))
            on(day)
            if draw < 0.36 {
                let returned = try await act(
                    .return, by: verifikator,
                    note: "Bukti dukung belum menunjukkan capaian yang diklaim; lampirkan dokumen pendukung.")
                guard returned else { continue }
                if draw < 0.30 { continue }  // still to be fixed
                day = day.adding(days: Int.random(in: 2...8, using: &random))
                on(day)
                guard try await act(.resubmit, by: people.unit, content: content) else { continue }
                day = day.adding(days: Int.random(in: 1...7, using: &random))
                on(day)
            }
            let verified = draw > 0.85 ? max(0, claim - 1) : claim
            _ = try await act(
                .accept, by: verifikator, value: verified,
                note: verified < claim ? "Satu capaian belum didukung bukti; nilai terverifikasi disesuaikan." : nil)
        }
        try await ScoreBook(database: db, today: self.app.clock.today).rebuild()
        return made
    }

    /// A demo official who cannot sign in (no password): the author of the demo lines of one instansi.
    private func official(_ role: Role, instansi: Int?, name: String) async throws -> SignedInUser {
        let email =
            "\(role.rawValue.replacingOccurrences(of: "_", with: "."))-\(instansi ?? 0)@pelapor.demo.jaga-stranas.example"
        let db = self.app.db
        let user: User
        if let existing = try await User.query(on: db).filter(\.$email == email).first() {
            user = existing
        } else {
            user = User(name: name, email: email, position: name, status: .active, instansiID: instansi, isDemo: true)
            try await user.create(on: db)
            try await UserRole(userID: user.requireID(), role: role).create(on: db)
        }
        let session = UserSession(
            tokenHash: "", userID: try user.requireID(), stage: .active, csrfToken: "", now: self.app.clock.now())
        return SignedInUser(user: user, roles: [role], session: session)
    }
}
