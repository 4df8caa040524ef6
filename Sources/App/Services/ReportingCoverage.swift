import Fluent
import SQLKit

/// How far the active instansi have come with one triwulan's lines: how many have lines there, how many of those have
/// not yet sent every line to Setnas (a line counts as sent once it is submitted or accepted; a returned one is open
/// again), and the lines in each state. The home page's coverage task and the publication check read the same figures.
struct ReportingCoverage: Equatable {
    /// Active instansi with at least one target in the triwulan.
    let instansi: Int
    /// Of those, the ones with a line not yet with Setnas.
    let lagging: Int
    let lines: Int
    let accepted: Int
    /// Submitted, waiting for the verifikator.
    let waiting: Int
    let returned: Int

    /// Lines not yet with Setnas: never opened, draft, or in the instansi's own review.
    var notSubmitted: Int { self.lines - self.accepted - self.waiting - self.returned }

    private struct InstansiRow: Decodable {
        let lines: Int
        let accepted: Int
        let waiting: Int
        let returned: Int
    }

    static func read(triwulanID: Int, on database: any Database) async throws -> ReportingCoverage {
        let sql = database as! any SQLDatabase
        let rows = try await sql.raw(
            """
            SELECT COUNT(*) AS lines,
                SUM(CASE WHEN l.state = 'accepted' THEN 1 ELSE 0 END) AS accepted,
                SUM(CASE WHEN l.state = 'submitted' THEN 1 ELSE 0 END) AS waiting,
                SUM(CASE WHEN l.state = 'returned' THEN 1 ELSE 0 END) AS returned
            FROM targets t
            JOIN instansi s ON s.id = t.instansi_id
            LEFT JOIN report_lines l ON l.target_id = t.id
            WHERE t.triwulan_id = \(bind: triwulanID) AND s.is_active = \(bind: true)
            GROUP BY t.instansi_id
            """
        ).all(decoding: InstansiRow.self)
        return ReportingCoverage(
            instansi: rows.count, lagging: rows.filter { $0.accepted + $0.waiting < $0.lines }.count,
            lines: rows.reduce(0) { $0 + $1.lines }, accepted: rows.reduce(0) { $0 + $1.accepted },
            waiting: rows.reduce(0) { $0 + $1.waiting }, returned: rows.reduce(0) { $0 + $1.returned })
    }
}
