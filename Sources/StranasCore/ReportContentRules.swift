/// What a report line's words and links may be, whichever way they arrive: the web form, the reporting API and the
/// spreadsheet all call these rules, and `ReportDesk` calls them again before it writes, so that no entry point can
/// store what another would refuse. The capaian's rule is `Quantity`'s.
public enum ReportContentRules {
    /// The longest narasi, kendala or tindak lanjut, in characters.
    public static let maximumTextLength = 10_000
    /// The longest list of links, one per line, in characters.
    public static let maximumLinksLength = 4_000

    /// A line's fields these rules judge, named as the line's form and the spreadsheet's columns name them.
    public enum Field: String, CaseIterable, Sendable {
        case narasi, kendala
        case tindakLanjut = "tindak_lanjut"
        case links = "tautan"
    }

    public enum Problem: Equatable, Sendable {
        case tooLong(Field, limit: Int)
        /// Not a web address: it must start with https:// or http:// (the text as given, at most 100 characters).
        case notALink(String)
        /// A capaian with a fraction where the indicator counts whole things (`IndicatorKind.countsWholeUnits`).
        case notWhole(Double)
    }

    /// The links in `text`: separated by line ends or spaces (a web address holds neither), empty ones dropped.
    public static func links(in text: String) -> [String] {
        text.split(whereSeparator: \.isWhitespace).map(String.init)
    }

    /// Whether `link` is a web address a reader can follow.
    public static func isLink(_ link: String) -> Bool {
        (link.hasPrefix("https://") && link.count > 8) || (link.hasPrefix("http://") && link.count > 7)
    }

    /// Every problem with a line's words and links, in the fields' order; none when they may be stored.
    /// `capaian` is judged against `kind`: a count or a milestone takes whole numbers only.
    public static func problems(
        narasi: String, kendala: String, tindakLanjut: String, links: [String], capaian: Double? = nil,
        kind: IndicatorKind? = nil
    ) -> [Problem] {
        var problems: [Problem] = []
        if let capaian, let kind, kind.countsWholeUnits, capaian.isFinite, capaian != capaian.rounded() {
            problems.append(.notWhole(capaian))
        }
        for (field, text) in [(Field.narasi, narasi), (.kendala, kendala), (.tindakLanjut, tindakLanjut)]
        where text.count > self.maximumTextLength {
            problems.append(.tooLong(field, limit: self.maximumTextLength))
        }
        if links.joined(separator: "\n").count > self.maximumLinksLength {
            problems.append(.tooLong(.links, limit: self.maximumLinksLength))
        }
        for link in links where !self.isLink(link) {
            problems.append(.notALink(String(link.prefix(100))))
        }
        return problems
    }
}
