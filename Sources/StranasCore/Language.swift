/// The languages the portal speaks. Bahasa Indonesia is the default.
public enum Language: String, Sendable, CaseIterable, Codable {
    case id
    case en

    public static let `default` = Language.id
}
