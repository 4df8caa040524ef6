import Testing

@testable import StranasCore

@Suite("Editing a draft plan's tree")
struct PlanEditingTests {
    /// Two fokus; aksi 1 and 2 under fokus 1, aksi 3 under fokus 2; each aksi with outputs and indicators, pelaksana
    /// and targets, so that every edit can be followed to the rows that hang under it.
    static var plan: PlanDocument {
        var plan = PlanDocument()
        plan.fokus = [.init(code: "1", name: "Perizinan"), .init(code: "2", name: "Keuangan")]
        plan.aksi = [
            .init(number: 1, fokusCode: "1", title: "Perizinan berusaha"),
            .init(number: 2, fokusCode: "1", title: "Tata niaga"),
            .init(number: 3, fokusCode: "2", title: "Pengadaan"),
        ]
        plan.outputs = [
            .init(code: "1.1", aksiNumber: 1, title: "OSS"), .init(code: "2.1", aksiNumber: 2, title: "Neraca"),
            .init(code: "2.2", aksiNumber: 2, title: "Kuota"), .init(code: "3.1", aksiNumber: 3, title: "Katalog"),
        ]
        plan.indicators = ["1.1", "2.1", "2.2", "3.1"].map {
            .init(
                code: $0 + ".1", outputCode: $0, description: "Ukuran \($0)", unit: "persen", kind: .percentage,
                weight: 1, finalTarget: 100, provenance: nil)
        }
        plan.assignments = [
            .init(parentCode: "2", instansi: "Kemendag", role: .koordinator),
            .init(parentCode: "2.2", instansi: "Kemenperin", role: .pelaksana),
        ]
        plan.targets = [
            .init(indicatorCode: "2.2.1", instansi: "Kemenperin", triwulan: 8, value: 100, description: nil),
            .init(indicatorCode: "3.1.1", instansi: "LKPP", triwulan: 4, value: 50, description: nil),
        ]
        return plan
    }

    @Test("an aksi added to the first fokus takes the next number there, and the later aksi shift on")
    func addAksi() throws {
        var plan = Self.plan
        let code = try plan.add(.aksi, under: "1", title: "Aksi baru")
        #expect(code == "3")
        #expect(
            plan.aksi.map { "\($0.number) \($0.title)" } == [
                "1 Perizinan berusaha", "2 Tata niaga", "4 Pengadaan", "3 Aksi baru",
            ])
        #expect(plan.canonical.aksi.map(\.number) == [1, 2, 3, 4])
        // Aksi "Pengadaan" is now 4: its output, indicator and target follow.
        #expect(plan.outputs.last?.code == "4.1")
        #expect(plan.targets.last?.indicatorCode == "4.1.1")
    }

    @Test("outputs and indicators are added at the end of their parent with the next code")
    func addOutputAndIndicator() throws {
        var plan = Self.plan
        #expect(try plan.add(.output, under: "2", title: "Output baru") == "2.3")
        let fields = PlanDocument.IndicatorFields(unit: "dokumen", kind: .milestone, weight: 2, finalTarget: 1)
        #expect(try plan.add(.indikator, under: "2.3", title: "Ukuran baru", indicator: fields) == "2.3.1")
        #expect(plan.indicators.last?.weight == 2)
        #expect(try plan.add(.fokus, under: nil, title: "Penegakan hukum") == "3")
        #expect(throws: PlanDocument.EditProblem.parentNotFound(.aksi, "9")) {
            try plan.add(.output, under: "9", title: "x")
        }
    }

    @Test("moving an output up swaps it with its sibling; codes, pelaksana and targets follow their items")
    func moveOutput() throws {
        var plan = Self.plan
        try plan.move(.output, code: "2.2", up: true)
        let canonical = plan.canonical
        #expect(
            canonical.outputs.map { "\($0.code) \($0.title)" } == ["1.1 OSS", "2.1 Kuota", "2.2 Neraca", "3.1 Katalog"])
        #expect(canonical.indicators.first { $0.code == "2.1.1" }?.description == "Ukuran 2.2")
        #expect(canonical.assignments.contains(.init(parentCode: "2.1", instansi: "Kemenperin", role: .pelaksana)))
        #expect(canonical.targets.first?.indicatorCode == "2.1.1")
        // The first output of an aksi does not move further up.
        let before = plan
        try plan.move(.output, code: "2.1", up: true)
        #expect(plan == before)
    }

    @Test("an aksi moves only among the aksi of its fokus")
    func moveAksi() throws {
        var plan = Self.plan
        try plan.move(.aksi, code: "2", up: false)
        #expect(plan.canonical.aksi.map(\.title) == ["Perizinan berusaha", "Tata niaga", "Pengadaan"])
        try plan.move(.aksi, code: "2", up: true)
        #expect(plan.canonical.aksi.map(\.title) == ["Tata niaga", "Perizinan berusaha", "Pengadaan"])
        #expect(plan.canonical.assignments.first { $0.instansi == "Kemendag" }?.parentCode == "1")
    }

    @Test("moving a fokus renumbers the aksi through the whole plan")
    func moveFokus() throws {
        var plan = Self.plan
        try plan.move(.fokus, code: "2", up: true)
        let canonical = plan.canonical
        #expect(canonical.fokus.map(\.name) == ["Keuangan", "Perizinan"])
        #expect(
            canonical.aksi.map { "\($0.number) \($0.fokusCode) \($0.title)" } == [
                "1 1 Pengadaan", "2 2 Perizinan berusaha", "3 2 Tata niaga",
            ])
        #expect(canonical.targets.map(\.indicatorCode) == ["1.1.1", "3.2.1"])
    }

    @Test("removing an aksi removes what hangs under it and closes the gap")
    func removeAksi() throws {
        var plan = Self.plan
        try plan.remove(.aksi, code: "2")
        #expect(plan.aksi.map(\.number) == [1, 2])
        #expect(plan.outputs.map(\.code) == ["1.1", "2.1"])
        #expect(plan.assignments.isEmpty)
        #expect(
            plan.targets == [.init(indicatorCode: "2.1.1", instansi: "LKPP", triwulan: 4, value: 50, description: nil)])
        #expect(throws: PlanDocument.EditProblem.notFound(.aksi, "7")) { try plan.remove(.aksi, code: "7") }
    }

    @Test("an aksi given another fokus moves to the end of it")
    func changeFokus() throws {
        var plan = Self.plan
        try plan.update(.aksi, code: "1", title: "Perizinan berusaha", fokusCode: "2")
        #expect(
            plan.canonical.aksi.map { "\($0.number) \($0.fokusCode) \($0.title)" } == [
                "1 1 Tata niaga", "2 2 Pengadaan", "3 2 Perizinan berusaha",
            ])
    }

    @Test("pelaksana are assigned once per instansi and item; a second assignment changes the role")
    func assignments() throws {
        var plan = Self.plan
        try plan.assign("LKPP", to: "3", as: .koordinator)
        try plan.assign("LKPP", to: "3", as: .pelaksana)
        #expect(
            plan.assignments.filter { $0.instansi == "LKPP" } == [
                .init(parentCode: "3", instansi: "LKPP", role: .pelaksana)
            ])
        plan.unassign("LKPP", from: "3")
        #expect(!plan.assignments.contains { $0.instansi == "LKPP" })
        #expect(throws: PlanDocument.EditProblem.parentNotFound(.output, "3.9")) {
            try plan.assign("LKPP", to: "3.9", as: .pelaksana)
        }
    }
}
