import Foundation

/// What a new password must be: long enough, not absurdly long, and not one of the commonly used passwords.
/// No composition rules (digits, symbols, cases): length and a deny-list protect better and annoy less.
public struct PasswordPolicy: Sendable {
    public static let minimumLength = 8
    /// Long passphrases are welcome; the ceiling only bounds the work of hashing.
    public static let maximumLength = 128

    public enum Problem: Error, Equatable, Sendable {
        case tooShort
        case tooLong
        case common
        case mismatch
    }

    /// Common passwords, lower-cased.
    private let common: Set<String>

    public init(commonPasswords: some Sequence<String>) {
        self.common = Set(commonPasswords.map { $0.lowercased() })
    }

    /// Reads a word list: one password a line; lines starting `#!comment:` and blank lines are skipped.
    public static func commonPasswords(fromList text: String) -> [String] {
        text.split(whereSeparator: \.isNewline)
            .map(String.init)
            .filter { !$0.hasPrefix("#!comment:") && !$0.isEmpty }
    }

    public var commonPasswordCount: Int { self.common.count }

    /// The first problem with a new password and its confirmation, or nil when it may be used.
    /// Length counts characters as people see them, so "kata sandi rahasia" and non-Latin scripts count fairly.
    public func problem(with password: String, confirmation: String) -> Problem? {
        if password.count < Self.minimumLength { return .tooShort }
        if password.count > Self.maximumLength { return .tooLong }
        if self.common.contains(password.lowercased()) { return .common }
        if password != confirmation { return .mismatch }
        return nil
    }
}
