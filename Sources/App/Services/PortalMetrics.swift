import Foundation
import Prometheus
import SQLKit
import Vapor

/// What operators watch, in the Prometheus text format at `/metrics` (`MetricsController`): requests by route pattern,
/// method and status with their latency, page-cache outcomes, database failures, mail outcomes, refused uploads, and,
/// read at each scrape, jobs by state with the age of the oldest due one. Labels are route patterns and fixed words,
/// never a path, a query or anything a person typed: nothing about a reporter can reach a series.
final class PortalMetrics: Sendable {
    let registry = PrometheusCollectorRegistry()

    static let latencyBuckets: [Duration] = [
        .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100),
        .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(2.5), .seconds(5), .seconds(10),
    ]

    private static func name(_ metric: String, _ unit: String, _ help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(namespace: "jaga", metricName: metric, unitName: unit, helpText: help)
    }

    func requestFinished(route: String, method: String, status: UInt, duration: Duration) {
        self.registry.makeCounter(
            descriptor: Self.name("http_requests", "total", "Requests answered, by route pattern, method and status."),
            labels: [("route", route), ("method", method), ("status", String(status))]
        ).increment()
        self.registry.makeDurationHistogram(
            descriptor: Self.name("http_request_duration", "seconds", "Time to answer, by route pattern."),
            labels: [("route", route)], buckets: Self.latencyBuckets
        ).record(duration)
    }

    /// `hit`, `miss` or `stale` (`PageCacheMiddleware`).
    func pageCache(_ outcome: String) {
        self.registry.makeCounter(
            descriptor: Self.name("page_cache", "total", "Public page views by page-cache outcome."),
            labels: [("outcome", outcome)]
        ).increment()
    }

    /// A request refused because the database or the disk could not serve it (`Unavailability`), or an unexpected
    /// error.
    func failure(_ kind: String) {
        self.registry.makeCounter(
            descriptor: Self.name(
                "failures", "total", "Requests that failed: database_unavailable, storage_full, internal."),
            labels: [("kind", kind)]
        ).increment()
    }

    /// `sent` or `failed`.
    func mail(_ outcome: String) {
        self.registry.makeCounter(
            descriptor: Self.name("mail_deliveries", "total", "Outbox deliveries by outcome."),
            labels: [("outcome", outcome)]
        ).increment()
    }

    /// `empty`, `too_large`, `kind` (not an accepted file kind) or `body_too_large` (the whole request).
    func uploadRefused(_ reason: String) {
        self.registry.makeCounter(
            descriptor: Self.name("uploads_refused", "total", "Uploaded files refused, by reason."),
            labels: [("reason", reason)]
        ).increment()
    }

    /// Reads the jobs table into gauges, then writes every series.
    func exposition(database: any SQLDatabase, now: Date) async throws -> String {
        struct Row: Decodable {
            let state: String
            let count: Int
        }
        let rows = try await database.raw("SELECT state, count(*) AS count FROM jobs GROUP BY state")
            .all(decoding: Row.self)
        for state in Job.State.allCases {
            self.registry.makeGauge(
                descriptor: Self.name("jobs", "count", "Background jobs by state."), labels: [("state", state.rawValue)]
            ).set(Double(rows.first { $0.state == state.rawValue }?.count ?? 0))
        }
        struct Oldest: Decodable { let runAt: Date? }
        let oldest = try await database.select().column(SQLFunction("min", args: SQLColumn("run_at")), as: "run_at")
            .from("jobs").where("state", .equal, Job.State.pending.rawValue)
            .where("run_at", .lessThanOrEqual, SQLBind(now))
            .first(decoding: Oldest.self, keyDecodingStrategy: .convertFromSnakeCase)?.runAt
        self.registry.makeGauge(
            descriptor: Self.name("jobs_oldest_due_age", "seconds", "How long the oldest due job has waited.")
        ).set(oldest.map { max(0, now.timeIntervalSince($0)) } ?? 0)
        return self.registry.emitToString()
    }
}

extension Application {
    private struct PortalMetricsKey: StorageKey {
        typealias Value = PortalMetrics
    }

    /// The app's series (`configure` makes them).
    var metrics: PortalMetrics {
        get {
            guard let metrics = self.storage[PortalMetricsKey.self] else {
                fatalError("configure(_:config:) makes the metrics before anything counts.")
            }
            return metrics
        }
        set { self.storage[PortalMetricsKey.self] = newValue }
    }
}
