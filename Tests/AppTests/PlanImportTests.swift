import Fluent
import Foundation
import StranasCore
import Testing
import VaporTesting

@testable import App

@Suite("Plan CSV import and export", .serialized)
struct PlanImportTests {
    static var bundledPlan: Data {
        get throws {
            let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                .deletingLastPathComponent()
            return try Data(contentsOf: root.appendingPathComponent("Resources/Data/plan-2021-2022.csv"))
        }
    }

    func demoCycle(_ app: Application) async throws -> Cycle {
        try #require(try await Cycle.query(on: app.db).filter(\.$code == DemoPlanSeeder.cycleCode).first())
    }

    /// An empty cycle 2023-2024 with its eight triwulan, as plan administration creates one.
    func emptyCycle(_ app: Application) async throws -> Cycle {
        let cycle = Cycle(code: "2023-2024", name: "Stranas PK 2023-2024", startYear: 2023)
        try await cycle.create(on: app.db)
        for schedule in ReportingCalendar.defaultSchedule(startYear: 2023) {
            try await Triwulan(cycleID: cycle.requireID(), schedule: schedule).create(on: app.db)
        }
        return cycle
    }

    func export(_ cycle: Cycle, _ app: Application) async throws -> String {
        PlanFile.write(try await PlanStore(database: app.db).document(for: cycle))
    }

    func read(_ data: Data, _ app: Application) async throws -> Result<PlanDocument, PlanFile.Rejection> {
        PlanFile.read(data, knownInstansi: try await PlanStore(database: app.db).instansiIndex().references)
    }

    @Test("export → import → export gives byte-identical files, and re-importing changes nothing")
    func roundTrip() async throws {
        try await withJagaApp { app in
            let cycle = try await self.demoCycle(app)
            let first = try await self.export(cycle, app)
            let document = try await self.read(Data(first.utf8), app).get()
            #expect(PlanChanges.between(try await PlanStore(database: app.db).document(for: cycle), document).isEmpty)
            try await PlanStore(database: app.db).write(document, to: cycle)
            #expect(try await self.export(cycle, app) == first)
        }
    }

    @Test("importing the bundled 2021-2022 plan into an empty cycle gives exactly the seeded plan")
    func bundledPlanIsTheSeededPlan() async throws {
        try await withJagaApp { app in
            let seeded = try await self.export(try await self.demoCycle(app), app)
            let bundled = try Self.bundledPlan
            #expect(String(decoding: bundled, as: UTF8.self) == seeded)

            let cycle = try await self.emptyCycle(app)
            try await PlanStore(database: app.db).write(try await self.read(bundled, app).get(), to: cycle)
            #expect(try await self.export(cycle, app) == seeded)
            let aksi = try await Aksi.query(on: app.db).filter(\.$cycle.$id == cycle.requireID()).count()
            #expect(aksi == 12)
        }
    }

    @Test("an import changes only what differs: an edited target keeps its row, a dropped aksi goes with its children")
    func appliesDifferences() async throws {
        try await withJagaApp { app in
            let cycle = try await self.demoCycle(app)
            let store = PlanStore(database: app.db)
            var document = try await store.document(for: cycle)
            let targetIDs = Set(try await Target.query(on: app.db).all().compactMap(\.id))

            let edited = try #require(document.targets.firstIndex { $0.indicatorCode == "5.1.1" && $0.triwulan == 8 })
            document.targets[edited].value = 30
            document.targets[edited].description = "direvisi"
            document.aksi.removeAll { $0.number == 12 }
            document.outputs.removeAll { $0.aksiNumber == 12 }
            document.indicators.removeAll { $0.code.hasPrefix("12.") }
            document.assignments.removeAll { $0.parentCode == "12" || $0.parentCode.hasPrefix("12.") }
            document.targets.removeAll { $0.indicatorCode.hasPrefix("12.") }
            try await store.write(document, to: cycle)

            #expect(try await store.document(for: cycle) == document.canonical)
            #expect(try await Aksi.query(on: app.db).filter(\.$number == 12).count() == 0)
            // Every remaining target kept its id: nothing was deleted and recreated.
            let remaining = Set(try await Target.query(on: app.db).all().compactMap(\.id))
            #expect(remaining.isSubset(of: targetIDs))
            #expect(remaining.count == document.targets.count)
        }
    }

    @Test(
        "bad files are refused with a line-numbered problem list, and the plan in the database is unchanged",
        arguments: [
            "missing columns", "unknown column", "unknown instansi", "duplicate code", "non-numeric target",
            "broken encoding",
            "garbage",
        ])
    func badFiles(_ case: String) async throws {
        try await withJagaApp { app in
            let cycle = try await self.demoCycle(app)
            let before = try await self.export(cycle, app)
            let good = try Self.bundledPlan
            let text = String(decoding: good, as: UTF8.self)
            let data: Data
            let expected: PlanFile.Problem.Kind
            switch `case` {
            case "missing columns":
                data = Data(text.replacingOccurrences(of: ",kepastian,pendahulu\n", with: ",pendahulu\n").utf8)
                expected = .missingColumns(["kepastian"])
            case "unknown column":
                data = Data(text.replacingOccurrences(of: ",pendahulu\n", with: ",pendahulu,warna\n").utf8)
                expected = .unknownColumns(["warna"])
            case "unknown instansi":
                data = Data(
                    text.replacingOccurrences(
                        of: "pelaksana,,5,,,,,,Lembaga Kebijakan", with: "pelaksana,,5,,,,,,Lembaga Kebijakan Palsu"
                    ).utf8)
                expected = .unknownInstansi("Lembaga Kebijakan Palsu Pengadaan Barang/Jasa Pemerintah")
            case "duplicate code":
                data = Data((text + "fokus,1,,Perizinan lagi,,,,,,,,,,\n").utf8)
                expected = .duplicateCode("1")
            case "non-numeric target":
                data = Data(
                    text.replacingOccurrences(of: "Pemerintah,,8,34,,", with: "Pemerintah,,8,tiga puluh,,").utf8)
                expected = .notANumber(column: "nilai", value: "tiga puluh")
            case "broken encoding":
                var bytes = good
                bytes.insert(contentsOf: [0xC3, 0x28], at: 200)
                data = bytes
                expected = .notUTF8
            default:
                data = Data((0..<(PlanFile.maximumBytes + 1)).map { UInt8(truncatingIfNeeded: $0 &* 31) })
                expected = .tooLarge(bytes: PlanFile.maximumBytes + 1)
            }
            let result = try await self.read(data, app)
            guard case .failure(let rejection) = result else {
                Issue.record("the \(`case`) file was accepted")
                return
            }
            #expect(rejection.problems.map(\.kind).contains(expected))
            #expect(try await self.export(cycle, app) == before)
        }
    }
}

@Suite("Plan commands")
struct PlanCommandTests {
    @Test("a cycle that does not exist is named in a one-line error listing the cycles there are")
    func unknownCycle() async throws {
        try await withJagaApp { app in
            do {
                _ = try await PlanCommands.cycle("2099-2100", app: app)
                Issue.record("an unknown cycle was accepted")
            } catch let error as StartupError {
                #expect(error.description == "Cycle 2099-2100 does not exist. Cycles: 2021-2022.")
            }
            let found = try await PlanCommands.cycle("2021-2022", app: app)
            #expect(found.code == "2021-2022")
        }
    }
}
