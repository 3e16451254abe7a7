import Foundation
import GRDB

/// Loads the reference CSVs of `seeds/` into the tables of ``Schema/reference``.
/// A seed file must have exactly the table's columns; a bad value stops the build, naming the file, line and column.
public enum SeedLoader {
    public static func load(from seedsDirectory: URL, into db: Database) throws -> [String: Int] {
        var counts: [String: Int] = [:]
        for spec in Schema.reference {
            let url = seedsDirectory.appendingPathComponent("\(spec.name).csv")
            let fileName = "seeds/\(spec.name).csv"
            guard FileManager.default.fileExists(atPath: url.path) else {
                throw Problem(file: fileName, message: "seed file is missing; expected columns \(spec.columns.map(\.name).joined(separator: ","))")
            }
            let rows = try CSVReader(contentsOf: url).rows()
            guard case .record(_, let header)? = rows.first else {
                throw Problem(file: fileName, line: 1, message: "expected a header row, found an empty or malformed file")
            }
            let expected = spec.columns.map(\.name)
            guard header == expected else {
                throw Problem(file: fileName, line: 1, message: "expected header \(expected.joined(separator: ",")), found \(Bounded.quote(header.joined(separator: ",")))")
            }
            let insert = try BulkInsert(into: spec.name, columns: expected, in: db)
            var count = 0
            for row in rows.dropFirst() {
                switch row {
                case .malformed(let line, let column, let reason, _):
                    throw Problem(file: fileName, line: line, column: column, message: reason)
                case .unterminatedQuote(let line, let column, _):
                    throw Problem(file: fileName, line: line, column: column, message: "a quote opened here runs past the end of the line")
                case .record(let line, let fields):
                    guard fields.count == expected.count else {
                        throw Problem(file: fileName, line: line, message: "expected \(expected.count) fields, found \(fields.count)")
                    }
                    var values: [(any DatabaseValueConvertible)?] = []
                    for (index, column) in spec.columns.enumerated() {
                        let text = fields[index]
                        if text.isEmpty {
                            values.append(nil)
                        } else if column.type == "INTEGER" {
                            guard let number = Int(text) else {
                                throw Problem(file: fileName, line: line, column: index + 1, field: column.name, message: "expected a whole number, found '\(Bounded.quote(text))'")
                            }
                            values.append(number)
                        } else {
                            values.append(text)
                        }
                    }
                    do {
                        try insert.insert(values)
                    } catch let error as DatabaseError {
                        throw Problem(file: fileName, line: line, message: "row breaks a rule of table \(spec.name): \(error.message ?? "\(error)")")
                    }
                    count += 1
                }
            }
            // Reference data is never empty: a seed cut to its header would leave every rate
            // without its denominator, every code without its label.
            guard count > 0 else {
                throw Problem(file: fileName, line: 2, message: "expected at least one row of reference data after the header, found none")
            }
            counts[spec.name] = count
        }
        return counts
    }
}
