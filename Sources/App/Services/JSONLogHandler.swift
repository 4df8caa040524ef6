import Foundation
import Logging

/// `JAGA_LOG_FORMAT=json`: one JSON object per log line on standard error, for a log shipper (journald, Loki,
/// Elasticsearch) to read without parsing text. Each object has `time` (UTC, milliseconds), `level`, `label`,
/// `message` and, when present, `metadata` (such as `request-id`) and `source`. The message and metadata are the
/// same as in the text format, so the rule that no line names a reporter holds for both.
struct JSONLogHandler: LogHandler {
    let label: String
    var logLevel: Logger.Level
    var metadata: Logger.Metadata = [:]
    var metadataProvider: Logger.MetadataProvider?
    /// Where each finished line goes, newline included: standard error, or a test's buffer.
    let write: @Sendable (String) -> Void

    init(
        label: String, level: Logger.Level, metadataProvider: Logger.MetadataProvider? = LoggingSystem.metadataProvider,
        write: @escaping @Sendable (String) -> Void = JSONLogHandler.standardError
    ) {
        self.label = label
        self.logLevel = level
        self.metadataProvider = metadataProvider
        self.write = write
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { self.metadata[key] }
        set { self.metadata[key] = newValue }
    }

    func log(
        level: Logger.Level, message: Logger.Message, metadata: Logger.Metadata?, source: String, file: String,
        function: String, line: UInt
    ) {
        var merged = self.metadata
        merged.merge(self.metadataProvider?.get() ?? [:]) { _, provided in provided }
        merged.merge(metadata ?? [:]) { _, given in given }
        var object: [String: Any] = [
            "time": Self.timeFormat.format(Date()), "level": level.rawValue, "label": self.label,
            "message": message.description,
        ]
        if !merged.isEmpty { object["metadata"] = merged.mapValues(Self.plain) }
        if !source.isEmpty { object["source"] = source }
        let options: JSONSerialization.WritingOptions = [.sortedKeys, .withoutEscapingSlashes]
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: options),
            let text = String(data: data, encoding: .utf8)
        else { return }
        self.write(text + "\n")
    }

    /// A metadata value as JSON: strings, arrays and objects as they are.
    static func plain(_ value: Logger.Metadata.Value) -> Any {
        switch value {
        case .string(let text): text
        case .stringConvertible(let convertible): convertible.description
        case .array(let values): values.map(Self.plain)
        case .dictionary(let values): values.mapValues(Self.plain)
        }
    }

    static let timeFormat = Date.ISO8601FormatStyle(includingFractionalSeconds: true)

    /// One `write(2)` per line, so that lines from several threads never interleave.
    @Sendable static func standardError(_ line: String) {
        FileHandle.standardError.write(Data(line.utf8))
    }
}
