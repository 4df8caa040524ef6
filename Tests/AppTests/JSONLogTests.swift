import Foundation
import Logging
import Testing

@testable import App

@Suite("JSON log lines")
struct JSONLogTests {
    @Test("each entry is one line of JSON with time, level, label, message, the request id and the call's metadata")
    func oneObjectPerLine() throws {
        let capture = LogCapture()
        var logger = Logger(label: "codes.vapor.request") { label in
            JSONLogHandler(label: label, level: .info, metadataProvider: nil, write: capture.record)
        }
        logger[metadataKey: "request-id"] = "9f2c"
        logger.debug("not written below the level")
        logger.error("Refused POST /lapor:\n\"disk\" full", metadata: ["kind": "storage_full", "tries": .array(["1"])])
        // Each write is one entry, and it ends with its only newline.
        let written = capture.text
        try #require(
            written.hasSuffix("\n") && written.dropLast().allSatisfy { $0 != "\n" }, "not one line: \(written)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(written.utf8)) as? [String: Any])
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
