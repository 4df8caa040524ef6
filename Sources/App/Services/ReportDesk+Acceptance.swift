import Fluent
import Vapor

/// A line as a check page listed it, "target:version" in a form: the step after the check acts on exactly that
/// version, so that a line changed in between is refused rather than decided unseen.
struct CheckedLine: Equatable {
    let targetID: Int
    let version: Int

    init(targetID: Int, version: Int) {
        self.targetID = targetID
        self.version = version
    }

    /// The lines of a form's `diperiksa[]` values; a value of another shape is a malformed form.
    static func all(in values: [String]?) throws -> [CheckedLine] {
        try (values ?? []).map { item in
            let parts = item.split(separator: ":")
            guard parts.count == 2, let targetID = Int(parts[0]), let version = Int(parts[1]) else {
                throw PageError.badRequest("error.bad_form")
            }
            return CheckedLine(targetID: targetID, version: version)
        }
    }

    /// The value a check page puts in its form.
    var formValue: String { "\(self.targetID):\(self.version)" }
}

extension ReportDesk {
    /// Lines accepted in one transaction.
    static let acceptanceBatchSize = 50

    /// A listed line the acceptance left as it was, and why; the names are nil for an id that is no line the actor
    /// may read.
    struct LeftOut: Sendable {
        let indicatorCode: String?
        let instansiName: String?
        let problem: Problem
    }

    /// Accepts each listed line at the version listed, with its claim as the verified value: each through `perform`,
    /// with its version and audit entry, in transactions of at most `acceptanceBatchSize` lines, each ending with the
    /// score refresh its lines bring, so that a long list holds the database for moments, not minutes. A line that
    /// changed since it was listed is left as it is and returned with why; the others are accepted.
    func acceptAtClaims(_ lines: [CheckedLine]) async throws -> (accepted: Int, leftOut: [LeftOut]) {
        var accepted = 0
        var leftOut: [LeftOut] = []
        var start = 0
        while start < lines.count {
            let batch = Array(lines[start..<min(start + Self.acceptanceBatchSize, lines.count)])
            start += Self.acceptanceBatchSize
            let outcome = try await self.db.transaction { db in
                try await self.working(in: db, refreshesScores: false).acceptBatch(batch, on: db)
            }
            accepted += outcome.accepted
            leftOut += outcome.leftOut
        }
        return (accepted, leftOut)
    }

    /// One batch, in the transaction `db` this desk works in; then the scores its accepted lines move, per cycle.
    private func acceptBatch(
        _ batch: [CheckedLine], on db: any Database
    ) async throws -> (
        accepted: Int, leftOut: [LeftOut]
    ) {
        var leftOut: [LeftOut] = []
        var moved: [Int: ScoreBook.Change] = [:]
        var accepted = 0
        for item in batch {
            guard let subject = try? await self.subject(targetID: item.targetID), try await self.canRead(subject)
            else {
                leftOut.append(LeftOut(indicatorCode: nil, instansiName: nil, problem: .outOfScope))
                continue
            }
            let result = try await self.perform(
                .accept, on: subject, content: nil, verifiedValue: subject.line?.capaian, note: nil,
                expectedVersion: item.version)
            switch result {
            case .success:
                accepted += 1
                let cycleID = try subject.cycle.requireID()
                var change = moved[cycleID] ?? ScoreBook.Change(indicatorIDs: [], instansiIDs: [])
                change.indicatorIDs.insert(try subject.indicator.requireID())
                change.instansiIDs.insert(try subject.instansi.requireID())
                moved[cycleID] = change
            case .failure(let problem):
                leftOut.append(
                    LeftOut(
                        indicatorCode: subject.indicator.code, instansiName: subject.instansi.name, problem: problem))
            }
        }
        for (cycleID, change) in moved.sorted(by: { $0.key < $1.key }) {
            // The lines' own entries are on the chain already, in this transaction.
            try await DeskCommit(database: db, clock: self.clock).run(
                [], by: self.actor?.audit ?? .commandLine, scores: .touching(cycleID: cycleID, change)
            ) { _ in () }
        }
        return (accepted, leftOut)
    }
}
