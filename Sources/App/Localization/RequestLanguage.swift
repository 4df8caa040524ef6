import StranasCore
import Vapor

/// The reader's language: chosen with the language switch and kept in a cookie; Bahasa Indonesia otherwise.
extension Request {
    static let languageCookie = "jaga_lang"

    var language: Language {
        self.cookies[Request.languageCookie].flatMap { Language(rawValue: $0.string) } ?? .default
    }

    /// Looks up a UI text in the reader's language.
    func t(_ key: String, _ arguments: String...) -> String {
        self.application.locales.text(key, self.language, arguments)
    }

    var displayFormat: DisplayFormat {
        self.application.locales.displayFormat(self.language)
    }

    /// The largest number the portal takes (`Quantity.maximum`), as the reader writes numbers: for the messages that
    /// name the allowed range.
    var quantityMaximum: String {
        self.displayFormat.number(Quantity.maximum)
    }
}
