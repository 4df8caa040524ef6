import Testing

@testable import StranasCore

@Suite("Monev scores, computed by hand")
struct ScoringTests {
    @Test("a line: ratio capped at 1, milestone reached or not, nothing reported is 0, a zero target does not count")
    func lines() {
        #expect(Scoring.lineScore(kind: .cumulative, target: 4, value: 3) == 0.75)
        #expect(Scoring.lineScore(kind: .percentage, target: 50, value: 60) == 1)
        #expect(Scoring.lineScore(kind: .percentage, target: 80, value: 20) == 0.25)
        #expect(Scoring.lineScore(kind: .milestone, target: 1, value: 1) == 1)
        #expect(Scoring.lineScore(kind: .milestone, target: 1, value: 0.9) == 0)
        #expect(Scoring.lineScore(kind: .cumulative, target: 4, value: nil) == 0)
        #expect(Scoring.lineScore(kind: .cumulative, target: 0, value: 5) == nil)
        #expect(Scoring.lineScore(kind: .cumulative, target: 0, value: nil) == nil)
    }

    @Test("months map to the last triwulan ended: B01-B02 none, B03-B05 TW 1, B06 TW 2, B24 TW 8")
    func months() {
        #expect(Scoring.triwulanDue(byMonth: 2) == nil)
        #expect(Scoring.triwulanDue(byMonth: 3) == 1)
        #expect(Scoring.triwulanDue(byMonth: 5) == 1)
        #expect(Scoring.triwulanDue(byMonth: 6) == 2)
        #expect(Scoring.triwulanDue(byMonth: 24) == 8)
    }

    /// Fokus 1: aksi 10 (outputs 100 and 101), aksi 11 (output 110). Fokus 2: aksi 20 (output 200). Instansi 1 and 2.
    static func plan(weightOf1001: Double = 3) -> Scoring.Plan {
        typealias Line = Scoring.Plan.Line
        return Scoring.Plan(
            aksi: [.init(id: 10, fokusID: 1), .init(id: 11, fokusID: 1), .init(id: 20, fokusID: 2)],
            outputs: [
                .init(id: 100, aksiID: 10), .init(id: 101, aksiID: 10), .init(id: 110, aksiID: 11),
                .init(id: 200, aksiID: 20),
            ],
            indicators: [
                .init(id: 1000, outputID: 100, kind: .cumulative, weight: 1),
                .init(id: 1001, outputID: 100, kind: .percentage, weight: weightOf1001),
                .init(id: 1010, outputID: 101, kind: .milestone, weight: 1),
                .init(id: 1100, outputID: 110, kind: .cumulative, weight: 1),
                .init(id: 2000, outputID: 200, kind: .percentage, weight: 1),
            ],
            lines: [
                Line(indicatorID: 1000, instansiID: 1, triwulan: 1, target: 2, selfReported: 2, verified: 2),
                Line(indicatorID: 1000, instansiID: 1, triwulan: 2, target: 4, selfReported: 4, verified: 3),
                Line(indicatorID: 1000, instansiID: 2, triwulan: 2, target: 4, selfReported: nil, verified: nil),
                Line(indicatorID: 1001, instansiID: 1, triwulan: 2, target: 50, selfReported: 60, verified: 60),
                Line(indicatorID: 1010, instansiID: 1, triwulan: 3, target: 1, selfReported: 1, verified: 1),
                Line(indicatorID: 1100, instansiID: 2, triwulan: 1, target: 0, selfReported: nil, verified: nil),
                Line(indicatorID: 1100, instansiID: 2, triwulan: 2, target: 0, selfReported: 3, verified: 3),
                Line(indicatorID: 2000, instansiID: 1, triwulan: 1, target: 10, selfReported: 10, verified: 5),
            ])
    }

    @Test("at B06, verified: every level as computed by hand")
    func verifiedAtB06() {
        let scores = Scoring.scores(of: Self.plan(), atMonth: 6, voice: .verified)
        // 1000: instansi 1 at TW 2 is 3/4, instansi 2 reported nothing: (0.75 + 0) / 2.
        #expect(scores.indicators[1000] == 0.375)
        // 1001: 60 against 50 is over-achievement, capped at 1.
        #expect(scores.indicators[1001] == 1)
        // 1010 is a milestone due in TW 3 and 1100 asks 0 so far: neither has a score yet.
        #expect(scores.indicators[1010] == nil)
        #expect(scores.indicators[1100] == nil)
        // Output 100: (0.375 × 1 + 1 × 3) / 4.
        #expect(scores.outputs[100] == 0.84375)
        #expect(scores.outputs[101] == nil)
        #expect(scores.aksi[10] == 0.84375)
        #expect(scores.aksi[11] == nil)
        // 2000: the latest line due is TW 1's, 5 of 10.
        #expect(scores.aksi[20] == 0.5)
        #expect(scores.fokus == [1: 0.84375, 2: 0.5])
        #expect(scores.national == 0.671875)
        // Instansi 1: (0.75 × 1 + 1 × 3 + 0.5 × 1) / 5; instansi 2: its only due line is empty.
        #expect(scores.instansi == [1: 0.85, 2: 0])
        #expect(scores.instansiInAksi[10] == [1: (0.75 + 3) / 4, 2: 0])
    }

    @Test("at B06, self-reported: the instansi's own values beside the verified ones")
    func selfReportedAtB06() {
        let scores = Scoring.scores(of: Self.plan(), atMonth: 6, voice: .selfReported)
        #expect(scores.indicators[1000] == 0.5)
        #expect(scores.outputs[100] == 0.875)
        #expect(scores.aksi[20] == 1)
        #expect(scores.national == 0.9375)
        #expect(scores.instansi[1] == 1)
    }

    @Test("a changed weight moves the output, aksi and national scores")
    func changedWeight() {
        let scores = Scoring.scores(of: Self.plan(weightOf1001: 1), atMonth: 6, voice: .verified)
        #expect(scores.outputs[100] == 0.6875)
        #expect(scores.national == 0.59375)
    }

    @Test("earlier and later months: nothing due at B02, TW 1 only at B03, the milestone counts from B09")
    func otherMonths() {
        #expect(Scoring.scores(of: Self.plan(), atMonth: 2, voice: .verified) == Scoring.Scores())
        let b03 = Scoring.scores(of: Self.plan(), atMonth: 3, voice: .verified)
        #expect(b03.indicators[1000] == 1)
        #expect(b03.indicators[1001] == nil)
        #expect(b03.national == 0.75)
        let b09 = Scoring.scores(of: Self.plan(), atMonth: 9, voice: .verified)
        #expect(b09.outputs[101] == 1)
        #expect(b09.aksi[10] == (0.84375 + 1) / 2)
    }

    @Test("bands: below medium is low, from medium medium, from high high")
    func bands() {
        let bands = ScoreBands(medium: 0.5, high: 0.8)
        #expect(bands.band(of: 0.4999) == .low)
        #expect(bands.band(of: 0.5) == .medium)
        #expect(bands.band(of: 0.8) == .high)
        #expect(bands.band(of: 1) == .high)
    }
}

@Suite("League table order")
struct RankingTests {
    @Test("scores rank by verified, then claimed, unscored last, ties by name A to Z")
    func scoreOrder() {
        let rows: [(verified: Double?, claimed: Double?, name: String)] = [
            (nil, 0.9, "Provinsi Aceh"), (0.5, 0.6, "Provinsi Bali"), (0.5, 0.8, "Provinsi Jambi"),
            (0.5, 0.8, "Provinsi Banten"), (0.9, nil, "Provinsi Riau"),
        ]
        #expect(
            rows.sorted { Ranking.scoreOrder($0, before: $1) }.map(\.name) == [
                "Provinsi Riau", "Provinsi Banten", "Provinsi Jambi", "Provinsi Bali", "Provinsi Aceh",
            ])
    }

    @Test("discipline ranks by completeness, then on time, then fewest returns, ties by name")
    func disciplineOrder() {
        let rows: [(completeness: Double?, onTime: Double?, returns: Int, name: String)] = [
            (1, 0.5, 0, "B"), (1, 0.5, 2, "A"), (1, 0.9, 5, "C"), (nil, nil, 0, "D"), (1, 0.5, 0, "A"),
        ]
        #expect(rows.sorted { Ranking.disciplineOrder($0, before: $1) }.map(\.name) == ["C", "A", "B", "A", "D"])
    }
}
