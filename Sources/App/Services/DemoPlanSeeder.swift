import Fluent
import Foundation
import StranasCore

/// Loads the demo data: the instansi of 2021-2022 and the Stranas PK 2021-2022 plan as reconstructed from public
/// reporting, with quarterly targets generated for every assignment. Reads the CSV files in `Resources/Data`.
struct DemoPlanSeeder {
    static let cycleCode = "2021-2022"
    static let cycleStartYear = 2021

    /// Shown on every page of the demo cycle, so that nobody mistakes it for the official plan.
    static let provenanceNote =
        "Rencana aksi ini direkonstruksi dari pemberitaan publik; sebagian keluaran, indikator, target dan "
        + "kabupaten/kota peserta bersifat ilustratif. Ini bukan dokumen resmi Stranas PK."

    /// Pelaksana words in the plan file that stand for a group of regional governments.
    static let allProvincesToken = "semua provinsi"
    static let pilotKabKotaToken = "kabupaten/kota pilot"

    let dataDirectory: String

    enum SeedError: Error, CustomStringConvertible {
        case unreadable(file: String)
        case invalid(file: String, line: Int, problem: String)

        var description: String {
            switch self {
            case .unreadable(let file): "Demo data file \(file) cannot be read."
            case .invalid(let file, let line, let problem): "Demo data file \(file), line \(line): \(problem)."
            }
        }
    }

    enum Outcome: Equatable {
        case seeded
        case alreadyPresent
    }

    /// Seeds in one transaction; does nothing when the demo cycle is already there.
    func seed(on database: any Database) async throws -> Outcome {
        if try await Cycle.find(code: Self.cycleCode, on: database) != nil {
            return .alreadyPresent
        }
        let kl = try self.table("kementerian_lembaga.csv", ["singkatan", "nama", "jenis", "anggota_timnas_pk"])
        let provinces = try self.table("provinsi.csv", ["kode_kemendagri", "nama", "iso_3166_2"])
        let regencies = try self.table("kabupaten_kota.csv", ["kode_provinsi", "nama", "jenis", "ibukota"])
        let participants = try self.table("kabupaten_kota_peserta_2021.csv", ["kode_provinsi", "nama", "kepastian"])
        let plan = try self.table(
            "rencana_aksi_2021_2022.csv",
            [
                "fokus_kode", "fokus", "aksi_nomor", "aksi_judul", "output_kode", "output_judul", "indikator_kode",
                "indikator_uraian", "satuan", "tipe", "target_akhir", "pelaksana", "kepastian",
            ])

        try await database.transaction { database in
            let directory = try await self.seedInstansi(
                kl: kl, provinces: provinces, regencies: regencies, participants: participants, on: database)
            try await self.seedPlan(plan, directory: directory, on: database)
        }
        return .seeded
    }

    // MARK: - Instansi

    /// The seeded instansi, by the names the plan file uses for them.
    struct InstansiDirectory {
        var klByAbbreviation: [String: Instansi] = [:]
        var provinces: [Instansi] = []
        var pilotKabKota: [Instansi] = []
    }

    private func seedInstansi(
        kl: CSVTable, provinces: CSVTable, regencies: CSVTable, participants: CSVTable, on database: any Database
    ) async throws -> InstansiDirectory {
        var directory = InstansiDirectory()

        for row in kl.rows {
            let instansi = Instansi(
                kind: .kl, name: row["nama"], abbreviation: row["singkatan"], klCategory: row["jenis"],
                isTimnasMember: row["anggota_timnas_pk"] == "ya")
            try await instansi.create(on: database)
            directory.klByAbbreviation[row["singkatan"]] = instansi
        }

        var provinceByCode: [String: Instansi] = [:]
        for row in provinces.rows {
            let province = Instansi(
                kind: .provinsi, name: "Provinsi \(row["nama"])", provinceCode: row["kode_kemendagri"],
                isoCode: row["iso_3166_2"])
            try await province.create(on: database)
            provinceByCode[row["kode_kemendagri"]] = province
            directory.provinces.append(province)
        }

        var seatByName: [String: String] = [:]
        for row in regencies.rows { seatByName["\(row["kode_provinsi"])|\(row["nama"])"] = row["ibukota"] }

        for row in participants.rows {
            let code = row["kode_provinsi"]
            guard let province = provinceByCode[code] else {
                throw SeedError.invalid(
                    file: "kabupaten_kota_peserta_2021.csv", line: row.line, problem: "unknown province code \(code)")
            }
            guard let seat = seatByName["\(code)|\(row["nama"])"] else {
                throw SeedError.invalid(
                    file: "kabupaten_kota_peserta_2021.csv", line: row.line,
                    problem: "\(row["nama"]) is not a kabupaten/kota of province \(code)")
            }
            let kabKota = Instansi(
                kind: .kabkota, name: row["nama"], provinceCode: code, parentID: province.id, seat: seat,
                provenance: row["kepastian"])
            try await kabKota.create(on: database)
            directory.pilotKabKota.append(kabKota)
        }
        return directory
    }

    // MARK: - Plan

    private func seedPlan(_ plan: CSVTable, directory: InstansiDirectory, on database: any Database) async throws {
        let cycle = Cycle(
            code: Self.cycleCode, name: "Stranas PK \(Self.cycleCode)", startYear: Self.cycleStartYear,
            provenanceNote: Self.provenanceNote)
        // The demo plan is the plan in force: published, shown to the public.
        cycle.publishedAt = Date()
        try await cycle.create(on: database)
        let cycleID = try cycle.requireID()

        var triwulanIDs: [Int: Int] = [:]
        for schedule in ReportingCalendar.defaultSchedule(startYear: Self.cycleStartYear) {
            let triwulan = Triwulan(cycleID: cycleID, schedule: schedule)
            try await triwulan.create(on: database)
            triwulanIDs[schedule.number] = try triwulan.requireID()
        }

        var fokusByCode: [String: Fokus] = [:]
        var aksiByNumber: [Int: Aksi] = [:]
        var outputCountByAksi: [Int: Int] = [:]
        var targets: [Target] = []
        var pelaksana: [Pelaksana] = []

        for row in plan.rows {
            func invalid(_ problem: String) -> SeedError {
                SeedError.invalid(file: "rencana_aksi_2021_2022.csv", line: row.line, problem: problem)
            }

            let fokus: Fokus
            if let known = fokusByCode[row["fokus_kode"]] {
                fokus = known
            } else {
                fokus = Fokus(
                    cycleID: cycleID, code: row["fokus_kode"], name: row["fokus"], position: fokusByCode.count + 1)
                try await fokus.create(on: database)
                fokusByCode[fokus.code] = fokus
            }

            guard let aksiNumber = Int(row["aksi_nomor"]) else { throw invalid("aksi_nomor is not a number") }
            let aksi: Aksi
            let isFirstOutputOfAksi: Bool
            if let known = aksiByNumber[aksiNumber] {
                aksi = known
                isFirstOutputOfAksi = false
            } else {
                aksi = Aksi(
                    cycleID: cycleID, fokusID: try fokus.requireID(), number: aksiNumber, title: row["aksi_judul"])
                try await aksi.create(on: database)
                aksiByNumber[aksiNumber] = aksi
                isFirstOutputOfAksi = true
            }

            outputCountByAksi[aksiNumber, default: 0] += 1
            let output = PlanOutput(
                aksiID: try aksi.requireID(), code: row["output_kode"], title: row["output_judul"],
                position: outputCountByAksi[aksiNumber]!)
            try await output.create(on: database)

            guard let kind = IndicatorKind(planFileValue: row["tipe"]) else {
                throw invalid("tipe \"\(row["tipe"])\" is not milestone, kumulatif or persen")
            }
            guard let finalTarget = Double(row["target_akhir"]) else { throw invalid("target_akhir is not a number") }
            let indicator = Indicator(
                outputID: try output.requireID(), code: row["indikator_kode"], description: row["indikator_uraian"],
                unit: row["satuan"], kind: kind, weight: 1, finalTarget: finalTarget, provenance: row["kepastian"])
            try await indicator.create(on: database)

            let assignees = try self.assignees(of: row["pelaksana"], directory: directory, invalid: invalid)
            let regionalCount = assignees.filter { $0.kind.isRegional }.count
            for (index, instansi) in assignees.enumerated() {
                let role: PelaksanaRole = index == 0 ? .koordinator : .pelaksana
                pelaksana.append(
                    Pelaksana(
                        instansiID: try instansi.requireID(), aksiID: try aksi.requireID(),
                        outputID: try output.requireID(), role: role))
                if isFirstOutputOfAksi && index == 0 {
                    pelaksana.append(
                        Pelaksana(
                            instansiID: try instansi.requireID(), aksiID: try aksi.requireID(), outputID: nil,
                            role: .koordinator))
                }

                let share = TargetRamp.finalTarget(
                    nationalTarget: finalTarget, kind: kind, assignee: instansi.kind,
                    regionalAssigneeCount: regionalCount)
                let milestoneDueIn = Self.milestoneDueTriwulan(aksiNumber: aksiNumber)
                let ramp = TargetRamp.quarterlyTargets(kind: kind, finalTarget: share, milestoneDueIn: milestoneDueIn)
                for (number, value) in ramp.sorted(by: { $0.key < $1.key }) {
                    targets.append(
                        Target(
                            indicatorID: try indicator.requireID(), instansiID: try instansi.requireID(),
                            triwulanID: triwulanIDs[number]!, value: value,
                            description: kind == .milestone ? row["indikator_uraian"] : nil))
                }
            }
        }

        for chunk in pelaksana.chunks(of: 500) { try await chunk.create(on: database) }
        for chunk in targets.chunks(of: 500) { try await chunk.create(on: database) }
    }

    /// The demo plan states no due dates for milestones; it spreads them: odd aksi at the end of the first year
    /// (triwulan 4), even aksi at the end of the cycle (triwulan 8).
    static func milestoneDueTriwulan(aksiNumber: Int) -> Int {
        aksiNumber % 2 == 1 ? 4 : 8
    }

    /// Resolves the `pelaksana` column ("LKPP;semua provinsi") into instansi, in the order given.
    private func assignees(
        of column: String, directory: InstansiDirectory, invalid: (String) -> SeedError
    ) throws -> [Instansi] {
        var result: [Instansi] = []
        for token in column.split(separator: ";").map({ $0.trimmingCharacters(in: .whitespaces) }) {
            switch token {
            case Self.allProvincesToken: result += directory.provinces
            case Self.pilotKabKotaToken: result += directory.pilotKabKota
            default:
                guard let instansi = directory.klByAbbreviation[token] else {
                    throw invalid("pelaksana \"\(token)\" is not a known K/L abbreviation")
                }
                result.append(instansi)
            }
        }
        return result
    }

    private func table(_ file: String, _ columns: [String]) throws -> CSVTable {
        let path = (self.dataDirectory as NSString).appendingPathComponent(file)
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8)
        else { throw SeedError.unreadable(file: path) }
        do {
            return try CSVTable(text: text, requiredColumns: columns)
        } catch {
            throw SeedError.invalid(file: file, line: 1, problem: "\(error)")
        }
    }
}
