import Vapor

/// An error a person is meant to read: a status and a text from the locale catalog, rendered as an error page in
/// the reader's language by `ErrorPageMiddleware`.
struct PageError: Error {
    let status: HTTPResponseStatus
    let messageKey: String
    let arguments: [String]

    static func notFound(_ messageKey: String = "error.not_found", _ arguments: String...) -> PageError {
        PageError(status: .notFound, messageKey: messageKey, arguments: arguments)
    }

    static func badRequest(_ messageKey: String, _ arguments: String...) -> PageError {
        PageError(status: .badRequest, messageKey: messageKey, arguments: arguments)
    }
}
