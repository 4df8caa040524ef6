import StranasCore
import Vapor

/// A table as a CSV download: UTF-8, commas, a header row, numbers with a decimal point, quoted where needed, and no
/// cell that a spreadsheet would run as a formula (`SpreadsheetCell`).
enum CSVDownload {
    /// `fileName` must be built from codes and ids only, never from anything sent to us.
    static func response(_ rows: [[String]], fileName: String) -> Response {
        self.response(
            text: rows.map { $0.map { PlanFile.quote(SpreadsheetCell.neutralised($0)) }.joined(separator: ",") }
                .joined(separator: "\n") + "\n",
            fileName: fileName)
    }

    /// A CSV file written elsewhere (the plan, the report lines), as a download.
    static func response(text: String, fileName: String) -> Response {
        let response = Response(status: .ok, body: .init(string: text))
        response.headers.contentType = HTTPMediaType(type: "text", subType: "csv", parameters: ["charset": "utf-8"])
        response.headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"\(fileName)\"")
        return response
    }

    /// A score (a fraction) as a percentage with at most two decimals; empty when there is none.
    static func percent(_ fraction: Double?) -> String {
        fraction.map { PlanFile.format(($0 * 10_000).rounded() / 100) } ?? ""
    }
}
