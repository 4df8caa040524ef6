import Foundation

/// Spreads an indicator's final target over the triwulan of a cycle, the way the demo plan and a fresh assignment
/// get their quarterly targets before Setnas sets them by hand.
public enum TargetRamp {
    /// Quarterly target values, keyed by triwulan number (1...`triwulanCount`).
    ///
    /// - A milestone has one target, 1, in the triwulan it is due.
    /// - A cumulative count climbs in equal steps to the final value, rounded up to whole units.
    /// - A percentage climbs in equal steps to the final value, rounded to whole percent.
    public static func quarterlyTargets(
        kind: IndicatorKind,
        finalTarget: Double,
        triwulanCount: Int = ReportingCalendar.triwulanPerCycle,
        milestoneDueIn: Int
    ) -> [Int: Double] {
        switch kind {
        case .milestone:
            let due = min(max(milestoneDueIn, 1), triwulanCount)
            return [due: 1]
        case .cumulative, .percentage:
            var targets: [Int: Double] = [:]
            for number in 1...triwulanCount {
                let share = finalTarget * Double(number) / Double(triwulanCount)
                targets[number] = kind == .cumulative ? share.rounded(.up) : share.rounded(.toNearestOrAwayFromZero)
            }
            targets[triwulanCount] = finalTarget
            return targets
        }
    }

    /// The part of a national count target that one instansi carries.
    ///
    /// A count such as "34 provinsi" is a national total: a K/L carries it whole, while each of the regional
    /// governments assigned to it carries an equal share, rounded up. Percentages and milestones are not shared.
    public static func finalTarget(
        nationalTarget: Double,
        kind: IndicatorKind,
        assignee: InstansiKind,
        regionalAssigneeCount: Int
    ) -> Double {
        guard kind == .cumulative, assignee.isRegional, regionalAssigneeCount > 0 else { return nationalTarget }
        return (nationalTarget / Double(regionalAssigneeCount)).rounded(.up)
    }
}
