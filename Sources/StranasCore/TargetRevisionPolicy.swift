import Foundation

/// When a target change needs a written reason: always, once the cycle's plan is published. Before that the plan is a
/// draft and changes freely.
public enum TargetRevisionPolicy {
    /// A reason says why in a sentence; a word or two ("koreksi") does not tell the public anything.
    public static let minimumReasonLength = 15
    public static let maximumReasonLength = 2000

    public enum Problem: Equatable, Sendable {
        case reasonRequired
        case reasonTooLong
    }

    public static func problem(isPublished: Bool, hasChanges: Bool, reason: String) -> Problem? {
        let trimmed = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.count > self.maximumReasonLength { return .reasonTooLong }
        guard isPublished, hasChanges else { return nil }
        return trimmed.count < self.minimumReasonLength ? .reasonRequired : nil
    }
}
