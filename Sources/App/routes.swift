import Vapor

/// The one table of contents of the app's URLs, grouped by audience.
func routes(_ app: Application) throws {
    // Operations: probes for the load balancer and the orchestrator.
    try app.register(collection: HealthController())

    // Public pages: no account needed.
    try app.register(collection: PlanController())  // /
    try app.register(collection: AksiController())  // /aksi/{nomor}
    try app.register(collection: InstansiDirectoryController())  // /instansi
    try app.register(collection: InstansiController())  // /instansi/{id}
    try app.register(collection: LanguageController())  // /bahasa/{kode}
}
