import Vapor

/// How many large request bodies the instance reads and handles at once. A body waits here before a byte of it is
/// read, so that eight 60 MB uploads at once cost the memory of two and leave the event loops to everyone else;
/// the waiting clients are held back by TCP, not by the portal's memory.
actor UploadGate {
    /// Bodies above this size pass through the gate; smaller ones never wait.
    static let largeBody = 1024 * 1024

    let permits: Int
    private var inUse = 0
    private var waiting: [CheckedContinuation<Void, Never>] = []

    init(permits: Int) {
        self.permits = max(1, permits)
    }

    /// Waits for a permit.
    func enter() async {
        if self.inUse < self.permits {
            self.inUse += 1
            return
        }
        await withCheckedContinuation { self.waiting.append($0) }
    }

    /// Gives the permit to the next one waiting, or back.
    func leave() {
        if self.waiting.isEmpty {
            self.inUse -= 1
        } else {
            self.waiting.removeFirst().resume()
        }
    }
}

extension Application {
    private struct UploadGateKey: StorageKey {
        typealias Value = UploadGate
    }

    /// The instance's gate for large bodies, one permit per core.
    var uploadGate: UploadGate {
        get {
            guard let gate = self.storage[UploadGateKey.self] else {
                fatalError("configure(_:config:) makes the upload gate before any request.")
            }
            return gate
        }
        set { self.storage[UploadGateKey.self] = newValue }
    }
}
