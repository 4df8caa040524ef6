import Leaf

/// `#url("aksi", number)`: the link to a route of `SiteURL` by its name, with its parameters' values in order. A
/// template never writes a path itself; an unknown name or a wrong count of values fails the render, and a test
/// renders every template's calls.
struct URLTag: LeafTag {
    struct Misuse: Error, CustomStringConvertible {
        let description: String
    }

    func render(_ ctx: LeafContext) throws -> LeafData {
        guard let name = ctx.parameters.first?.string else {
            throw Misuse(description: "#url needs a route's name as its first parameter")
        }
        guard let url = SiteURL.byName[name] else { throw Misuse(description: "#url: no route is named \(name)") }
        let values = ctx.parameters.dropFirst().map { $0.string ?? "" }
        guard values.count == url.parameterCount else {
            throw Misuse(description: "#url(\"\(name)\") takes \(url.parameterCount) values, not \(values.count)")
        }
        return .string(url.link(Array(values)))
    }
}
