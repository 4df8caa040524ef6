/// Which of a controller's routes a registration adds, for a controller that serves the public and Setnas: the
/// public half goes in the page cache's group, Setnas's half with the signed-in pages (`routes.swift`).
enum RouteAudience: Sendable {
    case publicPages
    case setnas
}
