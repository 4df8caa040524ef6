/// Indonesia's provinces as a tile map: one equal square per province, placed roughly where it lies (west to east,
/// north to south), coloured by score band. Equal tiles let small provinces count as much as large ones.
struct ProvinceTileMap {
    struct Tile {
        let isoCode: String
        let name: String
        let link: String
        /// A CSS class for the band, e.g. "band--high".
        let bandClass: String
        let label: String
    }

    /// Column and row of each province by ISO 3166-2 code.
    static let positions: [String: (Int, Int)] = [
        "ID-AC": (0, 0), "ID-SU": (1, 1), "ID-RI": (2, 1), "ID-KR": (3, 1), "ID-SB": (1, 2), "ID-JA": (2, 2),
        "ID-BE": (1, 3), "ID-SS": (2, 3), "ID-BB": (3, 3), "ID-LA": (2, 4), "ID-JK": (3, 4), "ID-BT": (2, 5),
        "ID-JB": (3, 5), "ID-JT": (4, 5), "ID-YO": (4, 6), "ID-JI": (5, 5), "ID-BA": (6, 5), "ID-NB": (7, 5),
        "ID-NT": (8, 5), "ID-KB": (4, 2), "ID-KT": (5, 2), "ID-KS": (5, 3), "ID-KI": (6, 2), "ID-KU": (6, 1),
        "ID-GO": (7, 1), "ID-SA": (8, 1), "ID-SR": (6, 3), "ID-ST": (7, 2), "ID-SN": (7, 3), "ID-SG": (8, 3),
        "ID-MU": (9, 1), "ID-MA": (9, 3), "ID-PB": (10, 2), "ID-PA": (11, 2),
    ]

    let title: String
    let tiles: [Tile]

    /// A group of links, one per province, each named by its province and score: not an image, since an image
    /// cannot hold controls (WCAG 4.1.2; axe's `nested-interactive`).
    var svg: String {
        let size = 52.0
        let gap = 4.0
        var parts = [
            "<svg class=\"tile-map\" viewBox=\"0 0 \(Int(12 * (size + gap))) \(Int(7 * (size + gap)))\" role=\"group\" "
                + "aria-label=\"\(LineChart.escape(self.title))\" xmlns=\"http://www.w3.org/2000/svg\">"
        ]
        for tile in self.tiles {
            guard let (column, row) = Self.positions[tile.isoCode] else { continue }
            let x = Double(column) * (size + gap)
            let y = Double(row) * (size + gap)
            let code = String(tile.isoCode.dropFirst(3))
            parts.append(
                "<a href=\"\(LineChart.escape(tile.link))\" "
                    + "aria-label=\"\(LineChart.escape(tile.name)): \(LineChart.escape(tile.label))\">"
                    + "<g class=\"tile \(tile.bandClass)\" aria-hidden=\"true\">"
                    + "<title>\(LineChart.escape(tile.name)): \(LineChart.escape(tile.label))</title>"
                    + "<rect x=\"\(Int(x))\" y=\"\(Int(y))\" width=\"\(Int(size))\" height=\"\(Int(size))\" rx=\"6\"/>"
                    + "<text x=\"\(Int(x + size / 2))\" y=\"\(Int(y + 22))\" text-anchor=\"middle\" class=\"tile__code\">\(code)</text>"
                    + "<text x=\"\(Int(x + size / 2))\" y=\"\(Int(y + 40))\" text-anchor=\"middle\" class=\"tile__value\">"
                    + "\(LineChart.escape(tile.label))</text></g></a>")
        }
        parts.append("</svg>")
        return parts.joined()
    }
}
