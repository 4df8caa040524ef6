import Foundation
import NIOConcurrencyHelpers
import SQLKit
import Vapor

/// Whether this node can do its work, for the load balancer (`/readyz`): its database answers within
/// `AppConfig.readinessBound` (2 s), its data directory takes a file and keeps more than `JAGA_MIN_FREE_MB` free, and
/// its sealing key seals and opens. Every check is bounded, so the answer comes in time even while the database hangs.
struct Readiness {
    let app: Application

    /// One failed check: what and why, in words for an operator.
    struct Problem: Equatable, CustomStringConvertible {
        let check: String
        let reason: String

        var description: String { "\(self.check): \(self.reason)" }
    }

    func problems() async -> [Problem] {
        var problems: [Problem] = []
        let database = self.app.db
        let bound = self.app.config.readinessBound
        switch await BoundedWait.outcome(
            within: bound, { try await (database as! any SQLDatabase).raw("SELECT 1").run() })
        {
        case .none: problems.append(Problem(check: "database", reason: "no answer within \(bound)"))
        case .failure(let error)?:
            problems.append(Problem(check: "database", reason: DatabasePreparation.reason(error)))
        case .success?: break
        }
        if let problem = Self.dataDirectoryProblem(self.app.config) { problems.append(problem) }
        let key = self.app.sealingKey
        let probe = Data("siap".utf8)
        if (try? key.seal(probe, purpose: "readyz")).flatMap({ try? key.open($0, purpose: "readyz") }) != probe {
            problems.append(Problem(check: "sealing key", reason: "cannot seal and open"))
        }
        return problems
    }

    /// The data directory takes a file and keeps the configured free space.
    static func dataDirectoryProblem(_ config: AppConfig) -> Problem? {
        let probe = (config.dataDirectory as NSString).appendingPathComponent(".readyz-\(UUID().uuidString)")
        guard FileManager.default.createFile(atPath: probe, contents: Data("siap".utf8)) else {
            return Problem(check: "data directory", reason: "\(config.dataDirectory) does not take a file")
        }
        try? FileManager.default.removeItem(atPath: probe)
        if let free = FreeSpace.megabytes(at: config.dataDirectory), free < config.minimumFreeMegabytes {
            return Problem(
                check: "data directory",
                reason: "\(free) MB free, below JAGA_MIN_FREE_MB=\(config.minimumFreeMegabytes)")
        }
        return nil
    }
}

/// Free space on the file system of a directory.
enum FreeSpace {
    static func megabytes(at path: String) -> Int? {
        var status = statvfs()
        guard statvfs(path, &status) == 0 else { return nil }
        return Int(UInt64(status.f_bavail) * UInt64(status.f_frsize) / 1_048_576)
    }
}

/// Refuses changes (every method but GET and HEAD) while the data directory's free space is below
/// `JAGA_MIN_FREE_MB`: a 503 that gives back what was typed, before the disk fills up under the database and the
/// files. The free space is looked at once per `interval`.
struct StorageFloorGuard: AsyncMiddleware {
    static let interval: TimeInterval = 5

    private let lastLook = NIOLockedValueBox<(at: Date, low: Bool)?>(nil)

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        guard request.method != .GET, request.method != .HEAD, self.isLow(request.application.config) else {
            return try await next.respond(to: request)
        }
        throw Unavailability.storage
    }

    private func isLow(_ config: AppConfig) -> Bool {
        let now = Date()
        if let last = self.lastLook.withLockedValue({ $0 }), now.timeIntervalSince(last.at) < Self.interval {
            return last.low
        }
        let low = FreeSpace.megabytes(at: config.dataDirectory).map { $0 < config.minimumFreeMegabytes } ?? false
        self.lastLook.withLockedValue { $0 = (now, low) }
        return low
    }
}
