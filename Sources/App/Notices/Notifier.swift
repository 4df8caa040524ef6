import Fluent
import SQLKit
import StranasCore
import Vapor

/// Tells signed-in people something: a notice in their inbox and, unless they turned that topic's e-mails off (never
/// for escalations), an e-mail in their language. Each thing told has a key (`ReminderKey` for reminders); a key is
/// written once, in the same transaction as the notice and the e-mail, so that whatever runs how often, nobody is
/// told the same thing twice.
struct Notifier {
    let app: Application
    var database: any Database { self.app.db }

    /// A notice as one person reads it.
    struct Content: Sendable {
        let title: String
        /// Plain text; paragraphs separated by blank lines, list items starting with "- ".
        let text: String
        /// A path on the portal.
        let link: String
    }

    /// Tells `user` about those of `items` whose key is new, in one notice made by `content` in their language.
    /// With a `gate`, a key of its own written in the same transaction, nothing is told once the gate is written (a
    /// digest once a day), and the items stay untold for the next gate. Returns whether anything was told.
    @discardableResult
    func tell<Item: Sendable>(
        _ user: User, topic: NoticeTopic, about items: [Item], key: @escaping @Sendable (Item) -> String,
        gate: String? = nil, content: @escaping @Sendable ([Item], Language) -> Content
    ) async throws -> Bool {
        guard user.status == .active, let userID = user.id, !items.isEmpty else { return false }
        let language = Language(rawValue: user.language) ?? .id
        let optedOut =
            topic.isOptional
            ? try await MailOptOut.query(on: self.database).filter(\.$user.$id == userID).filter(\.$topic == topic)
                .first() != nil
            : false
        let app = self.app
        let now = app.clock.now()
        do {
            return try await self.database.transaction { db in
                if let gate, try await !Self.claim(gate, now: now, on: db) { return false }
                var fresh: [Item] = []
                for item in items where try await Self.claim(key(item), now: now, on: db) { fresh.append(item) }
                // Nothing new after all: the gate's key is taken back with the transaction.
                guard !fresh.isEmpty else { throw NothingFresh() }
                try await Self.write(
                    content(fresh, language), to: user, userID: userID, topic: topic, language: language,
                    mailed: !optedOut, now: now, on: db, app: app)
                return true
            }
        } catch is NothingFresh {
            return false
        }
    }

    private struct NothingFresh: Error {}

    /// The notice in the inbox and, when `mailed`, its e-mail in the outbox.
    private static func write(
        _ told: Content, to user: User, userID: Int, topic: NoticeTopic, language: Language, mailed: Bool, now: Date,
        on db: any Database, app: Application
    ) async throws {
        try await Notice(userID: userID, topic: topic, title: told.title, body: told.text, link: told.link, now: now)
            .create(on: db)
        guard mailed else { return }
        let mail = Self.mail(told, to: user.name, topic: topic, language: language, app: app)
        try await Mailbox.post(
            OutboxMessage(recipient: user.email, subject: told.title, body: mail.text, htmlBody: mail.html, now: now),
            on: db, app: app)
    }

    /// Of `keys`, those not written yet: read before a scan opens transactions for people already told.
    func unwritten(_ keys: [String]) async throws -> Set<String> {
        var written: Set<String> = []
        let sql = self.database as! any SQLDatabase
        for chunk in stride(from: 0, to: keys.count, by: 500).map({ Array(keys[$0..<min($0 + 500, keys.count)]) }) {
            struct Row: Decodable { let key: String }
            let rows = try await sql.select().column("key").from("notice_keys")
                .where("key", .in, SQLBind.group(chunk)).all(decoding: Row.self)
            written.formUnion(rows.map(\.key))
        }
        return Set(keys).subtracting(written)
    }

    /// Writes `key`; false when it was written before.
    static func claim(_ key: String, now: Date, on database: any Database) async throws -> Bool {
        struct Row: Decodable { let key: String }
        let rows = try await (database as! any SQLDatabase).insert(into: "notice_keys").columns("key", "created_at")
            .values(SQLBind(key), SQLBind(now)).ignoringConflicts(with: "key").returning("key")
            .all(decoding: Row.self)
        return !rows.isEmpty
    }

    /// The e-mail of a notice: a greeting, the text, the link, and what the person can change about such mail.
    static func mail(
        _ content: Content, to name: String, topic: NoticeTopic, language: Language, app: Application
    ) -> (text: String, html: String) {
        let locales = app.locales
        let link = app.config.publicURL + content.link
        let greeting = locales.text("mail.notice.greeting", language, [name])
        let open = locales.text("mail.notice.open", language)
        let footer = locales.text(
            topic.isOptional ? "mail.notice.footer" : "mail.notice.footer_escalation", language,
            [app.config.publicURL + SiteURL.noticeSettings()])
        let text = [greeting, content.text, "\(open)\n\(link)", "-- \n\(footer)"].joined(separator: "\n\n")
        let html = """
            <!doctype html><html lang="\(language.rawValue)"><body style="font-family:sans-serif;line-height:1.5">
            <p>\(greeting.htmlEscaped)</p>
            \(Self.html(content.text))
            <p><a href="\(link.htmlEscaped)">\(open.htmlEscaped)</a></p>
            <hr><p style="color:#555;font-size:90%">\(footer.htmlEscaped)</p>
            </body></html>
            """
        return (text, html)
    }

    /// Paragraphs and "- " lists of a notice's text as HTML.
    static func html(_ text: String) -> String {
        text.components(separatedBy: "\n\n").map { block in
            let lines = block.split(separator: "\n").map(String.init)
            if !lines.isEmpty, lines.allSatisfy({ $0.hasPrefix("- ") }) {
                return "<ul>" + lines.map { "<li>\(String($0.dropFirst(2)).htmlEscaped)</li>" }.joined() + "</ul>"
            }
            return "<p>" + lines.map(\.htmlEscaped).joined(separator: "<br>") + "</p>"
        }.joined(separator: "\n")
    }
}

extension String {
    /// The text with the five HTML-significant characters escaped, for mail bodies.
    var htmlEscaped: String {
        var escaped = ""
        for character in self {
            switch character {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            case "'": escaped += "&#39;"
            default: escaped.append(character)
            }
        }
        return escaped
    }
}
