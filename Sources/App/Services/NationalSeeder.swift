import Fluent
import Foundation
import StranasCore

/// `jaga seed national`: a national-scale data set for load tests and benchmarks, into an empty database. All 34
/// provinsi and 514 kab/kota and the 50 K/L of the shared data, with synthetic lembaga ("Lembaga Uji 01" …) up to the
/// 80 or so K/L a national plan involves, a 15-aksi plan (cycle 2025-2026) with 40 outputs and
/// indicators, their targets, and report lines for every triwulan that has ended, in realistic states (accepted,
/// returned, submitted, draft, missing; some late). The plan and the lines are synthetic and say so; they are not
/// made through the reporting pages (that would take hours at this size), but written directly, then scored with the
/// same `ScoreBook` as everything else.
struct NationalSeeder {
    static let cycleCode = "2025-2026"
    /// K/L in the data set: the shared list, then synthetic lembaga.
    static let klCount = 80
    static let startYear = 2025

    let dataDirectory: String
    let today: CalendarDate

    struct Outcome {
        let instansi: Int
        let targets: Int
        let lines: Int
    }

    /// A fixed generator, so that every run builds the same data.
    struct Generator: RandomNumberGenerator {
        var state: UInt64 = 0x5EED_2025
        mutating func next() -> UInt64 {
            self.state = self.state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return self.state
        }
    }

    func seed(on database: any Database) async throws -> Outcome {
        guard try await Cycle.query(on: database).count() == 0 else {
            throw StartupError("`jaga seed national` needs an empty database: it builds its own instansi and plan.")
        }
        func table(_ file: String) throws -> CSVTable {
            let path = (self.dataDirectory as NSString).appendingPathComponent(file)
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
                throw StartupError("Cannot read \(path).")
            }
            return try CSVTable(text: text, requiredColumns: [])
        }
        let klRows = try table("kementerian_lembaga.csv").rows
        let provinceRows = try table("provinsi.csv").rows
        let regencyRows = try table("kabupaten_kota.csv").rows

        return try await database.transaction { db in
            var random = Generator()
            // Instansi.
            var kl: [Instansi] = klRows.map {
                Instansi(
                    kind: .kl, name: $0["nama"], abbreviation: $0["singkatan"], klCategory: $0["jenis"],
                    isTimnasMember: $0["anggota_timnas_pk"] == "ya")
            }
            kl += (kl.count..<Self.klCount).map { index in
                Instansi(
                    kind: .kl, name: String(format: "Lembaga Uji %02d", index - klRows.count + 1),
                    klCategory: "lembaga",
                    provenance: "Sintetis: lembaga contoh untuk uji beban, bukan instansi sungguhan.")
            }
            for chunk in kl.chunks(of: 200) { try await chunk.create(on: db) }
            kl = try await Instansi.query(on: db).filter(\.$kind == .kl).sort(\.$id).all()
            var provinces = provinceRows.map {
                Instansi(
                    kind: .provinsi, name: "Provinsi \($0["nama"])", provinceCode: $0["kode_kemendagri"],
                    isoCode: $0["iso_3166_2"])
            }
            for chunk in provinces.chunks(of: 200) { try await chunk.create(on: db) }
            provinces = try await Instansi.query(on: db).filter(\.$kind == .provinsi).sort(\.$id).all()
            let provinceByCode = Dictionary(uniqueKeysWithValues: provinces.map { ($0.provinceCode!, $0) })
            let regencies = regencyRows.compactMap { row -> Instansi? in
                guard let province = provinceByCode[row["kode_provinsi"]] else { return nil }
                return Instansi(
                    kind: .kabkota, name: row["nama"], provinceCode: row["kode_provinsi"], parentID: province.id,
                    seat: row["ibukota"])
            }
            for chunk in regencies.chunks(of: 200) { try await chunk.create(on: db) }
            let kabKota = try await Instansi.query(on: db).filter(\.$kind == .kabkota).sort(\.$id).all()

            // The cycle and its plan.
            let cycle = Cycle(
                code: Self.cycleCode, name: "Stranas PK \(Self.cycleCode)", startYear: Self.startYear,
                provenanceNote:
                    "Data uji skala nasional: rencana dan laporan sintetis untuk uji beban, bukan data resmi.")
            cycle.publishedAt = Date()
            try await cycle.create(on: db)
            let cycleID = try cycle.requireID()
            var triwulan: [Triwulan] = []
            for schedule in ReportingCalendar.defaultSchedule(startYear: Self.startYear) {
                let row = Triwulan(cycleID: cycleID, schedule: schedule)
                try await row.create(on: db)
                triwulan.append(row)
            }
            let fokusNames = ["Perizinan dan Tata Niaga", "Keuangan Negara", "Penegakan Hukum dan Reformasi Birokrasi"]
            var fokus: [Fokus] = []
            for (index, name) in fokusNames.enumerated() {
                let row = Fokus(cycleID: cycleID, code: String(index + 1), name: name, position: index + 1)
                try await row.create(on: db)
                fokus.append(row)
            }
            var targets: [Target] = []
            var pelaksana: [Pelaksana] = []
            var indicatorNumber = 0
            for number in 1...15 {
                let aksi = Aksi(
                    cycleID: cycleID, fokusID: try fokus[(number - 1) / 5].requireID(), number: number,
                    title: "Aksi uji \(number): pencegahan korupsi sektor \(number)")
                try await aksi.create(on: db)
                let aksiID = try aksi.requireID()
                let outputCount = number <= 10 ? 3 : 2
                for position in 1...outputCount {
                    let output = PlanOutput(
                        aksiID: aksiID, code: "\(number).\(position)",
                        title: "Output \(number).\(position): keluaran terukur", position: position)
                    try await output.create(on: db)
                    indicatorNumber += 1
                    let kind: IndicatorKind = [.percentage, .cumulative, .milestone][indicatorNumber % 3]
                    let assignees: [Instansi]
                    switch indicatorNumber % 3 {
                    case 0: assignees = [kl[indicatorNumber % kl.count]] + provinces
                    case 1: assignees = [kl[indicatorNumber % kl.count]] + kabKota
                    default: assignees = (0..<6).map { kl[(indicatorNumber + $0 * 7) % kl.count] }
                    }
                    let finalTarget: Double = kind == .percentage ? 100 : kind == .cumulative ? 12 : 1
                    let indicator = Indicator(
                        outputID: try output.requireID(), code: "\(number).\(position).1",
                        description: "Indikator uji \(number).\(position).1",
                        unit: kind == .percentage ? "persen" : "dokumen",
                        kind: kind, weight: Double(1 + indicatorNumber % 2), finalTarget: finalTarget,
                        provenance: "sintetis")
                    try await indicator.create(on: db)
                    for (index, instansi) in assignees.enumerated() {
                        pelaksana.append(
                            Pelaksana(
                                instansiID: try instansi.requireID(), aksiID: aksiID, outputID: try output.requireID(),
                                role: index == 0 ? .koordinator : .pelaksana))
                        let ramp = TargetRamp.quarterlyTargets(
                            kind: kind, finalTarget: finalTarget, milestoneDueIn: 4 + 4 * (number % 2))
                        for (quarter, value) in ramp {
                            targets.append(
                                Target(
                                    indicatorID: try indicator.requireID(), instansiID: try instansi.requireID(),
                                    triwulanID: try triwulan[quarter - 1].requireID(), value: value, description: nil))
                        }
                    }
                }
            }
            for chunk in pelaksana.chunks(of: 500) { try await chunk.create(on: db) }
            for chunk in targets.chunks(of: 500) { try await chunk.create(on: db) }

            // Report lines for every triwulan that has ended.
            let stored = try await Target.query(on: db).join(Triwulan.self, on: \Target.$triwulan.$id == \Triwulan.$id)
                .filter(Triwulan.self, \.$cycle.$id == cycleID).filter(Triwulan.self, \.$endsOn < self.today.iso)
                .all()
            let dueByTriwulan = Dictionary(uniqueKeysWithValues: triwulan.map { ($0.id!, $0.dueOn) })
            var lines: [ReportLine] = []
            var decided: [(targetID: Int, days: Double)] = []
            for target in stored {
                let draw = Double.random(in: 0..<1, using: &random)
                if draw < 0.10 { continue }  // missing
                let due = CalendarDate(iso: dueByTriwulan[target.$triwulan.id]!)!
                let submittedDay = due.adding(days: Int.random(in: -20...6, using: &random))
                var submitted = Calendar(identifier: .gregorian)
                submitted.timeZone = AppClock.reportingTimeZone
                let at = submitted.date(
                    from: DateComponents(
                        year: submittedDay.year, month: submittedDay.month, day: submittedDay.day, hour: 10))!
                let line = ReportLine(targetID: try target.requireID(), now: at)
                line.capaian = (target.value * Double.random(in: 0.4...1.15, using: &random)).rounded()
                line.narasi = "Laporan sintetis."
                line.version = 1
                switch draw {
                case ..<0.15: line.state = .draft
                case ..<0.22:
                    line.state = .submitted
                case ..<0.30:
                    line.state = .returned
                    line.returns = 1
                    line.verificationNote = "Bukti dukung belum lengkap (data uji)."
                default:
                    line.state = .accepted
                    line.verifiedValue = max(
                        0, (line.capaian ?? 0) - (Double.random(in: 0..<1, using: &random) < 0.2 ? 1 : 0))
                }
                if line.state != .draft {
                    line.firstSubmittedAt = at
                    line.lastSubmittedAt = at
                    line.timeliness = Timeliness.of(submittedOn: submittedDay, dueOn: due)
                }
                if line.state == .accepted || line.state == .returned {
                    decided.append((line.$target.id, Double(Int.random(in: 1...21, using: &random))))
                }
                lines.append(line)
            }
            for chunk in lines.chunks(of: 500) { try await chunk.create(on: db) }
            // Bulk inserts do not hand back generated ids: the lines are found again by target.
            let lineIDs = Dictionary(
                uniqueKeysWithValues: try await ReportLine.query(on: db).field(\.$id).field(\.$target.$id).all()
                    .map { ($0.$target.id, $0.id!) })
            let times = decided.map { VerificationTime(lineID: lineIDs[$0.targetID]!, userID: nil, days: $0.days) }
            for chunk in times.chunks(of: 500) { try await chunk.create(on: db) }
            // Every line holds its one version, as a line made through the desk would: the verifikator's queue, the
            // line's history and the next action's version check all read it.
            let versions = lines.map { line in
                let version = ReportVersion()
                version.$line.id = lineIDs[line.$target.id]!
                version.number = line.version
                version.action = line.state == .draft ? .save : .submitToSetnas
                version.state = line.state
                version.capaian = line.capaian
                version.narasi = line.narasi
                version.kendala = line.kendala
                version.tindakLanjut = line.tindakLanjut
                version.links = line.links
                version.verifiedValue = line.verifiedValue
                version.note = line.verificationNote
                version.actor = "data uji"
                version.at = line.updatedAt
                return version
            }
            for chunk in versions.chunks(of: 500) { try await chunk.create(on: db) }
            try await ScoreBook(database: db, today: self.today).rebuild()
            return Outcome(
                instansi: kl.count + provinces.count + kabKota.count, targets: targets.count, lines: lines.count)
        }
    }
}
