import Vapor

/// What `jaga serve` does first when it is told to stop (SIGTERM from systemd, or Ctrl-C), before the background runner
/// and the database pools close: it stops accepting connections, so that a load balancer's next attempt fails to
/// connect and goes to another node (safe for every method, since nothing was sent), closes its idle keep-alive
/// connections, and lets each request in hand finish and be answered, for at most `JAGA_STOP_SECONDS`.
///
/// Registered after the runner, so that it runs before it (lifecycle handlers stop in reverse order).
struct GracefulStop: LifecycleHandler {
    func shutdownAsync(_ application: Application) async {
        let seconds = application.config.stopSeconds
        application.logger.notice(
            "Stopping: accepting no more connections; the requests in hand have \(seconds) s to finish.")
        // Bounded by the server's `shutdownTimeout`, which `configure` sets to the same seconds.
        await application.server.shutdown()
        application.logger.notice("Stopped serving.")
    }
}
