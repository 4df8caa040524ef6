import Fluent
import Foundation
import SQLKit
import StranasCore

/// The reads behind the public instansi page and its scorecard, one statement each and as plain rows, so that the
/// page runs a fixed, small number of statements whatever the size of the plan.
struct InstansiRecords {
    let database: any Database

    private var sql: any SQLDatabase { self.database as! any SQLDatabase }

    struct InstansiRow: Decodable {
        let id: Int
        let kind: InstansiKind
        let name: String
        let abbreviation: String?
        let klCategory: String?
        let seat: String?
        let isTimnasMember: Bool
        let provenance: String?
        let isActive: Bool
        let parentID: Int?
        let parentName: String?

        enum CodingKeys: String, CodingKey {
            case id, kind, name, abbreviation
            case klCategory = "kl_category"
            case seat
            case isTimnasMember = "is_timnas_member"
            case provenance
            case isActive = "is_active"
            case parentID = "parent_id"
            case parentName = "parent_name"
        }
    }

    /// The instansi and, for a province, the kab/kota in it (by name): the first row is the instansi itself.
    func instansiWithRegencies(id: Int) async throws -> [InstansiRow] {
        let rows = try await self.sql.raw(
            """
            SELECT i.id, i.kind, i.name, i.abbreviation, i.kl_category, i.seat, i.is_timnas_member, i.provenance,
                   i.is_active, i.parent_id, p.name AS parent_name
            FROM instansi i LEFT JOIN instansi p ON p.id = i.parent_id
            WHERE i.id = \(bind: id) OR i.parent_id = \(bind: id)
            ORDER BY i.name
            """
        ).all(decoding: InstansiRow.self)
        guard let own = rows.first(where: { $0.id == id }) else { return [] }
        return [own] + rows.filter { $0.id != id }
    }

    struct CarriedRow: Decodable {
        let aksiID: Int
        let number: Int
        let title: String
        let role: PelaksanaRole

        enum CodingKeys: String, CodingKey {
            case aksiID = "aksi_id"
            case number, title, role
        }
    }

    /// The aksi the instansi carries in a cycle, one row per assignment (to the aksi or to one of its outputs).
    func carried(instansiID: Int, cycleID: Int) async throws -> [CarriedRow] {
        try await self.sql.raw(
            """
            SELECT a.id AS aksi_id, a.number, a.title, p.role
            FROM pelaksana p JOIN aksi a ON a.id = p.aksi_id
            WHERE p.instansi_id = \(bind: instansiID) AND a.cycle_id = \(bind: cycleID)
            """
        ).all(decoding: CarriedRow.self)
    }

    struct TargetRow: Decodable {
        let indicatorID: Int
        let code: String
        let description: String
        let unit: String
        let predecessorID: Int?
        let aksiNumber: Int
        let triwulan: Int
        let value: Double

        enum CodingKeys: String, CodingKey {
            case indicatorID = "indicator_id"
            case code, description, unit
            case predecessorID = "predecessor_id"
            case aksiNumber = "aksi_number"
            case triwulan, value
        }
    }

    /// The instansi's targets in a cycle with their indicator and aksi.
    func targets(instansiID: Int, cycleID: Int) async throws -> [TargetRow] {
        try await self.sql.raw(
            """
            SELECT n.id AS indicator_id, n.code, n.description, n.unit, n.predecessor_id, a.number AS aksi_number,
                   w.number AS triwulan, t.value
            FROM targets t
            JOIN triwulan w ON w.id = t.triwulan_id
            JOIN indicators n ON n.id = t.indicator_id
            JOIN outputs o ON o.id = n.output_id
            JOIN aksi a ON a.id = o.aksi_id
            WHERE t.instansi_id = \(bind: instansiID) AND w.cycle_id = \(bind: cycleID)
            """
        ).all(decoding: TargetRow.self)
    }

    struct RevisionRow: Decodable {
        let code: String
        let triwulan: Int
        let oldValue: Double?
        let newValue: Double?
        let reason: String
        let at: Date

        enum CodingKeys: String, CodingKey {
            case code, triwulan
            case oldValue = "old_value"
            case newValue = "new_value"
            case reason, at
        }
    }

    /// Revisions of the instansi's targets in a cycle, newest first.
    func revisions(instansiID: Int, cycleID: Int) async throws -> [RevisionRow] {
        try await self.sql.raw(
            """
            SELECT n.code, w.number AS triwulan, r.old_value, r.new_value, r.reason, r.at
            FROM target_revisions r
            JOIN triwulan w ON w.id = r.triwulan_id
            JOIN indicators n ON n.id = r.indicator_id
            WHERE r.instansi_id = \(bind: instansiID) AND w.cycle_id = \(bind: cycleID)
            ORDER BY r.at DESC, r.id DESC
            """
        ).all(decoding: RevisionRow.self)
    }

    struct PredecessorTarget: Decodable {
        let indicatorID: Int
        let code: String
        let cycleCode: String
        /// 1 when the predecessor's cycle is published (an integer: the two databases spell booleans differently).
        let published: Int
        let triwulan: Int?
        let value: Double?

        enum CodingKeys: String, CodingKey {
            case indicatorID = "indicator_id"
            case code
            case cycleCode = "cycle_code"
            case published
            case triwulan, value
        }
    }

    /// These indicators (predecessors in an earlier cycle) with their cycle and the instansi's targets in them.
    func predecessorTargets(indicatorIDs: [Int], instansiID: Int) async throws -> [PredecessorTarget] {
        guard !indicatorIDs.isEmpty else { return [] }
        return try await self.sql.raw(
            """
            SELECT n.id AS indicator_id, n.code, c.code AS cycle_code,
                   CASE WHEN c.published_at IS NULL THEN 0 ELSE 1 END AS published, w.number AS triwulan, t.value
            FROM indicators n
            JOIN outputs o ON o.id = n.output_id
            JOIN aksi a ON a.id = o.aksi_id
            JOIN cycles c ON c.id = a.cycle_id
            LEFT JOIN targets t ON t.indicator_id = n.id AND t.instansi_id = \(bind: instansiID)
            LEFT JOIN triwulan w ON w.id = t.triwulan_id
            WHERE n.id IN (\(binds: indicatorIDs))
            """
        ).all(decoding: PredecessorTarget.self)
    }

    struct ChangeRow: Decodable {
        let kind: InstansiChange.Kind
        let onDate: String
        let oldName: String?
        let note: String?
        let otherID: Int?
        let otherName: String?

        enum CodingKeys: String, CodingKey {
            case kind
            case onDate = "on_date"
            case oldName = "old_name"
            case note
            case otherID = "other_id"
            case otherName = "other_name"
        }
    }

    /// The instansi's own history, newest first.
    func history(instansiID: Int) async throws -> [ChangeRow] {
        try await self.sql.raw(
            """
            SELECT c.kind, c.on_date, c.old_name, c.note, c.other_instansi_id AS other_id, o.name AS other_name
            FROM instansi_changes c LEFT JOIN instansi o ON o.id = c.other_instansi_id
            WHERE c.instansi_id = \(bind: instansiID)
            ORDER BY c.on_date DESC, c.id DESC
            """
        ).all(decoding: ChangeRow.self)
    }
}
