import Crypto
import Fluent
import Foundation
import NIOConcurrencyHelpers
import StranasCore
import Testing
import VaporTesting

@testable import App

/// A clock the test moves by hand, for idle timeouts, link expiry and throttling.
final class TestClock: Sendable {
    private let current = NIOLockedValueBox(testToday)

    var now: Date { self.current.withLockedValue { $0 } }

    func advance(by seconds: TimeInterval) {
        self.current.withLockedValue { $0.addTimeInterval(seconds) }
    }

    var appClock: AppClock { AppClock(now: { self.now }) }
}

/// A browser for HTTP tests: keeps cookies between requests and sends forms with the CSRF token of the page they
/// came from, the way a person's browser would.
struct TestBrowser {
    let app: Application
    var cookies: [String: String] = [:]

    init(_ app: Application) {
        self.app = app
    }

    struct Page {
        let status: HTTPStatus
        let location: String?
        let html: String
        let headers: HTTPHeaders
    }

    mutating func get(_ path: String, headers: HTTPHeaders = [:]) async throws -> Page {
        try await self.send(.GET, path, body: nil, contentType: nil, headers: headers)
    }

    /// Posts a form, adding the `_csrf` field unless `csrf` says otherwise.
    mutating func post(
        _ path: String, _ fields: [(String, String)], csrf: String? = nil, headers: HTTPHeaders = [:]
    ) async throws -> Page {
        var all = fields
        if let token = csrf ?? self.currentCSRFToken() { all.append(("_csrf", token)) }
        let body = all.map { key, value in
            "\(Self.encode(key))=\(Self.encode(value))"
        }.joined(separator: "&")
        return try await self.send(
            .POST, path, body: Data(body.utf8), contentType: .urlEncodedForm, headers: headers)
    }

    /// Posts a form body that is already encoded, byte for byte.
    mutating func postEncoded(_ path: String, body: Data) async throws -> Page {
        try await self.send(.POST, path, body: body, contentType: .urlEncodedForm)
    }

    /// Posts a multipart form with one file, as a browser does for `<input type="file">`.
    mutating func postFile(
        _ path: String, field: String, fileName: String, content: Data, fields: [(String, String)]
    ) async throws -> Page {
        try await self.postMultipart(path, fields: fields, files: [(field, fileName, content)])
    }

    /// Posts a multipart form with any number of fields and files (field name, file name, bytes).
    mutating func postMultipart(
        _ path: String, fields: [(String, String)], files: [(String, String, Data)]
    ) async throws -> Page {
        let boundary = "jaga-test-\(UUID().uuidString)"
        var body = Data()
        for (name, value) in fields {
            body.append(
                Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n".utf8))
        }
        for (field, fileName, content) in files {
            body.append(
                Data(
                    ("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(field)\"; filename=\"\(fileName)\"\r\n"
                        + "Content-Type: application/octet-stream\r\n\r\n").utf8))
            body.append(content)
            body.append(Data("\r\n".utf8))
        }
        body.append(Data("--\(boundary)--\r\n".utf8))
        return try await self.send(
            .POST, path, body: body,
            contentType: HTTPMediaType(type: "multipart", subType: "form-data", parameters: ["boundary": boundary]))
    }

    /// The token a page of this browser's session would carry: the session's, or the anonymous cookie's.
    func currentCSRFToken() -> String? {
        self.cookies[CSRFProtection.cookieName] ?? nil
    }

    /// Fetches a page and returns the CSRF token its form carries.
    mutating func csrfToken(from path: String) async throws -> String {
        let page = try await self.get(path)
        return try #require(firstCapture(#"name="_csrf" value="([^"]+)""#, in: page.html))
    }

    private mutating func send(
        _ method: HTTPMethod, _ path: String, body: Data?, contentType: HTTPMediaType?, headers extra: HTTPHeaders = [:]
    )
        async throws -> Page
    {
        var headers = extra
        if !self.cookies.isEmpty {
            headers.replaceOrAdd(
                name: .cookie, value: self.cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; "))
        }
        var buffer = ByteBuffer()
        if let body, let contentType {
            headers.contentType = contentType
            buffer.writeBytes(body)
        }
        var result: Page?
        var received: [String: HTTPCookies.Value] = [:]
        try await self.app.testing().test(method, path, headers: headers, body: buffer) { response in
            received = response.headers.setCookie?.all ?? [:]
            result = Page(
                status: response.status, location: response.headers.first(name: .location),
                html: response.body.string, headers: response.headers)
        }
        for (name, value) in received {
            if value.string.isEmpty || value.maxAge == 0 {
                self.cookies[name] = nil
            } else {
                self.cookies[name] = value.string
            }
        }
        return try #require(result)
    }

    private static func encode(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? text
    }

    /// Signs in with a password and, for accounts with a second factor, the current TOTP code.
    mutating func signIn(_ email: String, _ password: String, totpSecret: String? = nil) async throws -> Page {
        let token = try await self.csrfToken(from: "/masuk")
        var page = try await self.post("/masuk", [("email", email), ("password", password)], csrf: token)
        if page.location == SiteURL.secondFactor(), let secret = totpSecret {
            let code = totpCode(secret: secret, at: self.app.clock.now())
            let codeToken = try await self.csrfToken(from: SiteURL.secondFactor())
            page = try await self.post(SiteURL.secondFactor(), [("code", code)], csrf: codeToken)
        }
        return page
    }
}

/// The code an authenticator app shows for `secret` at `time`.
func totpCode(secret: String, at time: Date) -> String {
    TOTP.generate(
        key: SymmetricKey(data: Base32.decode(secret)!), digest: .sha1, digits: .six, interval: 30, time: time)
}

/// An account made directly in the database: active, with a password and, for roles that need one, a TOTP secret.
struct TestAccount {
    let user: User
    let password: String
    let totpSecret: String?

    var id: Int { self.user.id! }
    var email: String { self.user.email }
}

func makeAccount(
    _ roles: Set<Role>, instansi: Instansi? = nil, email: String? = nil, status: User.Status = .active,
    on app: Application
) async throws -> TestAccount {
    let address =
        email ?? "\(roles.map(\.rawValue).sorted().joined(separator: "-"))-\(UUID().uuidString.prefix(8))@test.example"
    let user = User(
        name: "Test " + address, email: address, position: "Staf", status: status, instansiID: instansi?.id)
    let password = "uji coba " + UUID().uuidString.prefix(8)
    user.passwordHash = try app.passwordRules.hash(password)
    let secret = roles.requiresTwoFactor ? TwoFactor.newSecret() : nil
    user.totpSecret = secret
    try await user.create(on: app.db)
    for role in roles { try await UserRole(userID: user.requireID(), role: role).create(on: app.db) }
    return TestAccount(user: user, password: password, totpSecret: secret)
}

func instansi(_ abbreviation: String, on app: Application) async throws -> Instansi {
    try #require(try await Instansi.query(on: app.db).filter(\.$abbreviation == abbreviation).first())
}

/// The first group of the first match of `pattern` in `text`.
func firstCapture(_ pattern: String, in text: String) -> String? {
    guard let expression = try? NSRegularExpression(pattern: pattern),
        let match = expression.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)),
        let range = Range(match.range(at: 1), in: text)
    else { return nil }
    return String(text[range])
}

/// The name and value of every form field whose name matches `namePattern`, in page order: what a browser sends
/// back when the form is submitted unchanged.
func formFields(matching namePattern: String, in html: String) -> [(String, String)] {
    guard let expression = try? NSRegularExpression(pattern: #"name="("# + namePattern + #")" value="([^"]*)""#) else {
        return []
    }
    return expression.matches(in: html, range: NSRange(html.startIndex..., in: html)).map { match in
        (String(html[Range(match.range(at: 1), in: html)!]), String(html[Range(match.range(at: 2), in: html)!]))
    }
}
