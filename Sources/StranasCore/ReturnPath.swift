import Foundation

/// Where a "come back to" parameter (`kembali`, `lanjut`, a notice's link) may send a browser: a path on this site
/// and nothing else. Browsers strip tabs and newlines from a URL and read a backslash as a slash, so `/\tevil.example`
/// and `/\evil.example` would both become `//evil.example`, another site; any control character, any backslash, a
/// scheme, a host or a leading `//` makes the whole value fall back to the home page.
public enum ReturnPath {
    public static let home = "/"

    /// `candidate` when it is a path on this site, else the home page.
    public static func local(_ candidate: String?) -> String {
        guard let candidate, candidate.hasPrefix("/"), candidate.utf8.count <= 2_048,
            !candidate.unicodeScalars.contains(where: { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) }),
            !candidate.unicodeScalars.contains(where: { $0.properties.isWhitespace || $0 == "\\" }),
            !candidate.hasPrefix("//"),
            let components = URLComponents(string: candidate),
            components.scheme == nil, components.host == nil, components.user == nil, components.port == nil,
            components.percentEncodedPath.hasPrefix("/"), !components.percentEncodedPath.hasPrefix("//")
        else { return self.home }
        return candidate
    }
}
