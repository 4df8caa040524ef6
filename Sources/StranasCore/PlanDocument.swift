import Foundation

/// A cycle's whole plan as data: the tree (fokus, aksi, output, indikator), the pelaksana and the targets.
///
/// It is what the plan CSV holds (`docs/PLAN_CSV.md`) and what the database holds, in one comparable shape: two
/// documents are equal exactly when the plans are. Instansi are named as people name them (name or abbreviation);
/// resolving them is the app's job.
public struct PlanDocument: Equatable, Sendable {
    public struct Fokus: Equatable, Sendable {
        public var code: String
        public var name: String

        public init(code: String, name: String) {
            self.code = code
            self.name = name
        }
    }

    public struct Aksi: Equatable, Sendable {
        public var number: Int
        public var fokusCode: String
        public var title: String

        public init(number: Int, fokusCode: String, title: String) {
            self.number = number
            self.fokusCode = fokusCode
            self.title = title
        }
    }

    public struct Output: Equatable, Sendable {
        public var code: String
        public var aksiNumber: Int
        public var title: String

        public init(code: String, aksiNumber: Int, title: String) {
            self.code = code
            self.aksiNumber = aksiNumber
            self.title = title
        }
    }

    public struct Indicator: Equatable, Sendable {
        public var code: String
        public var outputCode: String
        public var description: String
        public var unit: String
        public var kind: IndicatorKind
        public var weight: Double
        public var finalTarget: Double
        public var provenance: String?
        /// The code of the same measure in the previous cycle, e.g. "5.1.1" of 2019-2020 for 2021-2022's "4.2.1".
        public var predecessorCode: String?

        public init(
            code: String, outputCode: String, description: String, unit: String, kind: IndicatorKind, weight: Double,
            finalTarget: Double, provenance: String?, predecessorCode: String? = nil
        ) {
            self.code = code
            self.outputCode = outputCode
            self.description = description
            self.unit = unit
            self.kind = kind
            self.weight = weight
            self.finalTarget = finalTarget
            self.provenance = provenance
            self.predecessorCode = predecessorCode
        }
    }

    /// An assignment to an aksi (`parentCode` is the aksi number) or to an output (`parentCode` is its code).
    public struct Assignment: Equatable, Hashable, Sendable {
        public var parentCode: String
        public var instansi: String
        public var role: PelaksanaRole

        public init(parentCode: String, instansi: String, role: PelaksanaRole) {
            self.parentCode = parentCode
            self.instansi = instansi
            self.role = role
        }
    }

    public struct Target: Equatable, Sendable {
        public var indicatorCode: String
        public var instansi: String
        public var triwulan: Int
        public var value: Double
        public var description: String?

        public init(indicatorCode: String, instansi: String, triwulan: Int, value: Double, description: String?) {
            self.indicatorCode = indicatorCode
            self.instansi = instansi
            self.triwulan = triwulan
            self.value = value
            self.description = description
        }
    }

    public var fokus: [Fokus] = []
    public var aksi: [Aksi] = []
    public var outputs: [Output] = []
    public var indicators: [Indicator] = []
    public var assignments: [Assignment] = []
    public var targets: [Target] = []

    public init() {}

    /// The same plan with every list in its canonical order, so that equal plans compare and export equal.
    public var canonical: PlanDocument {
        var copy = self
        copy.fokus.sort { PlanCode.precedes($0.code, $1.code) }
        copy.aksi.sort { $0.number < $1.number }
        copy.outputs.sort { PlanCode.precedes($0.code, $1.code) }
        copy.indicators.sort { PlanCode.precedes($0.code, $1.code) }
        copy.assignments.sort {
            if $0.parentCode != $1.parentCode { return PlanCode.precedes($0.parentCode, $1.parentCode) }
            if $0.role != $1.role { return $0.role == .koordinator }
            return $0.instansi < $1.instansi
        }
        copy.targets.sort {
            if $0.indicatorCode != $1.indicatorCode { return PlanCode.precedes($0.indicatorCode, $1.indicatorCode) }
            if $0.instansi != $1.instansi { return $0.instansi < $1.instansi }
            return $0.triwulan < $1.triwulan
        }
        return copy
    }
}

/// Dotted plan codes ("5", "5.2", "5.2.1") compared part by part as numbers, so that 10.1 follows 9.2.
public enum PlanCode {
    public static func precedes(_ lhs: String, _ rhs: String) -> Bool {
        let left = lhs.split(separator: ".").map { Int($0) ?? Int.max }
        let right = rhs.split(separator: ".").map { Int($0) ?? Int.max }
        if left == right { return lhs < rhs }
        return left.lexicographicallyPrecedes(right)
    }

    /// The code of the parent: "5.2.1" → "5.2", "5.2" → "5".
    public static func parent(of code: String) -> String? {
        guard let dot = code.lastIndex(of: ".") else { return nil }
        return String(code[..<dot])
    }
}
