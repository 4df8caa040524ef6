/// The monev scores of a cycle's plan, from its targets and the report lines against them.
///
/// - A line scores min(value / target, 1); a milestone scores 1 when reached, else 0. A target of 0 asks nothing,
///   so its line is not counted at all (rather than counted as met). A line without a value scores 0.
/// - At month Bm of the cycle, each instansi's score on an indicator is the score of its line for the latest
///   triwulan that has ended by Bm (quarterly targets are already cumulative where the indicator is).
/// - An indicator's score is the mean over its instansi; an output's is the weighted mean of its indicators (by
///   indicator weight); an aksi's is the mean of its outputs; a fokus's the mean of its aksi; the national score the
///   mean over all aksi. An instansi's score is the weighted mean of its indicator scores.
/// - Only what is due counts: an item with nothing due yet has no score, and is left out of the means above it.
///
/// Two voices are computed side by side: the instansi's own values (self-reported, once sent to Setnas) and the
/// values Setnas verified.
public enum Scoring {
    public enum Voice: String, Sendable, CaseIterable, Codable {
        case selfReported = "self"
        case verified
    }

    /// One line's score, or nil when its target asks nothing.
    public static func lineScore(kind: IndicatorKind, target: Double, value: Double?) -> Double? {
        guard target > 0 else { return nil }
        guard let value else { return 0 }
        switch kind {
        case .milestone: return value >= target ? 1 : 0
        case .cumulative, .percentage: return min(max(value / target, 0), 1)
        }
    }

    /// The weighted mean of the items that have a score; nil when none has. The items are summed in a fixed order,
    /// so that the same items give the same bits however they were gathered.
    public static func weightedMean(_ items: [(score: Double?, weight: Double)]) -> Double? {
        var scored: [(Double, Double)] = []
        for item in items {
            if let score = item.score, item.weight > 0 { scored.append((score, item.weight)) }
        }
        scored.sort { lhs, rhs in lhs.0 != rhs.0 ? lhs.0 < rhs.0 : lhs.1 < rhs.1 }
        let total = scored.reduce(0) { $0 + $1.1 }
        guard total > 0 else { return nil }
        return scored.reduce(0) { $0 + $1.0 * $1.1 } / total
    }

    public static func mean(_ scores: [Double?]) -> Double? {
        self.weightedMean(scores.map { ($0, 1) })
    }

    /// The last triwulan that has ended by month `month` (B01 = 1 ... B24 = 24), or nil before the first has.
    public static func triwulanDue(byMonth month: Int) -> Int? {
        let number = min(month, ReportingCalendar.triwulanPerCycle * 3) / 3
        return number >= 1 ? number : nil
    }

    // MARK: - A whole plan

    /// The plan as scoring sees it: the tree with weights, and each (indicator, instansi) pair's targets and values.
    public struct Plan: Sendable {
        public struct Indicator: Sendable {
            public let id: Int
            public let outputID: Int
            public let kind: IndicatorKind
            public let weight: Double

            public init(id: Int, outputID: Int, kind: IndicatorKind, weight: Double) {
                self.id = id
                self.outputID = outputID
                self.kind = kind
                self.weight = weight
            }
        }

        public struct Output: Sendable {
            public let id: Int
            public let aksiID: Int

            public init(id: Int, aksiID: Int) {
                self.id = id
                self.aksiID = aksiID
            }
        }

        public struct Aksi: Sendable {
            public let id: Int
            public let fokusID: Int

            public init(id: Int, fokusID: Int) {
                self.id = id
                self.fokusID = fokusID
            }
        }

        /// One instansi's target on one indicator in one triwulan, with the two values reported against it.
        public struct Line: Sendable {
            public let indicatorID: Int
            public let instansiID: Int
            public let triwulan: Int
            public let target: Double
            public let selfReported: Double?
            public let verified: Double?

            public init(
                indicatorID: Int, instansiID: Int, triwulan: Int, target: Double, selfReported: Double?,
                verified: Double?
            ) {
                self.indicatorID = indicatorID
                self.instansiID = instansiID
                self.triwulan = triwulan
                self.target = target
                self.selfReported = selfReported
                self.verified = verified
            }
        }

        public var aksi: [Aksi]
        public var outputs: [Output]
        public var indicators: [Indicator]
        public var lines: [Line]

        public init(aksi: [Aksi], outputs: [Output], indicators: [Indicator], lines: [Line]) {
            self.aksi = aksi
            self.outputs = outputs
            self.indicators = indicators
            self.lines = lines
        }
    }

    /// Every score of a plan at one month, in one voice. Items without a score are absent.
    public struct Scores: Equatable, Sendable {
        public var national: Double?
        public var fokus: [Int: Double] = [:]
        public var aksi: [Int: Double] = [:]
        public var outputs: [Int: Double] = [:]
        public var indicators: [Int: Double] = [:]
        public var instansi: [Int: Double] = [:]
        /// Each instansi's score per aksi it carries, for an aksi's breakdown.
        public var instansiInAksi: [Int: [Int: Double]] = [:]

        public init() {}
    }

    public static func scores(of plan: Plan, atMonth month: Int, voice: Voice) -> Scores {
        var result = Scores()
        guard let due = self.triwulanDue(byMonth: month) else { return result }
        let indicatorByID = Dictionary(uniqueKeysWithValues: plan.indicators.map { ($0.id, $0) })
        let outputByID = Dictionary(uniqueKeysWithValues: plan.outputs.map { ($0.id, $0) })

        // Each pair's latest line due by the month.
        var latest: [Pair: Plan.Line] = [:]
        for line in plan.lines where line.triwulan <= due {
            let pair = Pair(indicator: line.indicatorID, instansi: line.instansiID)
            if let current = latest[pair], current.triwulan >= line.triwulan { continue }
            latest[pair] = line
        }
        var pairScores: [Int: [Int: Double]] = [:]  // indicator → instansi → score
        for (pair, line) in latest {
            guard let indicator = indicatorByID[pair.indicator] else { continue }
            let value = voice == .verified ? line.verified : line.selfReported
            if let score = self.lineScore(kind: indicator.kind, target: line.target, value: value) {
                pairScores[pair.indicator, default: [:]][pair.instansi] = score
            }
        }

        for (indicatorID, byInstansi) in pairScores {
            result.indicators[indicatorID] = self.mean(Array(byInstansi.values))
        }
        self.rollUp(plan, into: &result)

        // Instansi: the weighted mean of their own indicator scores; and per aksi.
        var byInstansi: [Int: [(score: Double?, weight: Double, aksiID: Int)]] = [:]
        for (indicatorID, scores) in pairScores {
            guard let indicator = indicatorByID[indicatorID], let output = outputByID[indicator.outputID] else {
                continue
            }
            for (instansiID, score) in scores {
                byInstansi[instansiID, default: []].append((score, indicator.weight, output.aksiID))
            }
        }
        for (instansiID, items) in byInstansi {
            result.instansi[instansiID] = self.weightedMean(items.map { ($0.score, $0.weight) })
            for (aksiID, group) in Dictionary(grouping: items, by: \.aksiID) {
                result.instansiInAksi[aksiID, default: [:]][instansiID] = self.weightedMean(
                    group.map { ($0.score, $0.weight) })
            }
        }
        return result
    }

    /// The scores above the indicators, from `scores.indicators`: each output is the weighted mean of its
    /// indicators, each aksi the mean of its outputs, each fokus the mean of its aksi, the nation the mean of all aksi.
    /// A change to one indicator's lines needs only that indicator's score afresh and the others' as they were.
    public static func rollUp(_ plan: Plan, into scores: inout Scores) {
        scores.outputs = [:]
        scores.aksi = [:]
        for output in plan.outputs {
            let items = plan.indicators.filter { $0.outputID == output.id }.map {
                (score: scores.indicators[$0.id], weight: $0.weight)
            }
            if let score = self.weightedMean(items) { scores.outputs[output.id] = score }
        }
        for aksi in plan.aksi {
            if let score = self.mean(plan.outputs.filter { $0.aksiID == aksi.id }.map { scores.outputs[$0.id] }) {
                scores.aksi[aksi.id] = score
            }
        }
        (scores.fokus, scores.national) = self.rollUp(aksi: plan.aksi, scores: scores.aksi)
    }

    /// The scores above the aksi: each fokus is the mean of its aksi, the nation the mean of all aksi.
    public static func rollUp(aksi: [Plan.Aksi], scores: [Int: Double]) -> (fokus: [Int: Double], national: Double?) {
        var fokus: [Int: Double] = [:]
        for (fokusID, members) in Dictionary(grouping: aksi, by: \.fokusID) {
            if let score = self.mean(members.map { scores[$0.id] }) { fokus[fokusID] = score }
        }
        return (fokus, self.mean(aksi.map { scores[$0.id] }))
    }

    struct Pair: Hashable {
        let indicator: Int
        let instansi: Int
    }
}

/// Colour bands of a score, with configurable lower bounds.
public struct ScoreBands: Equatable, Sendable {
    public enum Band: String, Sendable, Codable {
        case low, medium, high
    }

    /// A score below `medium` is low; from `medium` it is medium; from `high`, high.
    public let medium: Double
    public let high: Double

    public static let standard = ScoreBands(medium: 0.5, high: 0.8)

    public init(medium: Double, high: Double) {
        precondition(0 <= medium && medium <= high && high <= 1)
        self.medium = medium
        self.high = high
    }

    public func band(of score: Double) -> Band {
        score >= self.high ? .high : score >= self.medium ? .medium : .low
    }

    /// The band's name for styling, or "none" when there is no score.
    public func name(of score: Double?) -> String {
        score.map { self.band(of: $0).rawValue } ?? "none"
    }
}
