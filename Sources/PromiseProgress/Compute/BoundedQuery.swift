import CSQLiteLimits
import Foundation
import GRDB

/// Indicator SQL is code from a definition file, so it runs read-only and bounded: the connection is
/// switched to `PRAGMA query_only` (any write fails), every statement must be one SQLite itself calls
/// read-only (`sqlite3_stmt_readonly`), and a progress handler stops a query that runs past its time
/// limit (an endless recursive CTE, a runaway cross join) so a build can never hang holding the lock.
public enum BoundedQuery {
    /// Why an indicator query was refused or stopped.
    public enum Refusal: Error {
        case writes
        case tooSlow(seconds: Double)
        /// ATTACH, DETACH or PRAGMA: refused by name, whether or not SQLite calls the statement read-only.
        case forbidden(keyword: String)
    }

    /// Statements indicator SQL may never hold: they reach other files or change the connection.
    static let forbiddenKeywords: Set<String> = ["ATTACH", "DETACH", "PRAGMA"]

    /// The first forbidden keyword in `sql`, outside string literals, quoted names and comments.
    public static func forbiddenKeyword(in sql: String) -> String? {
        let bytes = Array(sql.utf8)
        var i = 0
        func isWordByte(_ b: UInt8) -> Bool { b == UInt8(ascii: "_") || b == UInt8(ascii: "$") || (b >= 48 && b <= 57) || (b | 0x20 >= 97 && b | 0x20 <= 122) || b >= 0x80 }
        while i < bytes.count {
            let b = bytes[i]
            switch b {
            case UInt8(ascii: "'"), UInt8(ascii: "\""), UInt8(ascii: "`"):
                // A quoted literal or name; a doubled quote stays inside it.
                i += 1
                while i < bytes.count {
                    if bytes[i] == b { if i + 1 < bytes.count, bytes[i + 1] == b { i += 2; continue }; break }
                    i += 1
                }
                i += 1
            case UInt8(ascii: "["):
                while i < bytes.count, bytes[i] != UInt8(ascii: "]") { i += 1 }
                i += 1
            case UInt8(ascii: "-") where i + 1 < bytes.count && bytes[i + 1] == UInt8(ascii: "-"):
                while i < bytes.count, bytes[i] != UInt8(ascii: "\n") { i += 1 }
            case UInt8(ascii: "/") where i + 1 < bytes.count && bytes[i + 1] == UInt8(ascii: "*"):
                i += 2
                while i + 1 < bytes.count, !(bytes[i] == UInt8(ascii: "*") && bytes[i + 1] == UInt8(ascii: "/")) { i += 1 }
                i += 2
            default:
                guard isWordByte(b) else { i += 1; continue }
                let start = i
                while i < bytes.count, isWordByte(bytes[i]) { i += 1 }
                let word = String(decoding: bytes[start..<i], as: UTF8.self).uppercased()
                if forbiddenKeywords.contains(word) { return word }
            }
        }
        return nil
    }

    /// Prepares `sql`, refusing ATTACH, DETACH and PRAGMA by name and any statement that could write.
    public static func prepare(_ sql: String, in db: Database) throws -> Statement {
        if let keyword = forbiddenKeyword(in: sql) { throw Refusal.forbidden(keyword: keyword) }
        let statement = try db.makeStatement(sql: sql)
        guard statement.isReadonly else { throw Refusal.writes }
        return statement
    }

    /// Runs `body` with writes forbidden and a deadline `seconds` from now.
    public static func run<T>(in db: Database, seconds: Double, _ body: () throws -> T) throws -> T {
        try db.execute(sql: "PRAGMA query_only = ON")
        let deadline = UnsafeMutablePointer<Double>.allocate(capacity: 1)
        deadline.pointee = pp_monotonic_seconds() + seconds
        pp_set_query_deadline(db.sqliteConnection, deadline)
        defer {
            pp_set_query_deadline(db.sqliteConnection, nil)
            deadline.deallocate()
            try? db.execute(sql: "PRAGMA query_only = OFF")
        }
        do {
            return try body()
        } catch let error as DatabaseError where error.resultCode == .SQLITE_INTERRUPT {
            throw Refusal.tooSlow(seconds: seconds)
        }
    }

    /// The refusal as a problem naming the definition, its SQL line and the limit.
    static func problem(_ refusal: Refusal, definition: IndicatorDefinition, line: Int, field: String) -> Problem {
        switch refusal {
        case .writes:
            return Problem(file: definition.file, line: line, field: field,
                           message: "the SQL of indicator '\(definition.id)' would write to the store; indicator SQL must only read (a single SELECT or WITH ... SELECT)")
        case .forbidden(let keyword):
            return Problem(file: definition.file, line: line, field: field,
                           message: "the SQL of indicator '\(definition.id)' uses \(keyword), which indicator SQL may not: it reaches other database files or changes the connection. Use a single SELECT or WITH ... SELECT over the store's tables")
        case .tooSlow(let seconds):
            return Problem(file: definition.file, line: line, field: field,
                           message: "the SQL of indicator '\(definition.id)' ran longer than the limit of \(Formatting.decimal(seconds, places: 0)) s and was stopped",
                           hint: "look for an endless recursive CTE or a join without a condition; raise --query-time-limit only if the query is right and the data large")
        }
    }
}
