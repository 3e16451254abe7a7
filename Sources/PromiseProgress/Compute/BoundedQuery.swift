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
    }

    /// Prepares `sql`, refusing a statement that could write.
    public static func prepare(_ sql: String, in db: Database) throws -> Statement {
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
        case .tooSlow(let seconds):
            return Problem(file: definition.file, line: line, field: field,
                           message: "the SQL of indicator '\(definition.id)' ran longer than the limit of \(Formatting.decimal(seconds, places: 0)) s and was stopped",
                           hint: "look for an endless recursive CTE or a join without a condition; raise --query-time-limit only if the query is right and the data large")
        }
    }
}
