import Foundation
import Vapor
import Yams

/// The API's description: the committed OpenAPI document at `/api/v1/openapi.yaml`, and a page for people at
/// `/api` that lists every operation with its parameters and answers, made from the same document.
struct APIReferenceController: RouteCollection {
    /// The document as committed, read once at start-up.
    let document: String
    let reference: Reference

    init(resourcesDirectory: String) throws {
        let path = resourcesDirectory + "API/openapi.yaml"
        guard let data = FileManager.default.contents(atPath: path) else {
            throw StartupError("Cannot read the API description \(path).")
        }
        self.document = String(decoding: data, as: UTF8.self)
        do {
            self.reference = try Reference(yaml: self.document)
        } catch {
            throw StartupError("The API description \(path) is not valid: \(error).")
        }
    }

    func boot(routes: any RoutesBuilder) throws {
        routes.grouped(OpenDataHeadersMiddleware()).get(SiteURL.apiDocument, use: self.yaml)
        routes.get(SiteURL.apiReference, use: self.page)
    }

    @Sendable func yaml(request: Request) async throws -> Response {
        let response = Response(status: .ok, body: .init(string: self.document))
        response.headers.contentType = HTTPMediaType(
            type: "application", subType: "yaml", parameters: ["charset": "utf-8"])
        return response
    }

    struct ReferencePage: Encodable {
        let page: PageContext
        let reference: Reference
        let documentPath: String
    }

    @Sendable func page(request: Request) async throws -> View {
        try await request.view.render(
            "api-reference",
            ReferencePage(
                page: PageContext(request: request, title: request.t("api.reference.title"), cycle: nil),
                reference: self.reference, documentPath: SiteURL.apiDocument()))
    }

    /// What the page shows of the document: title and description, and per operation its method, path, summary,
    /// parameters and answers.
    struct Reference: Encodable, Sendable {
        struct Operation: Encodable, Sendable {
            let method: String
            let path: String
            let summary: String
            /// HTML, from the document's Markdown (`InlineMarkdown`).
            let description: String?
            let parameters: [Parameter]
            let hasParameters: Bool
            let responses: [String]
        }

        struct Parameter: Encodable, Sendable {
            let name: String
            let location: String
            let required: Bool
            /// HTML, from the document's Markdown.
            let description: String
            let schema: String
        }

        let title: String
        /// HTML, from the document's Markdown.
        let description: String
        let base: String
        let operations: [Operation]

        init(yaml: String) throws {
            guard let root = try Yams.load(yaml: yaml) as? [String: Any], let info = root["info"] as? [String: Any],
                let paths = root["paths"] as? [String: Any]
            else { throw ReferenceError("the document has no info or paths") }
            let components = root["components"] as? [String: Any] ?? [:]
            func resolve(_ node: Any?) -> [String: Any] {
                guard let map = node as? [String: Any] else { return [:] }
                guard let ref = map["$ref"] as? String, ref.hasPrefix("#/components/") else { return map }
                let parts = ref.dropFirst("#/components/".count).split(separator: "/").map(String.init)
                guard parts.count == 2, let group = components[parts[0]] as? [String: Any] else { return [:] }
                return resolve(group[parts[1]])
            }
            func describe(_ schema: [String: Any]) -> String {
                let schema = resolve(schema)
                var text = (schema["type"] as? String) ?? (schema["type"] as? [String])?.joined(separator: " | ") ?? ""
                if let values = schema["enum"] as? [Any] {
                    text += ": " + values.map { "\($0)" }.joined(separator: ", ")
                }
                if let minimum = schema["minimum"], let maximum = schema["maximum"] { text += " \(minimum)–\(maximum)" }
                return text
            }
            self.title = info["title"] as? String ?? ""
            self.description = InlineMarkdown.html(info["description"] as? String ?? "")
            self.base = ((root["servers"] as? [[String: Any]])?.first?["url"] as? String) ?? ""
            var operations: [Operation] = []
            // In the document's order, which a plain map would lose.
            let order =
                try Yams.compose(yaml: yaml)?["paths"]?.mapping?.keys.compactMap(\.string) ?? paths.keys.sorted()
            for path in order {
                guard let item = paths[path] as? [String: Any] else { continue }
                for method in ["get", "post", "put", "patch", "delete"] {
                    guard let operation = item[method] as? [String: Any] else { continue }
                    let parameters = (operation["parameters"] as? [Any] ?? []).map(resolve).map { parameter in
                        Parameter(
                            name: parameter["name"] as? String ?? "", location: parameter["in"] as? String ?? "",
                            required: parameter["required"] as? Bool ?? false,
                            description: InlineMarkdown.inline(parameter["description"] as? String ?? ""),
                            schema: describe(parameter["schema"] as? [String: Any] ?? [:]))
                    }
                    let responses = (operation["responses"] as? [String: Any] ?? [:]).keys.sorted().map { code in
                        let response = resolve((operation["responses"] as? [String: Any])?[code])
                        return "\(code) \(response["description"] as? String ?? "")"
                    }
                    operations.append(
                        Operation(
                            method: method.uppercased(), path: self.base + path,
                            summary: operation["summary"] as? String ?? "",
                            description: (operation["description"] as? String).map(InlineMarkdown.html),
                            parameters: parameters,
                            hasParameters: !parameters.isEmpty, responses: responses))
                }
            }
            self.operations = operations
        }
    }

    struct ReferenceError: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }
}
