import StranasCore
import Vapor

extension Request {
    /// A plan-file problem in the reader's language, with its line number.
    func text(for problem: PlanFile.Problem) -> String {
        let message: String =
            switch problem.kind {
            case .tooLarge(let bytes):
                self.t("planfile.too_large", self.displayFormat.number(Double(bytes)), String(PlanFile.maximumBytes))
            case .notUTF8: self.t("planfile.not_utf8")
            case .empty: self.t("planfile.empty")
            case .unterminatedQuote: self.t("planfile.unterminated_quote")
            case .missingColumns(let names): self.t("planfile.missing_columns", names.joined(separator: ", "))
            case .unknownColumns(let names): self.t("planfile.unknown_columns", names.joined(separator: ", "))
            case .unknownRecordKind(let kind): self.t("planfile.unknown_kind", kind)
            case .missingValue(let column): self.t("planfile.missing_value", column)
            case .notANumber(let column, let value): self.t("planfile.not_a_number", column, value)
            case .notAWholeNumber(let column, let value): self.t("planfile.not_a_whole_number", column, value)
            case .outOfRange(let column, let value): self.t("planfile.out_of_range", column, value)
            case .numberTooLarge(let column, let value):
                self.t("planfile.number_too_large", column, value, self.quantityMaximum)
            case .tooLong(let column, let limit):
                self.t("planfile.too_long", column, self.displayFormat.number(Double(limit)))
            case .unknownIndicatorKind(let kind): self.t("planfile.unknown_indicator_kind", kind)
            case .unknownRole(let role): self.t("planfile.unknown_role", role)
            case .duplicateCode(let code): self.t("planfile.duplicate_code", code)
            case .duplicateRow(let what): self.t("planfile.duplicate_row", what)
            case .unknownParent(let kind, let code): self.t("planfile.unknown_parent", code, kind)
            case .codeDoesNotMatchParent(let code, let parent): self.t("planfile.code_parent", code, parent)
            case .unknownInstansi(let name): self.t("planfile.unknown_instansi", name)
            case .inactiveInstansi(let name): self.t("planfile.inactive_instansi", name)
            case .unknownPredecessor(let code): self.t("planfile.unknown_predecessor", code)
            }
        return problem.line > 0 ? self.t("planfile.line", String(problem.line), message) : message
    }
}
