import Foundation
import Yams

@testable import App

/// The committed OpenAPI document, read for the tests, with a validator of JSON values against its schemas: the
/// subset of JSON Schema the document uses (type with null, properties, required, additionalProperties: false,
/// items, enum, minimum, maximum, pattern, date and date-time formats, $ref to components).
struct OpenAPIDocument {
    let root: [String: Any]

    init() throws {
        let path = SMTPSink.packageRoot.appendingPathComponent("Resources/API/openapi.yaml").path
        let text = try String(contentsOfFile: path, encoding: .utf8)
        guard let root = try Yams.load(yaml: text) as? [String: Any] else { throw DocumentError("not a map") }
        self.root = root
    }

    struct DocumentError: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }

    var base: String { ((self.root["servers"] as? [[String: Any]])?.first?["url"] as? String) ?? "" }
    var paths: [String: [String: Any]] { (self.root["paths"] as? [String: [String: Any]]) ?? [:] }

    /// A node with `$ref` replaced by what it names.
    func resolve(_ node: Any?) -> [String: Any] {
        guard let map = node as? [String: Any] else { return [:] }
        guard let ref = map["$ref"] as? String else { return map }
        var current: Any? = self.root
        for part in ref.dropFirst(2).split(separator: "/") { current = (current as? [String: Any])?[String(part)] }
        return self.resolve(current)
    }

    /// The operation's parameters, resolved.
    func parameters(_ operation: [String: Any]) -> [[String: Any]] {
        (operation["parameters"] as? [Any] ?? []).map { self.resolve($0) }
    }

    /// The schema of an operation's JSON answer with `status`.
    func responseSchema(_ operation: [String: Any], status: Int) -> [String: Any]? {
        let response = self.resolve((operation["responses"] as? [String: Any])?[String(status)])
        let content = response["content"] as? [String: Any]
        return (content?["application/json"] as? [String: Any])?["schema"] as? [String: Any]
    }

    /// Every way `value` breaks `schema`, as JSON paths with what was wrong; empty when it conforms.
    func problems(_ value: JSONValue, against schema: [String: Any], at path: String = "$") -> [String] {
        let schema = self.resolve(schema)
        var problems: [String] = []
        let types: [String] = (schema["type"] as? [String]) ?? ((schema["type"] as? String).map { [$0] } ?? [])
        if !types.isEmpty {
            let matches = types.contains { type in
                switch (type, value) {
                case ("null", .null), ("string", .string), ("boolean", .bool), ("number", .number), ("object", .object),
                    ("array", .array):
                    true
                case ("integer", .number(let number)): number == number.rounded()
                default: false
                }
            }
            if !matches { return ["\(path): \(value) is not \(types.joined(separator: " or "))"] }
        }
        if let values = schema["enum"] as? [Any], !values.contains(where: { "\($0)" == value.text }) {
            problems.append("\(path): \(value) is not one of \(values)")
        }
        switch value {
        case .number(let number):
            if let minimum = Self.double(schema["minimum"]), number < minimum {
                problems.append("\(path): \(number) < \(minimum)")
            }
            if let maximum = Self.double(schema["maximum"]), number > maximum {
                problems.append("\(path): \(number) > \(maximum)")
            }
        case .string(let text):
            if let pattern = schema["pattern"] as? String, text.range(of: pattern, options: .regularExpression) == nil {
                problems.append("\(path): \(text) does not match \(pattern)")
            }
            switch schema["format"] as? String {
            case "date":
                if text.range(of: #"^\d{4}-\d{2}-\d{2}$"#, options: .regularExpression) == nil {
                    problems.append("\(path): \(text) is not a date")
                }
            case "date-time":
                if ISO8601DateFormatter().date(from: text) == nil {
                    problems.append("\(path): \(text) is not a date-time")
                }
            default: break
            }
        case .object(let object):
            let properties = schema["properties"] as? [String: Any] ?? [:]
            for name in schema["required"] as? [String] ?? [] where object[name] == nil {
                problems.append("\(path): \(name) is missing")
            }
            if (schema["additionalProperties"] as? Bool) == false {
                for name in object.keys where properties[name] == nil {
                    problems.append("\(path): \(name) is not described")
                }
            }
            for (name, property) in properties {
                if let item = object[name], let propertySchema = property as? [String: Any] {
                    problems += self.problems(item, against: propertySchema, at: "\(path).\(name)")
                }
            }
        case .array(let array):
            if let items = schema["items"] as? [String: Any] {
                for (index, item) in array.enumerated() {
                    problems += self.problems(item, against: items, at: "\(path)[\(index)]")
                }
            }
        case .null, .bool:
            break
        }
        return problems
    }

    private static func double(_ value: Any?) -> Double? {
        switch value {
        case let number as Int: Double(number)
        case let number as Double: number
        default: nil
        }
    }
}

/// A JSON value as the API sent it, told apart exactly (a boolean is never a number).
enum JSONValue: Decodable, CustomStringConvertible {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([JSONValue].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: JSONValue].self))
        }
    }

    static func parse(_ text: String) throws -> JSONValue {
        try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
    }

    /// The value as the document's enum lists would print it.
    var text: String {
        switch self {
        case .string(let text): text
        case .number(let number): number == number.rounded() ? String(Int(number)) : String(number)
        case .bool(let value): String(value)
        default: self.description
        }
    }

    var description: String {
        switch self {
        case .null: "null"
        case .bool(let value): String(value)
        case .number(let number): String(number)
        case .string(let text): "\"\(text)\""
        case .array(let items): "[\(items.count) items]"
        case .object(let object): "{\(object.keys.sorted().joined(separator: ", "))}"
        }
    }

    subscript(key: String) -> JSONValue? {
        if case .object(let object) = self { return object[key] }
        return nil
    }

    var items: [JSONValue] {
        if case .array(let items) = self { return items }
        return []
    }
}
