import Foundation
import GRDB
import Testing
@testable import PromiseProgress

@Suite("Indicator SQL is read-only and bounded", .removesTemporaryFiles)
struct BoundedQueryTests {
    /// The embedded definitions with kinship's numerator SQL replaced.
    static func definitions(kinshipNumerator sql: String) throws -> URL {
        let indicators = Fixture.temporaryDirectory("sql-definitions")
        for name in try FileManager.default.contentsOfDirectory(atPath: Fixture.repositoryRoot.appendingPathComponent("Indicators").path) {
            var text = try String(contentsOf: Fixture.repositoryRoot.appendingPathComponent("Indicators/\(name)"), encoding: .utf8)
            if name == "kinship.yml" {
                let start = text.range(of: "numerator:")!.lowerBound
                let sqlStart = text.range(of: "  sql: |\n", range: start..<text.endIndex)!.upperBound
                let sqlEnd = text.range(of: "denominator:", range: sqlStart..<text.endIndex)!.lowerBound
                text.replaceSubrange(sqlStart..<sqlEnd, with: sql.split(separator: "\n").map { "    \($0)\n" }.joined())
            }
            try text.write(to: indicators.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
        return indicators
    }

    /// A good build in its own output folder (a copy of the shared build): the folder, its
    /// published store and that store's bytes.
    static func publishedBuild(_ name: String) throws -> (output: URL, store: URL, before: Data) {
        let output = try Fixture.copyOfDefaultBuild(name)
        let store = output.appendingPathComponent("promise.sqlite")
        return (output, store, try Data(contentsOf: store))
    }

    @Test("a definition that writes (DELETE ... RETURNING) is refused by check and by build; the last outputs stay")
    func writingDefinition() throws {
        let (output, store, before) = try Self.publishedBuild("writes")
        let indicators = try Self.definitions(kinshipNumerator: """
            DELETE FROM rejected_row RETURNING 'x' AS period_id, 'y' AS geography_code, NULL AS age_band, 1 AS numerator
            """)
        let report = try Check(layout: Fixture.layout(output: Fixture.temporaryDirectory("check-writes"), indicators: indicators)).run(logger: MemoryLogger())
        #expect(report.problems.contains { $0.file.hasSuffix("kinship.yml") && $0.field == "numerator.sql" && $0.message.contains("would write to the store") }, "\(report.problems)")
        #expect(throws: ProblemReport.self) {
            try Build(layout: Fixture.layout(output: output, indicators: indicators), logger: MemoryLogger()).run()
        }
        #expect(try Data(contentsOf: store) == before, "the last published store is untouched")
    }

    @Test("a write hidden from the check is still stopped: the connection is query-only while indicator SQL runs")
    func queryOnly() throws {
        let queue = try DatabaseQueue()
        try queue.write { db in
            try db.execute(sql: "CREATE TABLE t (x INTEGER); INSERT INTO t VALUES (1)")
            #expect(throws: (any Error).self) {
                try BoundedQuery.run(in: db, seconds: 10) { try db.execute(sql: "DELETE FROM t") }
            }
            #expect(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM t") == 1)
            try db.execute(sql: "INSERT INTO t VALUES (2)")   // writable again afterwards
        }
    }

    @Test("a query that never finishes is stopped at the time limit, naming the indicator and the limit")
    func runawayDefinition() throws {
        let (output, store, before) = try Self.publishedBuild("runaway")
        let indicators = try Self.definitions(kinshipNumerator: """
            WITH RECURSIVE forever(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM forever)
            SELECT '2023-24' AS period_id, 'S12000005' AS geography_code, NULL AS age_band, COUNT(*) AS numerator FROM forever
            """)
        var layout = Fixture.layout(output: output, indicators: indicators)
        layout.queryTimeLimit = 1
        let started = Date()
        do {
            try Build(layout: layout, logger: MemoryLogger()).run()
            Issue.record("the build finished")
        } catch let problem as Problem {
            #expect(problem.file.hasSuffix("kinship.yml") && problem.field == "numerator.sql")
            #expect(problem.message.contains("indicator 'kinship' ran longer than the limit of 1 s"), "\(problem.message)")
        }
        #expect(Date().timeIntervalSince(started) < 60)
        #expect(try Data(contentsOf: store) == before, "the last published store is untouched")
    }
}
