import Foundation

/// The package's own source files, read as text, for the tests that hold the code to its architecture.
enum SourceTree {
    /// The package's root directory.
    static let root: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// Every file under `folder` (relative to the root) whose name ends in `suffix`, with its path from the root.
    static func files(under folder: String, ending suffix: String) throws -> [(path: String, text: String)] {
        let base = self.root.appendingPathComponent(folder)
        guard let walker = FileManager.default.enumerator(at: base, includingPropertiesForKeys: nil) else { return [] }
        var found: [(String, String)] = []
        for case let url as URL in walker where url.lastPathComponent.hasSuffix(suffix) {
            let path = String(url.path.dropFirst(self.root.path.count + 1))
            found.append((path, try String(contentsOf: url, encoding: .utf8)))
        }
        return found.sorted { $0.0 < $1.0 }
    }

    /// The lines of `text` that match `pattern`, as "path:line: text", leaving out comment lines.
    static func matches(of pattern: String, in files: [(path: String, text: String)]) throws -> [String] {
        let expression = try NSRegularExpression(pattern: pattern)
        var found: [String] = []
        for (path, text) in files {
            for (number, line) in text.components(separatedBy: "\n").enumerated() {
                let trimmed = line.trimmingCharacters(in: .whitespaces)
                if trimmed.hasPrefix("//") { continue }
                let range = NSRange(line.startIndex..., in: line)
                if expression.firstMatch(in: line, range: range) != nil {
                    found.append("\(path):\(number + 1): \(trimmed)")
                }
            }
        }
        return found
    }
}
