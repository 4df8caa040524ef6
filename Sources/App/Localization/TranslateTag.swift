import Leaf
import StranasCore

/// `#t("key")` or `#t("key", arg1, arg2)` in a template: the UI text in the reader's language, HTML-escaped.
struct TranslateTag: LeafTag {
    struct Misuse: Error, CustomStringConvertible {
        let description: String
    }

    func render(_ ctx: LeafContext) throws -> LeafData {
        guard let key = ctx.parameters.first?.string else {
            throw Misuse(description: "#t needs a text key as its first parameter")
        }
        guard let request = ctx.request else { throw Misuse(description: "#t renders only in a request") }
        let arguments = ctx.parameters.dropFirst().map { $0.string ?? "" }
        return .string(request.application.locales.text(key, request.language, Array(arguments)))
    }
}
