import Fluent
import Foundation

/// One piece of background work: what to do (`kind` and `payload`), when it may run, and how its attempts went.
/// Runners take jobs only through `JobQueue`, which claims each for one runner at a time.
final class Job: Model, @unchecked Sendable {
    static let schema = "jobs"

    enum State: String, Codable, Sendable, CaseIterable {
        /// Waiting for `runAt`; after a failed attempt, waiting for the next one.
        case pending
        /// Claimed by `lockedBy` until `lockedUntil`; a runner that dies leaves it to be claimed again after that.
        case running
        case done
        /// Every attempt failed; shown to Admin Setnas with the last error until someone tries it again.
        case failed
    }

    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Field(key: "kind") var kind: String
    /// JSON of a `JobPayload`.
    @Field(key: "payload") var payload: String
    @OptionalField(key: "dedupe_key") var dedupeKey: String?
    @Enum(key: "state") var state: State
    @Field(key: "run_at") var runAt: Date
    @Field(key: "attempts") var attempts: Int
    @OptionalField(key: "last_error") var lastError: String?
    @OptionalField(key: "locked_by") var lockedBy: String?
    @OptionalField(key: "locked_until") var lockedUntil: Date?
    @Field(key: "created_at") var createdAt: Date
    @OptionalField(key: "finished_at") var finishedAt: Date?

    init() {}
}

/// What a job works on; each kind reads the fields it needs.
struct JobPayload: Codable, Sendable, Equatable {
    var messageID: Int?
    var targetID: Int?
    var version: Int?
    var caseID: Int?
    var inputID: Int?
    /// What happened, for notices to the public: "dijawab", "ditolak", "pesan", "disetujui".
    var event: String?
    /// Free text, for kinds that tests register.
    var note: String?

    init(
        messageID: Int? = nil, targetID: Int? = nil, version: Int? = nil, caseID: Int? = nil, inputID: Int? = nil,
        event: String? = nil, note: String? = nil
    ) {
        self.messageID = messageID
        self.targetID = targetID
        self.version = version
        self.caseID = caseID
        self.inputID = inputID
        self.event = event
        self.note = note
    }

    var json: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return String(decoding: (try? encoder.encode(self)) ?? Data("{}".utf8), as: UTF8.self)
    }

    init(json: String) throws {
        self = try JSONDecoder().decode(JobPayload.self, from: Data(json.utf8))
    }
}
