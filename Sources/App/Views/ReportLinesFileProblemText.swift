import StranasCore
import Vapor

extension Request {
    /// What is wrong with an uploaded spreadsheet of report lines (the instansi's or a verifikator's), in the reader's
    /// language. Problems a plan file can
    /// have too are worded as they are for plan files.
    func text(for problem: ReportLinesFile.Problem) -> String {
        let message: String =
            switch problem.kind {
            case .tooLarge(let bytes):
                self.t(
                    "planfile.too_large", self.displayFormat.number(Double(bytes)),
                    String(ReportLinesFile.maximumBytes))
            case .notUTF8: self.t("planfile.not_utf8")
            case .empty: self.t("reportfile.empty")
            case .unterminatedQuote: self.t("planfile.unterminated_quote")
            case .missingColumns(let names): self.t("planfile.missing_columns", names.joined(separator: ", "))
            case .unknownColumns(let names): self.t("planfile.unknown_columns", names.joined(separator: ", "))
            case .missingValue(let column): self.t("planfile.missing_value", column)
            case .notAWholeNumber(let column, let value): self.t("planfile.not_a_whole_number", column, value)
            case .notACapaian(let value): self.t("report.error.capaian", value, self.quantityMaximum)
            case .duplicateLine(let id): self.t("reportfile.duplicate_line", String(id))
            case .unknownSendValue(let value): self.t("reportfile.unknown_send", value)
            case .unknownDecision(let value): self.t("verificationfile.unknown_decision", value)
            case .notAVerifiedValue(let value): self.t("verificationfile.not_a_value", value, self.quantityMaximum)
            }
        return problem.line > 0 ? self.t("reportfile.line", String(problem.line), message) : message
    }
}
