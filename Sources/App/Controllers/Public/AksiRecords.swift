import Fluent
import Foundation
import SQLKit
import StranasCore

/// The reads behind the public aksi and indicator pages, one statement each and as plain rows: at national scale an
/// aksi has hundreds of pelaksana and thousands of targets, too many to decode through models on every render.
struct AksiRecords {
    let database: any Database

    private var sql: any SQLDatabase { self.database as! any SQLDatabase }

    /// Which instansi's rows a page shows.
    enum Region: Equatable {
        case everyone
        /// K/L and provinces: the national view of an aksi with many kab/kota.
        case withoutKabKota
        /// One province and the kab/kota in it, by Kemendagri's two-digit code.
        case province(String)

        var condition: SQLQueryString {
            switch self {
            case .everyone: ""
            case .withoutKabKota: " AND i.kind <> \(bind: InstansiKind.kabkota.rawValue)"
            case .province(let code): " AND i.province_code = \(bind: code)"
            }
        }
    }

    // MARK: - The aksi and its tree

    struct PlanRow: Decodable {
        let aksiID: Int
        let number: Int
        let title: String
        let fokusName: String
        let outputID: Int?
        let outputCode: String?
        let outputTitle: String?
        let outputPosition: Int?
        let indicatorID: Int?
        let indicatorCode: String?
        let description: String?
        let unit: String?
        let kind: IndicatorKind?
        let finalTarget: Double?
        let provenance: String?
        /// Published usulan and pertanyaan about the aksi (the same on every row).
        let usulan: Int
        let pertanyaan: Int

        enum CodingKeys: String, CodingKey {
            case aksiID = "aksi_id"
            case number, title
            case fokusName = "fokus_name"
            case outputID = "output_id"
            case outputCode = "output_code"
            case outputTitle = "output_title"
            case outputPosition = "output_position"
            case indicatorID = "indicator_id"
            case indicatorCode = "indicator_code"
            case description, unit, kind
            case finalTarget = "final_target"
            case provenance, usulan, pertanyaan
        }
    }

    /// The aksi with its fokus, outputs and indicators: one row per indicator (one row with no output for an empty
    /// aksi), or none when the cycle has no aksi of that number.
    func plan(cycleID: Int, number: Int) async throws -> [PlanRow] {
        try await self.sql.raw(
            """
            SELECT a.id AS aksi_id, a.number, a.title, f.name AS fokus_name,
                   o.id AS output_id, o.code AS output_code, o.title AS output_title, o.position AS output_position,
                   n.id AS indicator_id, n.code AS indicator_code, n.description, n.unit, n.kind, n.final_target,
                   n.provenance,
                   (SELECT COUNT(*) FROM public_inputs p WHERE p.aksi_id = a.id
                      AND p.state = \(bind: PublicInputState.disetujui.rawValue)
                      AND p.kind = \(bind: PublicInputKind.usulan.rawValue)) AS usulan,
                   (SELECT COUNT(*) FROM public_inputs p WHERE p.aksi_id = a.id
                      AND p.state = \(bind: PublicInputState.disetujui.rawValue)
                      AND p.kind = \(bind: PublicInputKind.pertanyaan.rawValue)) AS pertanyaan
            FROM aksi a
            JOIN fokus f ON f.id = a.fokus_id
            LEFT JOIN outputs o ON o.aksi_id = a.id
            LEFT JOIN indicators n ON n.output_id = o.id
            WHERE a.cycle_id = \(bind: cycleID) AND a.number = \(bind: number)
            ORDER BY o.position, n.code
            """
        ).all(decoding: PlanRow.self)
    }

    // MARK: - Pelaksana

    struct PelaksanaRow: Decodable {
        let instansiID: Int
        let name: String
        let kind: InstansiKind
        let provinceCode: String?
        /// The province a kab/kota lies in.
        let parentName: String?
        let outputID: Int?
        let role: PelaksanaRole

        enum CodingKeys: String, CodingKey {
            case instansiID = "instansi_id"
            case name, kind
            case provinceCode = "province_code"
            case parentName = "parent_name"
            case outputID = "output_id"
            case role
        }
    }

    /// Every assignment of the aksi (to the aksi, or to one of its outputs) with its instansi.
    func pelaksana(aksiID: Int) async throws -> [PelaksanaRow] {
        try await self.sql.raw(
            """
            SELECT p.instansi_id, i.name, i.kind, i.province_code, parent.name AS parent_name, p.output_id, p.role
            FROM pelaksana p
            JOIN instansi i ON i.id = p.instansi_id
            LEFT JOIN instansi parent ON parent.id = i.parent_id
            WHERE p.aksi_id = \(bind: aksiID)
            """
        ).all(decoding: PelaksanaRow.self)
    }

    // MARK: - Targets

    struct TargetValue: Decodable {
        let indicatorID: Int
        let instansiID: Int
        let name: String
        let kind: InstansiKind
        let triwulan: Int
        let value: Double

        enum CodingKeys: String, CodingKey {
            case indicatorID = "indicator_id"
            case instansiID = "instansi_id"
            case name, kind, triwulan, value
        }
    }

    func targets(indicatorIDs: [Int], in region: Region) async throws -> [TargetValue] {
        guard !indicatorIDs.isEmpty else { return [] }
        let query: SQLQueryString =
            """
            SELECT t.indicator_id, t.instansi_id, i.name, i.kind, w.number AS triwulan, t.value
            FROM targets t
            JOIN instansi i ON i.id = t.instansi_id
            JOIN triwulan w ON w.id = t.triwulan_id
            WHERE t.indicator_id IN (\(binds: indicatorIDs))
            """ + region.condition
        return try await self.sql.raw(query).all(decoding: TargetValue.self)
    }

    // MARK: - Revisions

    struct RevisionRow: Decodable {
        let indicatorID: Int
        let name: String
        let triwulan: Int
        let oldValue: Double?
        let newValue: Double?
        let reason: String
        let at: Date

        enum CodingKeys: String, CodingKey {
            case indicatorID = "indicator_id"
            case name, triwulan
            case oldValue = "old_value"
            case newValue = "new_value"
            case reason, at
        }
    }

    /// Revisions of these indicators' targets, newest first.
    func revisions(indicatorIDs: [Int], in region: Region) async throws -> [RevisionRow] {
        guard !indicatorIDs.isEmpty else { return [] }
        let query: SQLQueryString =
            """
            SELECT r.indicator_id, i.name, w.number AS triwulan, r.old_value, r.new_value, r.reason, r.at
            FROM target_revisions r
            JOIN instansi i ON i.id = r.instansi_id
            JOIN triwulan w ON w.id = r.triwulan_id
            WHERE r.indicator_id IN (\(binds: indicatorIDs))
            """ + region.condition + " ORDER BY r.at DESC, r.id DESC"
        return try await self.sql.raw(query).all(decoding: RevisionRow.self)
    }

    // MARK: - Verified results

    struct VerifiedRow: Decodable {
        let targetID: Int
        let indicatorID: Int
        let name: String
        let triwulan: Int
        let target: Double
        let capaian: Double?
        let verifiedValue: Double?
        let note: String?
        let versionID: Int?
        /// How many accepted lines the indicator has in the region, shown or not.
        let total: Int

        enum CodingKeys: String, CodingKey {
            case targetID = "target_id"
            case indicatorID = "indicator_id"
            case name, triwulan, target, capaian
            case verifiedValue = "verified_value"
            case note
            case versionID = "version_id"
            case total
        }
    }

    /// Accepted lines of these indicators with the id of the version Setnas accepted. The lines are found from the
    /// indicators' targets: the state is compared as an expression (`|| ''`), so that SQLite does not walk every
    /// accepted line of the country by its index on the state. With `latest`, only that many
    /// per indicator, the most recently verified first; otherwise all, by instansi and triwulan.
    func verified(indicatorIDs: [Int], in region: Region, latest: Int? = nil) async throws -> [VerifiedRow] {
        guard !indicatorIDs.isEmpty else { return [] }
        let query: SQLQueryString =
            """
            SELECT * FROM (
                SELECT t.id AS target_id, t.indicator_id, i.name, w.number AS triwulan, t.value AS target,
                       l.capaian, l.verified_value, l.verification_note AS note, v.id AS version_id,
                       ROW_NUMBER() OVER (PARTITION BY t.indicator_id ORDER BY l.verified_at DESC, l.id DESC) AS recency,
                       COUNT(*) OVER (PARTITION BY t.indicator_id) AS total
                FROM report_lines l
                JOIN targets t ON t.id = l.target_id
                JOIN instansi i ON i.id = t.instansi_id
                JOIN triwulan w ON w.id = t.triwulan_id
                LEFT JOIN report_versions v ON v.line_id = l.id AND v.number = l.version
                WHERE (l.state || '') = \(bind: ReportState.accepted.rawValue)
                  AND t.indicator_id IN (\(binds: indicatorIDs))
            """ + region.condition
            + (latest.map { ") ranked WHERE recency <= \(bind: $0) ORDER BY recency" }
                ?? ") ranked ORDER BY name, triwulan")
        return try await self.sql.raw(query).all(decoding: VerifiedRow.self)
    }

    struct EvidenceRow: Decodable {
        let versionID: Int
        let fileName: String
        let sha256: String

        enum CodingKeys: String, CodingKey {
            case versionID = "version_id"
            case fileName = "file_name"
            case sha256
        }
    }

    /// The files these versions mark public, in the order they were attached.
    func publicEvidence(versionIDs: [Int]) async throws -> [EvidenceRow] {
        guard !versionIDs.isEmpty else { return [] }
        return try await self.sql.raw(
            """
            SELECT version_id, file_name, sha256 FROM report_evidence
            WHERE is_public = \(bind: true) AND version_id IN (\(binds: versionIDs)) ORDER BY id
            """
        ).all(decoding: EvidenceRow.self)
    }

    // MARK: - Scores

    /// The aksi's own scores and each instansi's score within it, at the end of one triwulan.
    func scores(cycleID: Int, aksiID: Int, triwulan: Int) async throws -> [ScoreRow.Plain] {
        try await self.sql.raw(
            """
            SELECT \(unsafeRaw: ScoreRow.Plain.columns) FROM scores
            WHERE cycle_id = \(bind: cycleID) AND scope = \(bind: ScoreRow.Scope.instansiInAksi.rawValue)
              AND aksi_id = \(bind: aksiID) AND triwulan = \(bind: triwulan)
            UNION ALL
            SELECT \(unsafeRaw: ScoreRow.Plain.columns) FROM scores
            WHERE cycle_id = \(bind: cycleID) AND scope = \(bind: ScoreRow.Scope.aksi.rawValue)
              AND subject_id = \(bind: aksiID) AND triwulan = \(bind: triwulan)
            """
        ).all(reading: ScoreRow.Plain.self)
    }
}
