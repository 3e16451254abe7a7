import Foundation
import GRDB
import Testing
@testable import PromiseProgress

@Suite("Streams: every declaration is consistent and its SQL is sound")
struct StreamRegistryTests {
    /// An empty store with the reference and clean tables, for preparing SQL against.
    static func emptyStore() throws -> DatabaseQueue {
        let queue = try DatabaseQueue()
        try queue.write { db in
            for spec in Schema.reference + StreamRegistry.cleanTables + StreamRegistry.parsedTables { try db.execute(sql: spec.createSQL) }
        }
        return queue
    }

    @Test("every set-based check, generic or from a stream's sql/ folder, is a read-only query returning rid, column_name, value, reason")
    func checksAreWellFormed() throws {
        try Self.emptyStore().read { db in
            for stream in StreamRegistry.all {
                let checks = stream.files.flatMap { $0.setChecks(in: stream) }
                #expect(checks.filter { $0.rule == "overlap" }.count == (stream.id == "child_level" ? 2 : 0))
                for check in checks {
                    let statement = try db.makeStatement(sql: check.sql)
                    #expect(statement.isReadonly, "\(stream.id) \(check.rule) on \(check.table)")
                    #expect(statement.columnNames == ["rid", "column_name", "value", "reason"], "\(stream.id) \(check.rule) on \(check.table)")
                    #expect(stream.files.contains { $0.table.name == check.table }, "\(check.rule) names a table of its own stream")
                }
            }
        }
    }

    @Test("every derived table's SQL returns exactly its declared columns")
    func derivedTablesMatchTheirColumns() throws {
        try Self.emptyStore().write { db in
            for stream in StreamRegistry.all {
                for make in stream.sqlFunctions { db.add(function: try make(db)) }
            }
            // In load's order: a derived table may read one derived before it.
            for spec in StreamRegistry.derivedTables {
                let statement = try db.makeStatement(sql: spec.viewSQL!)
                #expect(statement.isReadonly)
                #expect(statement.columnCount == spec.columns.count, "\(spec.name)")
                try db.execute(sql: "CREATE TABLE \(spec.name) (\(spec.columns.map(\.name).joined(separator: ", ")))")
            }
        }
    }

    @Test("table names are unique across streams, and each stream says whose records it holds")
    func uniqueTables() {
        let names = (StreamRegistry.cleanTables + StreamRegistry.derivedTables).map(\.name) + Schema.reference.map(\.name) + Schema.indicatorTables.map(\.name)
        #expect(Set(names).count == names.count)
        #expect(Set(StreamRegistry.all.map(\.id)).count == StreamRegistry.all.count)
        #expect(DataStream.childLevel.unitOfDisclosure == .children)
        #expect(StreamRegistry.all.allSatisfy { stream in stream.unitOfDisclosure != .children || stream.cleanTables.allSatisfy(\.childLevel) },
                "a stream of children's records keeps them in restricted tables")
    }
}
