import Foundation

/// A small line chart drawn on the server as SVG: scores (0 to 1) over the months of a cycle. It needs no script
/// and no outside asset; every chart is shown with a table of the same numbers for screen readers and for copying.
struct LineChart {
    struct Series {
        let label: String
        /// A CSS class giving the line its colour and dash.
        let className: String
        /// One value per x position; nil leaves a gap.
        let values: [Double?]
    }

    let title: String
    let xLabels: [String]
    let series: [Series]

    static let width = 640.0
    static let height = 260.0
    static let margin = (left: 44.0, right: 12.0, top: 14.0, bottom: 34.0)

    var svg: String {
        let plotWidth = Self.width - Self.margin.left - Self.margin.right
        let plotHeight = Self.height - Self.margin.top - Self.margin.bottom
        let count = max(self.xLabels.count - 1, 1)
        func x(_ index: Int) -> Double { Self.margin.left + plotWidth * Double(index) / Double(count) }
        func y(_ value: Double) -> Double { Self.margin.top + plotHeight * (1 - min(max(value, 0), 1)) }
        func f(_ value: Double) -> String { String(format: "%.1f", value) }

        var parts: [String] = []
        parts.append(
            "<svg class=\"chart\" viewBox=\"0 0 \(Int(Self.width)) \(Int(Self.height))\" role=\"img\" "
                + "aria-label=\"\(Self.escape(self.title))\" xmlns=\"http://www.w3.org/2000/svg\">")
        for tick in stride(from: 0.0, through: 1.0, by: 0.25) {
            parts.append(
                "<line class=\"chart__grid\" x1=\"\(f(Self.margin.left))\" x2=\"\(f(Self.width - Self.margin.right))\" "
                    + "y1=\"\(f(y(tick)))\" y2=\"\(f(y(tick)))\"/>")
            parts.append(
                "<text class=\"chart__axis\" x=\"\(f(Self.margin.left - 6))\" y=\"\(f(y(tick) + 4))\" "
                    + "text-anchor=\"end\">\(Int(tick * 100))%</text>")
        }
        for (index, label) in self.xLabels.enumerated() {
            parts.append(
                "<text class=\"chart__axis\" x=\"\(f(x(index)))\" y=\"\(f(Self.height - 12))\" "
                    + "text-anchor=\"middle\">\(Self.escape(label))</text>")
        }
        for series in self.series {
            var path = ""
            var pen = false
            for (index, value) in series.values.enumerated() {
                guard let value else {
                    pen = false
                    continue
                }
                path += "\(pen ? "L" : "M")\(f(x(index))),\(f(y(value))) "
                pen = true
            }
            parts.append(
                "<path class=\"chart__line \(series.className)\" d=\"\(path.trimmingCharacters(in: .whitespaces))\">"
                    + "<title>\(Self.escape(series.label))</title></path>")
            for (index, value) in series.values.enumerated() {
                guard let value else { continue }
                parts.append(
                    "<circle class=\"chart__dot \(series.className)\" cx=\"\(f(x(index)))\" cy=\"\(f(y(value)))\" r=\"3\"/>"
                )
            }
        }
        parts.append("</svg>")
        return parts.joined()
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
