/// What a plan item's words may be, in the tree editor and in a plan file alike (ADR 0008: one set of rules). The
/// numbers' rule is `Quantity`'s: a weight above zero, a final target of zero or more.
public enum PlanItemRules {
    /// The longest name of a fokus, title of an aksi or output, or description of an indicator, in characters.
    public static let maximumTitleLength = 2_000
    /// The longest unit of an indicator, in characters.
    public static let maximumUnitLength = 100

    public enum Problem: Equatable, Sendable {
        case titleMissing
        case titleTooLong
        case unitMissingOrTooLong
    }

    /// What is wrong with an item's title (already trimmed), if anything.
    public static func problem(withTitle title: String) -> Problem? {
        if title.isEmpty { return .titleMissing }
        return title.count > self.maximumTitleLength ? .titleTooLong : nil
    }

    /// What is wrong with an indicator's unit (already trimmed), if anything.
    public static func problem(withUnit unit: String) -> Problem? {
        unit.isEmpty || unit.count > self.maximumUnitLength ? .unitMissingOrTooLong : nil
    }
}
