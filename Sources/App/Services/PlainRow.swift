import SQLKit

/// A row type read column by column (`SQLRow.decode(column:as:)`) rather than through `Decodable`, whose keyed
/// container costs several times more per column: for the thousands of rows a score refresh reads, and the
/// hundreds a national page does.
protocol PlainRow: Sendable {
    init(row: any SQLRow) throws
}

extension SQLQueryFetcher {
    /// Every row of the result, read as `type`.
    func all<Row: PlainRow>(reading type: Row.Type) async throws -> [Row] {
        try await self.all().map { try Row(row: $0) }
    }
}

/// A stored text that is not one of the values its column allows.
struct UnknownStoredValue: Error, CustomStringConvertible {
    let column: String
    let value: String

    var description: String { "\(self.column) holds \(self.value), which is not one of its values" }
}

extension SQLRow {
    /// The column's text as one of `Value`'s cases.
    func decode<Value: RawRepresentable>(column: String, caseOf type: Value.Type) throws -> Value
    where Value.RawValue == String {
        let raw = try self.decode(column: column, as: String.self)
        guard let value = Value(rawValue: raw) else { throw UnknownStoredValue(column: column, value: raw) }
        return value
    }
}
