import Foundation
import Vapor

/// The query parameters a public page knows, declared with its route. For visitors served from the page cache a
/// parameter the page does not know is a 400 (as in the API), so that random parameters cannot make every request a
/// fresh render; the cache key is the canonical form of the known ones (sorted by name), so that `?a=1&b=2` and
/// `?b=2&a=1` are one page. Links shared on social media carry tracking parameters (`utm_…`, `fbclid`): those are
/// answered with a permanent redirect to the page without them, which costs no render either.
struct KnownQuery: Sendable {
    let names: Set<String>

    static let userInfoKey = "jaga.knownQuery"

    enum Reading: Equatable {
        /// The canonical query ("" when none), for the cache key.
        case canonical(String)
        /// Only tracking parameters besides known ones: go here instead.
        case redirect(String)
        /// A parameter the page does not know.
        case unknown(String)
    }

    static func isTracking(_ name: String) -> Bool {
        let lowered = name.lowercased()
        return lowered.hasPrefix("utm_")
            || ["fbclid", "gclid", "msclkid", "igshid", "mc_cid", "mc_eid"].contains(lowered)
    }

    func read(path: String, query: String?) -> Reading {
        guard let query, !query.isEmpty else { return .canonical("") }
        var components = URLComponents()
        components.percentEncodedQuery = query
        let items = components.queryItems ?? []
        let kept = items.filter { self.names.contains($0.name) }
        if let unknown = items.first(where: { !self.names.contains($0.name) && !Self.isTracking($0.name) }) {
            return .unknown(unknown.name)
        }
        var canonical = URLComponents()
        canonical.queryItems = kept.enumerated().sorted { ($0.element.name, $0.offset) < ($1.element.name, $1.offset) }
            .map(\.element)
        let text = kept.isEmpty ? "" : canonical.percentEncodedQuery ?? ""
        if kept.count != items.count { return .redirect(path + (text.isEmpty ? "" : "?" + text)) }
        return .canonical(text)
    }
}

extension Route {
    /// The query parameters the route's page knows, if it declared them.
    var knownQuery: KnownQuery? { self.userInfo[KnownQuery.userInfoKey] as? KnownQuery }

    /// Declares the query parameters the page knows (`KnownQuery`).
    @discardableResult
    func knowing(query names: Set<String>) -> Route {
        self.userInfo[KnownQuery.userInfoKey] = KnownQuery(names: names)
        return self
    }
}
