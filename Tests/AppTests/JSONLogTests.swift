import Foundation
import Logging
import Testing

@testable import App

@Suite("JSON log lines")
struct JSONLogTests {
    /// The lines a logger wrote, as a shipper would read them.
    final class Lines: @unchecked Sendable {
        private let lock = NSLock()
        private var text = ""
        func append(_ line: String) { self.lock.withLock { self.text += line } }
        var all: [String] {
            self.lock.withLock { self.text }.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
                .map(String.init)
        }
    }

    @Test("each entry is one line of JSON with time, level, label, message, the request id and the call's metadata")
    func oneObjectPerLine() throws {
        let lines = Lines()
        var logger = Logger(label: "codes.vapor.request") { label in
            JSONLogHandler(label: label, level: .info, metadataProvider: nil, write: lines.append)
        }
        logger[metadataKey: "request-id"] = "9f2c"
        logger.debug("not written below the level")
        logger.error("Refused POST /lapor:\n\"disk\" full", metadata: ["kind": "storage_full", "tries": .array(["1"])])
        let written = lines.all
        try #require(written.count == 1, "one entry, one line: \(written)")
        let object = try #require(
            try JSONSerialization.jsonObject(with: Data(written[0].utf8)) as? [String: Any])
        #expect(object["level"] as? String == "error")
        #expect(object["label"] as? String == "codes.vapor.request")
        #expect(object["message"] as? String == "Refused POST /lapor:\n\"disk\" full")
        let metadata = try #require(object["metadata"] as? [String: Any])
        #expect(metadata["request-id"] as? String == "9f2c")
        #expect(metadata["kind"] as? String == "storage_full")
        #expect(metadata["tries"] as? [String] == ["1"])
        let time = try #require(object["time"] as? String)
        let format = Date.ISO8601FormatStyle(includingFractionalSeconds: true)
        #expect(try Date(time, strategy: format) <= Date())
    }
}
