import Foundation
import StranasCore
import Vapor

/// Every UI string, per language, read from `Resources/Locales/{id,en}.json` at start-up.
///
/// Keys are flat and dotted (`nav.plan`). A value may hold numbered placeholders `{1}`, `{2}` filled in order.
struct LocaleCatalog: Sendable {
    private let strings: [Language: [String: String]]

    enum LoadError: Error, CustomStringConvertible {
        case unreadable(path: String)
        case keysDiffer(missingInEnglish: [String], missingInIndonesian: [String])

        var description: String {
            switch self {
            case .unreadable(let path):
                "Locale catalog \(path) is missing or is not a JSON object of strings."
            case .keysDiffer(let missingInEnglish, let missingInIndonesian):
                "Locale catalogs differ: missing in en: \(missingInEnglish.sorted()); missing in id: "
                    + "\(missingInIndonesian.sorted())."
            }
        }
    }

    init(strings: [Language: [String: String]]) {
        self.strings = strings
    }

    /// Loads every language; refuses catalogs whose keys differ, so that no page shows a key instead of a text.
    static func load(directory: String) throws -> LocaleCatalog {
        var strings: [Language: [String: String]] = [:]
        for language in Language.allCases {
            let path = (directory as NSString).appendingPathComponent("\(language.rawValue).json")
            guard let data = FileManager.default.contents(atPath: path),
                let table = try? JSONDecoder().decode([String: String].self, from: data)
            else { throw LoadError.unreadable(path: path) }
            strings[language] = table
        }
        let indonesian = Set(strings[.id]!.keys)
        let english = Set(strings[.en]!.keys)
        guard indonesian == english else {
            throw LoadError.keysDiffer(
                missingInEnglish: Array(indonesian.subtracting(english)),
                missingInIndonesian: Array(english.subtracting(indonesian)))
        }
        return LocaleCatalog(strings: strings)
    }

    func contains(_ key: String) -> Bool {
        self.strings[.id]?[key] != nil
    }

    /// The text for `key`, with `{1}`, `{2}`... replaced by `arguments`. An unknown key shows itself, so that a
    /// missing text is visible in review; the catalog tests make sure no template uses one.
    func text(_ key: String, _ language: Language, _ arguments: [String] = []) -> String {
        var text = self.strings[language]?[key] ?? key
        for (index, argument) in arguments.enumerated() {
            text = text.replacingOccurrences(of: "{\(index + 1)}", with: argument)
        }
        return text
    }

    func displayFormat(_ language: Language) -> DisplayFormat {
        DisplayFormat(language: language, monthNames: (1...12).map { self.text("month.\($0)", language) })
    }
}

extension Application {
    private struct LocaleCatalogKey: StorageKey {
        typealias Value = LocaleCatalog
    }

    var locales: LocaleCatalog {
        get {
            guard let catalog = self.storage[LocaleCatalogKey.self] else {
                fatalError("The locale catalog is loaded in configure(_:with:) before any request is served.")
            }
            return catalog
        }
        set { self.storage[LocaleCatalogKey.self] = newValue }
    }
}
