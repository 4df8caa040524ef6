import StranasCore
import Vapor

extension Request {
    /// What is wrong with a report line's words or links, in the reader's language: the same sentence on the web
    /// form, in the reporting API's answer and beside a spreadsheet's row.
    func text(for problem: ReportContentRules.Problem) -> String {
        switch problem {
        case .tooLong(let field, let limit):
            self.t("report.error.too_long", self.t(Self.labelKey(of: field)), self.displayFormat.number(Double(limit)))
        case .notALink(let link): self.t("report.error.link", link)
        case .notWhole(let value):
            self.t("report.error.not_whole", self.displayFormat.number(value, maximumFractionDigits: 6))
        }
    }

    private static func labelKey(of field: ReportContentRules.Field) -> String {
        switch field {
        case .narasi: "report.field.narasi"
        case .kendala: "report.field.kendala"
        case .tindakLanjut: "report.field.tindak_lanjut"
        case .links: "report.field.links"
        }
    }
}
