/// The order of the portal's league tables, the same on the dashboard, in its CSV and in a published report.
public enum Ranking {
    /// Instansi (or aksi) by verified score, then by claimed score, highest first; unscored last; ties by name, A to Z.
    public static func scoreOrder(
        _ a: (verified: Double?, claimed: Double?, name: String),
        before b: (verified: Double?, claimed: Double?, name: String)
    ) -> Bool {
        (a.verified ?? -1, a.claimed ?? -1, b.name) > (b.verified ?? -1, b.claimed ?? -1, a.name)
    }

    /// Reporting discipline: the most complete reporting first, then the most on time, then the fewest returns; ties
    /// by name, A to Z.
    public static func disciplineOrder(
        _ a: (completeness: Double?, onTime: Double?, returns: Int, name: String),
        before b: (completeness: Double?, onTime: Double?, returns: Int, name: String)
    ) -> Bool {
        (a.completeness ?? -1, a.onTime ?? -1, -a.returns, b.name) > (
            b.completeness ?? -1, b.onTime ?? -1, -b.returns, a.name
        )
    }

    /// The ranks of entries already in ranking order, given the keys that decide it: equal keys share a rank and the
    /// next rank skips as many places ("1, 2, 2, 4"), so that ten instansi tied at 0% are not ranked 2 to 10 by name.
    public static func sharedRanks<Key: Equatable>(_ keys: [Key]) -> [Int] {
        var ranks: [Int] = []
        ranks.reserveCapacity(keys.count)
        for index in keys.indices {
            ranks.append(index > 0 && keys[index - 1] == keys[index] ? ranks[index - 1] : index + 1)
        }
        return ranks
    }
}
