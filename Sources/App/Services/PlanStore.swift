import Fluent
import Foundation
import StranasCore

/// Moves a cycle's plan between the database and a `PlanDocument`: reading it for export and comparison, and
/// applying a document (from an import) so that the database holds exactly that plan afterwards.
///
/// Rows are matched by their codes (fokus code, aksi number, output and indicator codes, instansi and triwulan), so
/// that applying a file changes only what differs and keeps the ids of everything else.
struct PlanStore {
    let database: any Database

    /// Instansi by every name the plan file may use for them: full name and abbreviation.
    struct InstansiIndex {
        let byReference: [String: Instansi]
        let nameByID: [Int: String]

        /// Names that may be used: those of active instansi.
        var references: Set<String> { Set(self.byReference.filter { $0.value.isActive }.keys) }
        /// Names of instansi that ended: a file naming them is refused with that reason.
        var inactiveReferences: Set<String> { Set(self.byReference.filter { !$0.value.isActive }.keys) }

        func id(_ reference: String) -> Int? { self.byReference[reference]?.id }
    }

    func instansiIndex() async throws -> InstansiIndex {
        let all = try await Instansi.query(on: self.database).all()
        var byReference: [String: Instansi] = [:]
        for instansi in all {
            if let abbreviation = instansi.abbreviation { byReference[abbreviation] = instansi }
        }
        // Full names win over an abbreviation that happens to spell another instansi's name.
        for instansi in all { byReference[instansi.name] = instansi }
        return InstansiIndex(
            byReference: byReference,
            nameByID: Dictionary(uniqueKeysWithValues: all.compactMap { i in i.id.map { ($0, i.name) } }))
    }

    /// The cycle before this one, whose indicators this one's may name as predecessors.
    func previousCycle(of cycle: Cycle) async throws -> Cycle? {
        try await Cycle.query(on: self.database).filter(\.$startYear < cycle.startYear).sort(\.$startYear, .descending)
            .first()
    }

    /// A cycle's indicator ids by code.
    func indicatorIDs(of cycle: Cycle) async throws -> [String: Int] {
        let rows = try await Indicator.query(on: self.database)
            .join(PlanOutput.self, on: \Indicator.$output.$id == \PlanOutput.$id)
            .join(Aksi.self, on: \PlanOutput.$aksi.$id == \Aksi.$id)
            .filter(Aksi.self, \.$cycle.$id == cycle.requireID())
            .all()
        return Dictionary(rows.map { ($0.code, $0.id!) }, uniquingKeysWith: { first, _ in first })
    }

    /// The previous cycle's indicator ids by code; empty for the first cycle.
    func previousIndicatorIDs(of cycle: Cycle) async throws -> [String: Int] {
        guard let previous = try await self.previousCycle(of: cycle) else { return [:] }
        return try await self.indicatorIDs(of: previous)
    }

    /// Reads a plan file for `cycle`: instansi must exist and be active, predecessors must be indicators of the
    /// previous cycle.
    func read(_ data: Data, for cycle: Cycle) async throws -> Result<PlanDocument, PlanFile.Rejection> {
        let index = try await self.instansiIndex()
        let previousIndicators = try await self.previousIndicatorIDs(of: cycle)
        return PlanFile.read(
            data, knownInstansi: index.references, inactiveInstansi: index.inactiveReferences,
            previousIndicators: Set(previousIndicators.keys))
    }

    // MARK: - Reading

    /// A cycle's aksi, their outputs and their indicators.
    func tree(cycleID: Int) async throws -> (aksi: [Aksi], outputs: [PlanOutput], indicators: [Indicator]) {
        let aksi = try await Aksi.query(on: self.database).filter(\.$cycle.$id == cycleID).all()
        let aksiIDs = aksi.compactMap(\.id)
        let outputs =
            aksiIDs.isEmpty ? [] : try await PlanOutput.query(on: self.database).filter(\.$aksi.$id ~~ aksiIDs).all()
        let outputIDs = outputs.compactMap(\.id)
        let indicators =
            outputIDs.isEmpty
            ? [] : try await Indicator.query(on: self.database).filter(\.$output.$id ~~ outputIDs).all()
        return (aksi, outputs, indicators)
    }

    func document(for cycle: Cycle) async throws -> PlanDocument {
        let cycleID = try cycle.requireID()
        let index = try await self.instansiIndex()
        let fokus = try await Fokus.query(on: self.database).filter(\.$cycle.$id == cycleID).all()
        let (aksi, outputs, indicators) = try await self.tree(cycleID: cycleID)
        let aksiIDs = aksi.compactMap(\.id)
        let indicatorIDs = indicators.compactMap(\.id)
        let assignments =
            aksiIDs.isEmpty ? [] : try await Pelaksana.query(on: self.database).filter(\.$aksi.$id ~~ aksiIDs).all()
        let targets =
            indicatorIDs.isEmpty
            ? [] : try await Target.query(on: self.database).filter(\.$indicator.$id ~~ indicatorIDs).all()
        let triwulan = try await Triwulan.query(on: self.database).filter(\.$cycle.$id == cycleID).all()

        let fokusCode = Dictionary(uniqueKeysWithValues: fokus.map { ($0.id!, $0.code) })
        let aksiNumber = Dictionary(uniqueKeysWithValues: aksi.map { ($0.id!, $0.number) })
        let outputCode = Dictionary(uniqueKeysWithValues: outputs.map { ($0.id!, $0.code) })
        let indicatorCode = Dictionary(uniqueKeysWithValues: indicators.map { ($0.id!, $0.code) })
        let triwulanNumber = Dictionary(uniqueKeysWithValues: triwulan.map { ($0.id!, $0.number) })
        let predecessorIDs = Set(indicators.compactMap { $0.$predecessor.id })
        let predecessorCode =
            predecessorIDs.isEmpty
            ? [:]
            : Dictionary(
                uniqueKeysWithValues: try await Indicator.query(on: self.database).filter(\.$id ~~ predecessorIDs).all()
                    .map { ($0.id!, $0.code) })

        var document = PlanDocument()
        document.fokus = fokus.map { .init(code: $0.code, name: $0.name) }
        document.aksi = aksi.map { .init(number: $0.number, fokusCode: fokusCode[$0.$fokus.id]!, title: $0.title) }
        document.outputs = outputs.map {
            .init(code: $0.code, aksiNumber: aksiNumber[$0.$aksi.id]!, title: $0.title)
        }
        document.indicators = indicators.map {
            .init(
                code: $0.code, outputCode: outputCode[$0.$output.id]!, description: $0.description, unit: $0.unit,
                kind: $0.kind, weight: $0.weight, finalTarget: $0.finalTarget, provenance: $0.provenance,
                predecessorCode: $0.$predecessor.id.flatMap { predecessorCode[$0] })
        }
        document.assignments = assignments.map { assignment in
            let parent = assignment.$output.id.map { outputCode[$0]! } ?? String(aksiNumber[assignment.$aksi.id]!)
            return .init(
                parentCode: parent, instansi: index.nameByID[assignment.$instansi.id] ?? "?", role: assignment.role)
        }
        document.targets = targets.map {
            .init(
                indicatorCode: indicatorCode[$0.$indicator.id]!, instansi: index.nameByID[$0.$instansi.id] ?? "?",
                triwulan: triwulanNumber[$0.$triwulan.id]!, value: $0.value, description: $0.description)
        }
        return document.canonical
    }

    // MARK: - Applying

    /// Makes the cycle's plan equal to `document`, on this store's database: the transaction of `PlanDesk`'s commit,
    /// which appends the change's audit entry and refreshes the scores it moves. The cycle must have its eight
    /// triwulan, and every instansi the document names must exist (as `PlanFile.read` has checked).
    func write(_ document: PlanDocument, to cycle: Cycle) async throws {
        let cycleID = try cycle.requireID()
        let db = self.database
        let store = PlanStore(database: db)
        let index = try await store.instansiIndex()
        let triwulan = try await Triwulan.query(on: db).filter(\.$cycle.$id == cycleID).all()
        let triwulanID = Dictionary(uniqueKeysWithValues: triwulan.map { ($0.number, $0.id!) })

        // Fokus.
        var fokus = Dictionary(
            uniqueKeysWithValues: try await Fokus.query(on: db).filter(\.$cycle.$id == cycleID).all().map {
                ($0.code, $0)
            })
        for (position, item) in document.fokus.enumerated() {
            let row = fokus[item.code] ?? Fokus(cycleID: cycleID, code: item.code, name: item.name, position: 0)
            row.name = item.name
            row.position = position + 1
            try await row.save(on: db)
            fokus[item.code] = row
        }

        // Aksi.
        var aksi = Dictionary(
            uniqueKeysWithValues: try await Aksi.query(on: db).filter(\.$cycle.$id == cycleID).all().map {
                ($0.number, $0)
            })
        for item in document.aksi {
            let fokusID = try fokus[item.fokusCode]!.requireID()
            let row = aksi[item.number] ?? Aksi(cycleID: cycleID, fokusID: fokusID, number: item.number, title: "")
            row.$fokus.id = fokusID
            row.title = item.title
            try await row.save(on: db)
            aksi[item.number] = row
        }
        let aksiIDs = aksi.values.compactMap(\.id)

        // Outputs.
        var outputs = Dictionary(
            uniqueKeysWithValues: try await PlanOutput.query(on: db).filter(\.$aksi.$id ~~ aksiIDs).all().map {
                ($0.code, $0)
            })
        var positions: [Int: Int] = [:]
        for item in document.outputs {
            let aksiID = try aksi[item.aksiNumber]!.requireID()
            positions[item.aksiNumber, default: 0] += 1
            let row = outputs[item.code] ?? PlanOutput(aksiID: aksiID, code: item.code, title: "", position: 0)
            row.$aksi.id = aksiID
            row.title = item.title
            row.position = positions[item.aksiNumber]!
            try await row.save(on: db)
            outputs[item.code] = row
        }
        let outputIDs = outputs.values.compactMap(\.id)

        // Indicators, with their predecessors in the previous cycle.
        let previousIndicators = try await store.previousIndicatorIDs(of: cycle)
        var indicators = Dictionary(
            uniqueKeysWithValues: try await Indicator.query(on: db).filter(\.$output.$id ~~ outputIDs).all().map {
                ($0.code, $0)
            })
        for item in document.indicators {
            let outputID = try outputs[item.outputCode]!.requireID()
            let row =
                indicators[item.code]
                ?? Indicator(
                    outputID: outputID, code: item.code, description: "", unit: "", kind: item.kind, weight: 1,
                    finalTarget: 0, provenance: nil)
            row.$output.id = outputID
            row.description = item.description
            row.unit = item.unit
            row.kind = item.kind
            row.weight = item.weight
            row.finalTarget = item.finalTarget
            row.provenance = item.provenance
            row.$predecessor.id = item.predecessorCode.flatMap { previousIndicators[$0] }
            try await row.save(on: db)
            indicators[item.code] = row
        }

        // Pelaksana: keyed by aksi, output and instansi.
        let existingAssignments = try await Pelaksana.query(on: db).filter(\.$aksi.$id ~~ aksiIDs).all()
        var assignmentByKey = Dictionary(
            existingAssignments.map { ("\($0.$aksi.id)|\($0.$output.id ?? 0)|\($0.$instansi.id)", $0) },
            uniquingKeysWith: { first, _ in first })
        var keptAssignments = Set<String>()
        var newAssignments: [Pelaksana] = []
        for item in document.assignments {
            let instansiID = index.id(item.instansi)!
            let output = outputs[item.parentCode]
            let aksiID =
                try output.map { $0.$aksi.id } ?? aksi[Int(item.parentCode)!]!.requireID()
            let key = "\(aksiID)|\(output?.id ?? 0)|\(instansiID)"
            keptAssignments.insert(key)
            if let row = assignmentByKey[key] {
                if row.role != item.role {
                    row.role = item.role
                    try await row.save(on: db)
                }
            } else {
                let row = Pelaksana(instansiID: instansiID, aksiID: aksiID, outputID: output?.id, role: item.role)
                newAssignments.append(row)
                assignmentByKey[key] = row
            }
        }
        for chunk in newAssignments.chunks(of: 500) { try await chunk.create(on: db) }
        let staleAssignments = existingAssignments.filter {
            !keptAssignments.contains("\($0.$aksi.id)|\($0.$output.id ?? 0)|\($0.$instansi.id)")
        }.compactMap(\.id)
        if !staleAssignments.isEmpty {
            try await Pelaksana.query(on: db).filter(\.$id ~~ staleAssignments).delete()
        }

        // Targets: keyed by indicator, instansi and triwulan.
        let indicatorIDs = indicators.values.compactMap(\.id)
        let existingTargets =
            indicatorIDs.isEmpty
            ? [] : try await Target.query(on: db).filter(\.$indicator.$id ~~ indicatorIDs).all()
        let targetByKey = Dictionary(
            existingTargets.map { ("\($0.$indicator.id)|\($0.$instansi.id)|\($0.$triwulan.id)", $0) },
            uniquingKeysWith: { first, _ in first })
        var keptTargets = Set<String>()
        var newTargets: [Target] = []
        for item in document.targets {
            let indicatorID = try indicators[item.indicatorCode]!.requireID()
            let instansiID = index.id(item.instansi)!
            guard let triwulanID = triwulanID[item.triwulan] else { continue }
            let key = "\(indicatorID)|\(instansiID)|\(triwulanID)"
            keptTargets.insert(key)
            if let row = targetByKey[key] {
                if row.value != item.value || row.description != item.description {
                    row.value = item.value
                    row.description = item.description
                    try await row.save(on: db)
                }
            } else {
                newTargets.append(
                    Target(
                        indicatorID: indicatorID, instansiID: instansiID, triwulanID: triwulanID, value: item.value,
                        description: item.description))
            }
        }
        for chunk in newTargets.chunks(of: 500) { try await chunk.create(on: db) }
        let staleTargets = existingTargets.filter {
            !keptTargets.contains("\($0.$indicator.id)|\($0.$instansi.id)|\($0.$triwulan.id)")
        }.compactMap(\.id)
        for chunk in staleTargets.chunks(of: 500) {
            try await Target.query(on: db).filter(\.$id ~~ chunk).delete()
        }

        // Rows the document no longer has, children first.
        let indicatorCodes = Set(document.indicators.map(\.code))
        let outputCodes = Set(document.outputs.map(\.code))
        let aksiNumbers = Set(document.aksi.map(\.number))
        let fokusCodes = Set(document.fokus.map(\.code))
        for row in indicators.values where !indicatorCodes.contains(row.code) { try await row.delete(on: db) }
        for row in outputs.values where !outputCodes.contains(row.code) { try await row.delete(on: db) }
        for row in aksi.values where !aksiNumbers.contains(row.number) { try await row.delete(on: db) }
        for row in fokus.values where !fokusCodes.contains(row.code) { try await row.delete(on: db) }
    }
}

extension Array {
    /// Consecutive slices of at most `size` elements, for inserts that stay under the databases' parameter limits.
    func chunks(of size: Int) -> [[Element]] {
        stride(from: 0, to: self.count, by: size).map { Array(self[$0..<Swift.min($0 + size, self.count)]) }
    }
}
