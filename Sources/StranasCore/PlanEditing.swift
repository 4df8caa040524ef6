/// The levels of a plan's tree, as the editor and its URLs name them.
public enum PlanLevel: String, CaseIterable, Sendable {
    case fokus, aksi, output, indikator

    /// The level above: where a new item of this level is added.
    public var parent: PlanLevel? {
        switch self {
        case .fokus: nil
        case .aksi: .fokus
        case .output: .aksi
        case .indikator: .output
        }
    }
}

/// Edits of a draft plan's tree, one item at a time, on the plan as data.
///
/// Codes follow places: fokus are numbered 1, 2, …; aksi are numbered through the whole plan in fokus order; an
/// output is its aksi's number and its own place ("5.2"), an indicator its output's code and its place ("5.2.1").
/// After every edit the codes are given out again in order, and pelaksana and targets follow their items, so that
/// adding, moving or removing an item never leaves a gap or a stale code.
extension PlanDocument {
    public enum EditProblem: Error, Equatable, Sendable {
        case notFound(PlanLevel, String)
        case parentNotFound(PlanLevel, String)
    }

    /// Adds an item at the end of its parent (`parent` is nil for a fokus) and returns its code.
    @discardableResult
    public mutating func add(
        _ level: PlanLevel, under parent: String?, title: String, indicator: IndicatorFields? = nil
    ) throws(EditProblem) -> String {
        let mark = "+new"
        switch level {
        case .fokus:
            self.fokus.append(.init(code: mark, name: title))
        case .aksi:
            guard let parent, self.fokus.contains(where: { $0.code == parent }) else {
                throw .parentNotFound(.fokus, parent ?? "")
            }
            self.aksi.append(.init(number: -1, fokusCode: parent, title: title))
        case .output:
            guard let parent, let number = Int(parent), self.aksi.contains(where: { $0.number == number }) else {
                throw .parentNotFound(.aksi, parent ?? "")
            }
            self.outputs.append(.init(code: mark, aksiNumber: number, title: title))
        case .indikator:
            guard let parent, self.outputs.contains(where: { $0.code == parent }) else {
                throw .parentNotFound(.output, parent ?? "")
            }
            let fields = indicator ?? IndicatorFields(unit: "", kind: .milestone, weight: 1, finalTarget: 0)
            self.indicators.append(
                .init(
                    code: mark, outputCode: parent, description: title, unit: fields.unit, kind: fields.kind,
                    weight: fields.weight, finalTarget: fields.finalTarget, provenance: nil))
        }
        let codes = self.renumber()
        return level == .aksi ? codes.aksi[-1].map(String.init)! : codes.byLevel[level]![mark]!
    }

    /// What an indicator has besides its description.
    public struct IndicatorFields: Equatable, Sendable {
        public var unit: String
        public var kind: IndicatorKind
        public var weight: Double
        public var finalTarget: Double

        public init(unit: String, kind: IndicatorKind, weight: Double, finalTarget: Double) {
            self.unit = unit
            self.kind = kind
            self.weight = weight
            self.finalTarget = finalTarget
        }
    }

    /// Changes an item's text (and an indicator's fields; its predecessor is mapped apart, since that stays open after
    /// publication). An aksi given another fokus moves to the end of it.
    public mutating func update(
        _ level: PlanLevel, code: String, title: String, fokusCode: String? = nil, indicator: IndicatorFields? = nil
    ) throws(EditProblem) {
        switch level {
        case .fokus:
            guard let index = self.fokus.firstIndex(where: { $0.code == code }) else { throw .notFound(level, code) }
            self.fokus[index].name = title
        case .aksi:
            guard let index = self.aksi.firstIndex(where: { String($0.number) == code }) else {
                throw .notFound(level, code)
            }
            self.aksi[index].title = title
            if let fokusCode, fokusCode != self.aksi[index].fokusCode {
                guard self.fokus.contains(where: { $0.code == fokusCode }) else {
                    throw .parentNotFound(.fokus, fokusCode)
                }
                var moved = self.aksi.remove(at: index)
                moved.fokusCode = fokusCode
                self.aksi.append(moved)
                self.renumber()
            }
        case .output:
            guard let index = self.outputs.firstIndex(where: { $0.code == code }) else { throw .notFound(level, code) }
            self.outputs[index].title = title
        case .indikator:
            guard let index = self.indicators.firstIndex(where: { $0.code == code }) else {
                throw .notFound(level, code)
            }
            self.indicators[index].description = title
            if let fields = indicator {
                self.indicators[index].unit = fields.unit
                self.indicators[index].kind = fields.kind
                self.indicators[index].weight = fields.weight
                self.indicators[index].finalTarget = fields.finalTarget
            }
        }
    }

    /// Swaps an item with its neighbour under the same parent, earlier (`up`) or later. At either end nothing moves.
    public mutating func move(_ level: PlanLevel, code: String, up: Bool) throws(EditProblem) {
        func swapWithSibling<Item>(
            _ items: inout [Item], isItem: (Item) -> Bool, sameParent: (Item, Item) -> Bool
        )
            throws(EditProblem)
        {
            guard let index = items.firstIndex(where: isItem) else { throw .notFound(level, code) }
            let candidates =
                up ? Array(items.indices.prefix(upTo: index).reversed()) : Array(items.indices.suffix(from: index + 1))
            guard let other = candidates.first(where: { sameParent(items[$0], items[index]) }) else { return }
            items.swapAt(index, other)
        }
        switch level {
        case .fokus:
            try swapWithSibling(&self.fokus, isItem: { $0.code == code }, sameParent: { _, _ in true })
        case .aksi:
            try swapWithSibling(
                &self.aksi, isItem: { String($0.number) == code }, sameParent: { $0.fokusCode == $1.fokusCode })
        case .output:
            try swapWithSibling(
                &self.outputs, isItem: { $0.code == code }, sameParent: { $0.aksiNumber == $1.aksiNumber })
        case .indikator:
            try swapWithSibling(
                &self.indicators, isItem: { $0.code == code }, sameParent: { $0.outputCode == $1.outputCode })
        }
        self.renumber()
    }

    /// Removes an item with everything under it: its outputs, indicators, pelaksana and targets.
    public mutating func remove(_ level: PlanLevel, code: String) throws(EditProblem) {
        var fokusCodes: Set<String> = []
        var aksiNumbers: Set<Int> = []
        var outputCodes: Set<String> = []
        var indicatorCodes: Set<String> = []
        switch level {
        case .fokus:
            guard self.fokus.contains(where: { $0.code == code }) else { throw .notFound(level, code) }
            fokusCodes = [code]
        case .aksi:
            guard let number = Int(code), self.aksi.contains(where: { $0.number == number }) else {
                throw .notFound(level, code)
            }
            aksiNumbers = [number]
        case .output:
            guard self.outputs.contains(where: { $0.code == code }) else { throw .notFound(level, code) }
            outputCodes = [code]
        case .indikator:
            guard self.indicators.contains(where: { $0.code == code }) else { throw .notFound(level, code) }
            indicatorCodes = [code]
        }
        aksiNumbers.formUnion(self.aksi.filter { fokusCodes.contains($0.fokusCode) }.map(\.number))
        outputCodes.formUnion(self.outputs.filter { aksiNumbers.contains($0.aksiNumber) }.map(\.code))
        indicatorCodes.formUnion(self.indicators.filter { outputCodes.contains($0.outputCode) }.map(\.code))
        let aksiCodes = Set(aksiNumbers.map(String.init))
        self.fokus.removeAll { fokusCodes.contains($0.code) }
        self.aksi.removeAll { aksiNumbers.contains($0.number) }
        self.outputs.removeAll { outputCodes.contains($0.code) }
        self.indicators.removeAll { indicatorCodes.contains($0.code) }
        self.assignments.removeAll { aksiCodes.contains($0.parentCode) || outputCodes.contains($0.parentCode) }
        self.targets.removeAll { indicatorCodes.contains($0.indicatorCode) }
        self.renumber()
    }

    /// Assigns an instansi to an aksi (its number) or an output (its code), or changes its role there.
    public mutating func assign(_ instansi: String, to parentCode: String, as role: PelaksanaRole) throws(EditProblem) {
        let isAksi = self.aksi.contains { String($0.number) == parentCode }
        guard isAksi || self.outputs.contains(where: { $0.code == parentCode }) else {
            throw .parentNotFound(parentCode.contains(".") ? .output : .aksi, parentCode)
        }
        if let index = self.assignments.firstIndex(where: { $0.parentCode == parentCode && $0.instansi == instansi }) {
            self.assignments[index].role = role
        } else {
            self.assignments.append(.init(parentCode: parentCode, instansi: instansi, role: role))
        }
    }

    /// Ends an assignment. The instansi's targets stay: they belong to indicators, and are edited in the target grid.
    public mutating func unassign(_ instansi: String, from parentCode: String) {
        self.assignments.removeAll { $0.parentCode == parentCode && $0.instansi == instansi }
    }

    /// The codes given out by `renumber`, old → new, per level.
    struct Renumbering {
        var byLevel: [PlanLevel: [String: String]] = [:]
        var aksi: [Int: Int] = [:]
    }

    /// Gives out every code again in the lists' order and carries pelaksana and targets along.
    @discardableResult
    mutating func renumber() -> Renumbering {
        var result = Renumbering()
        var fokusCodes: [String: String] = [:]
        for (index, item) in self.fokus.enumerated() { fokusCodes[item.code] = String(index + 1) }
        var aksiNumbers: [Int: Int] = [:]
        var next = 1
        for fokus in self.fokus {
            for item in self.aksi where item.fokusCode == fokus.code {
                aksiNumbers[item.number] = next
                next += 1
            }
        }
        var outputCodes: [String: String] = [:]
        var outputCount: [Int: Int] = [:]
        for item in self.outputs {
            guard let number = aksiNumbers[item.aksiNumber] else { continue }
            outputCount[number, default: 0] += 1
            outputCodes[item.code] = "\(number).\(outputCount[number]!)"
        }
        var indicatorCodes: [String: String] = [:]
        var indicatorCount: [String: Int] = [:]
        for item in self.indicators {
            guard let output = outputCodes[item.outputCode] else { continue }
            indicatorCount[output, default: 0] += 1
            indicatorCodes[item.code] = "\(output).\(indicatorCount[output]!)"
        }

        for index in self.fokus.indices { self.fokus[index].code = fokusCodes[self.fokus[index].code]! }
        for index in self.aksi.indices {
            self.aksi[index].fokusCode = fokusCodes[self.aksi[index].fokusCode] ?? self.aksi[index].fokusCode
            self.aksi[index].number = aksiNumbers[self.aksi[index].number] ?? self.aksi[index].number
        }
        for index in self.outputs.indices {
            self.outputs[index].aksiNumber =
                aksiNumbers[self.outputs[index].aksiNumber] ?? self.outputs[index].aksiNumber
            self.outputs[index].code = outputCodes[self.outputs[index].code] ?? self.outputs[index].code
        }
        for index in self.indicators.indices {
            self.indicators[index].outputCode =
                outputCodes[self.indicators[index].outputCode] ?? self.indicators[index].outputCode
            self.indicators[index].code = indicatorCodes[self.indicators[index].code] ?? self.indicators[index].code
        }
        for index in self.assignments.indices {
            let parent = self.assignments[index].parentCode
            if let number = Int(parent), let renumbered = aksiNumbers[number] {
                self.assignments[index].parentCode = String(renumbered)
            } else if let code = outputCodes[parent] {
                self.assignments[index].parentCode = code
            }
        }
        for index in self.targets.indices {
            let code = self.targets[index].indicatorCode
            self.targets[index].indicatorCode = indicatorCodes[code] ?? code
        }
        result.byLevel = [.fokus: fokusCodes, .output: outputCodes, .indikator: indicatorCodes]
        result.aksi = aksiNumbers
        return result
    }
}
