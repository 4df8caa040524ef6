/// What importing a plan would do to the plan already there: rows added, changed and removed, named so that a person
/// can read the preview ("aksi 5", "target 5.1.1 · Provinsi Aceh · TW 3").
public struct PlanChanges: Equatable, Sendable {
    public var added: [String] = []
    public var changed: [String] = []
    public var removed: [String] = []

    public init() {}

    public var isEmpty: Bool { self.added.isEmpty && self.changed.isEmpty && self.removed.isEmpty }

    /// The changes as lines marked `+`, `~` and `−`, at most `limit` of them, then how many more there are: what the
    /// audit log keeps of an import.
    public func lines(limit: Int) -> [String] {
        let all = self.added.map { "+ " + $0 } + self.changed.map { "~ " + $0 } + self.removed.map { "− " + $0 }
        guard all.count > limit else { return all }
        return Array(all.prefix(limit)) + ["… \(all.count - limit) lagi"]
    }

    /// Compares two plans row by row, keyed by what identifies each row.
    public static func between(_ old: PlanDocument, _ new: PlanDocument) -> PlanChanges {
        var changes = PlanChanges()
        func compare<Row: Equatable>(
            _ kind: String, _ old: [Row], _ new: [Row], key: (Row) -> String,
            change: (Row, Row) -> String? = { _, _ in nil }
        ) {
            let before = Dictionary(old.map { (key($0), $0) }, uniquingKeysWith: { first, _ in first })
            let after = Dictionary(new.map { (key($0), $0) }, uniquingKeysWith: { first, _ in first })
            for row in new {
                let name = "\(kind) \(key(row))"
                if let previous = before[key(row)] {
                    if previous != row {
                        changes.changed.append(name + (change(previous, row).map { ": " + $0 } ?? ""))
                    }
                } else {
                    changes.added.append(name)
                }
            }
            for row in old where after[key(row)] == nil { changes.removed.append("\(kind) \(key(row))") }
        }
        let old = old.canonical
        let new = new.canonical
        compare("fokus", old.fokus, new.fokus) { $0.code }
        compare("aksi", old.aksi, new.aksi) { String($0.number) }
        compare("output", old.outputs, new.outputs) { $0.code }
        compare(
            "indikator", old.indicators, new.indicators, key: { $0.code },
            change: { before, after in
                before.finalTarget == after.finalTarget
                    ? nil
                    : "target_akhir \(PlanFile.format(before.finalTarget)) → \(PlanFile.format(after.finalTarget))"
            })
        compare("pelaksana", old.assignments, new.assignments) { "\($0.parentCode) · \($0.instansi)" }
        compare(
            "target", old.targets, new.targets,
            key: { "\($0.indicatorCode) · \($0.instansi) · TW \($0.triwulan)" },
            change: { before, after in
                before.value == after.value ? nil : "\(PlanFile.format(before.value)) → \(PlanFile.format(after.value))"
            })
        return changes
    }
}
