import Fluent
import Foundation
import StranasCore

/// A triwulan's published results (Laporan Capaian Triwulan), frozen: the canonical JSON of every number shown, and
/// its SHA-256. Never changed or recomputed after publication, whatever happens to the lines afterwards.
final class ResultSnapshot: Model, @unchecked Sendable {
    static let schema = "result_snapshots"

    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Parent(key: "cycle_id") var cycle: Cycle
    @Field(key: "triwulan") var triwulan: Int
    @Field(key: "published_at") var publishedAt: Date
    @Field(key: "published_by") var publishedBy: String
    /// `ResultReport`, encoded canonically (sorted keys, no spaces).
    @Field(key: "content") var content: String
    @Field(key: "sha256") var sha256: String
    /// The PDF made from the print view when the report was published, stored as a blob by this hash.
    @OptionalField(key: "pdf_sha256") var pdfSHA256: String?
    /// Why it was published before its reporting window locked, with the coverage at that moment; nil when after.
    @OptionalField(key: "early_reason") var earlyReason: String?

    init() {}
}

/// What a published triwulan report holds. Scores are percent strings with two decimals, so that the canonical
/// bytes never depend on how a floating-point number is printed.
struct ResultReport: Codable, Equatable {
    struct Score: Codable, Equatable {
        let code: String
        let name: String
        let verified: String?
        let claimed: String?
    }

    struct Ranked: Codable, Equatable {
        let kind: String
        let rank: Int
        let instansi: String
        let verified: String?
        let claimed: String?
    }

    struct DisciplineEntry: Codable, Equatable {
        let rank: Int
        let instansi: String
        let completeness: String?
        let onTime: String?
        let returns: Int
        let medianDays: String?
    }

    let cycle: String
    let triwulan: Int
    let month: String
    let national: [Score]
    let fokus: [Score]
    let aksi: [Score]
    let rankings: [Ranked]
    let discipline: [DisciplineEntry]
    /// The cycle's warning that its plan is demo data, frozen with the numbers it qualifies; absent for a real plan.
    let provenance: String?

    static func percent(_ value: Double?) -> String? {
        value.map { String(format: "%.2f", ($0 * 10_000).rounded() / 100) }
    }

    init(_ numbers: ResultNumbers.Numbers) {
        self.cycle = numbers.cycle.code
        self.provenance = numbers.cycle.provenanceNote
        self.triwulan = numbers.triwulan
        self.month = ReportingCalendar.monthCode(ofTriwulan: numbers.triwulan)
        self.national = numbers.series.prefix(numbers.triwulan).map {
            Score(
                code: $0.code ?? "", name: $0.name, verified: Self.percent($0.verified),
                claimed: Self.percent($0.selfReported))
        }
        self.fokus = numbers.fokus.map {
            Score(
                code: $0.code ?? "", name: $0.name, verified: Self.percent($0.verified),
                claimed: Self.percent($0.selfReported))
        }
        self.aksi = numbers.aksi.map {
            Score(
                code: $0.code ?? "", name: $0.name, verified: Self.percent($0.verified),
                claimed: Self.percent($0.selfReported))
        }
        self.rankings = numbers.rankings.flatMap { kind, lines in
            lines.map {
                Ranked(
                    kind: kind.rawValue, rank: $0.rank, instansi: $0.name, verified: Self.percent($0.verified),
                    claimed: Self.percent($0.selfReported))
            }
        }
        self.discipline = numbers.discipline.map {
            DisciplineEntry(
                rank: $0.rank, instansi: $0.name, completeness: Self.percent($0.completeness),
                onTime: Self.percent($0.onTime), returns: $0.returns,
                medianDays: $0.medianDays.map { String(format: "%.1f", $0) })
        }
    }

    /// The bytes that are hashed and offered for download.
    func canonicalJSON() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self)
    }
}
