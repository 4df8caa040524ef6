import Fluent
import Foundation
import StranasCore
import Vapor

/// How the open data API answers: JSON with sorted keys (so that the same data is the same bytes, and the same ETag),
/// days as ISO text, moments in ISO 8601 UTC; lists a page at a time.
enum APIResponses {
    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }()

    static func json(_ value: some Encodable) throws -> Response {
        let response = Response(status: .ok, body: .init(data: try Self.encoder.encode(value)))
        response.headers.contentType = .json
        return response
    }
}

/// The page a list request asks for: `page` from 1, `per_page` from 1 to 500 (100 by default). Anything else is a
/// 400 that names the parameter.
struct APIPageRequest {
    static let defaultSize = 100
    static let maximumSize = 500

    let number: Int
    let size: Int

    init(_ request: Request) throws {
        self.number = try APIQuery.integer("page", in: request, range: 1...1_000_000) ?? 1
        self.size = try APIQuery.integer("per_page", in: request, range: 1...Self.maximumSize) ?? Self.defaultSize
    }

    var offset: Int { (self.number - 1) * self.size }

    /// One page of `query`, with the count of all its items.
    func load<M: Model>(_ query: QueryBuilder<M>) async throws -> (items: [M], info: APIPageInfo) {
        let total = try await query.copy().count()
        let items = try await query.range(self.offset..<(self.offset + self.size)).all()
        return (items, APIPageInfo(number: self.number, size: self.size, total: total))
    }
}

struct APIPageInfo: Encodable {
    let number: Int
    let size: Int
    let total: Int
}

/// A page of a list, as every list endpoint answers.
struct APIPage<Item: Encodable>: Encodable {
    let data: [Item]
    let page: APIPageInfo
}

/// Reading query parameters strictly: a parameter that is present must parse and be in range, or the request is
/// refused with the parameter's name (a typo must not silently widen a filter).
enum APIQuery {
    /// Refuses a query parameter the operation does not know, so that a misspelt filter is an error rather than a
    /// silently wider answer.
    static func requireKnown(_ request: Request, _ known: Set<String>) throws {
        let names = URLComponents(string: request.url.string)?.queryItems?.map(\.name) ?? []
        if let unknown = names.first(where: { !known.contains($0) }) {
            throw APIError(
                status: .badRequest, code: "unknown_parameter", messageKey: "api.error.unknown_parameter",
                arguments: [String(unknown.prefix(40)), known.isEmpty ? "–" : known.sorted().joined(separator: ", ")])
        }
    }

    static let paging: Set<String> = ["page", "per_page"]

    static func text(_ name: String, in request: Request) -> String? {
        guard let value = request.query[String.self, at: name] else { return nil }
        return value
    }

    static func integer(_ name: String, in request: Request, range: ClosedRange<Int>) throws -> Int? {
        guard let raw = Self.text(name, in: request) else { return nil }
        guard let value = Int(raw), range.contains(value) else {
            throw APIError.badParameter(
                name, expected: "api.expected.whole_number", String(range.lowerBound), String(range.upperBound))
        }
        return value
    }

    static func choice<T: RawRepresentable>(_ name: String, in request: Request, as type: T.Type) throws -> T?
    where T.RawValue == String, T: CaseIterable {
        guard let raw = Self.text(name, in: request) else { return nil }
        guard let value = T(rawValue: raw) else {
            throw APIError.badParameter(
                name, expected: "api.expected.one_of", T.allCases.map(\.rawValue).joined(separator: ", "))
        }
        return value
    }

    /// A text parameter that must match `pattern`; `expected` is the locale key saying what it must look like.
    static func matching(_ name: String, in request: Request, pattern: String, expected: String) throws -> String? {
        guard let raw = Self.text(name, in: request) else { return nil }
        guard raw.count <= 100, raw.range(of: pattern, options: .regularExpression) != nil else {
            throw APIError.badParameter(name, expected: expected)
        }
        return raw
    }
}

/// An API error with its stable code; `ErrorPageMiddleware` answers it as `{"error": {"code", "message"}}`, the
/// message in the reader's language.
struct APIError: Error {
    let status: HTTPResponseStatus
    let code: String
    let messageKey: String
    let arguments: [String]
    /// A further text, itself looked up in the reader's language, that ends the message (what a parameter expects).
    var detail: (key: String, arguments: [String])?

    static func badParameter(_ name: String, expected key: String, _ arguments: String...) -> APIError {
        APIError(
            status: .badRequest, code: "bad_parameter", messageKey: "api.error.bad_parameter", arguments: [name],
            detail: (key, arguments))
    }

    static func unknownCycle(_ code: String) -> APIError {
        APIError(status: .notFound, code: "unknown_cycle", messageKey: "api.error.unknown_cycle", arguments: [code])
    }

    func message(in language: Language, _ locales: LocaleCatalog) -> String {
        let detail = self.detail.map { locales.text($0.key, language, $0.arguments) }
        return locales.text(self.messageKey, language, self.arguments + (detail.map { [$0] } ?? []))
    }
}

/// An optional field the API writes as `null` rather than leaving out, since its document lists every field as
/// required (a missing field and an unknown one must not look alike to a program).
@propertyWrapper
struct AlwaysPresent<Value: Encodable & Sendable>: Encodable, Sendable {
    var wrappedValue: Value?

    init(wrappedValue: Value?) {
        self.wrappedValue = wrappedValue
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        if let value = self.wrappedValue {
            try container.encode(value)
        } else {
            try container.encodeNil()
        }
    }
}
