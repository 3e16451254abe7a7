import Foundation
import GRDB
import Testing
@testable import PromiseProgress

@Suite("Robustness: bad input, failures, repeat runs", .removesTemporaryFiles)
struct RobustnessTests {
    static func indicatorRows(_ store: URL, table: String) throws -> [[DatabaseValue]] {
        try DatabaseQueue(path: store.path).read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM \(table) ORDER BY indicator_id, period_id, geography_code, breakdown_type, breakdown_code").map { Array($0.databaseValues) }
        }
    }

    // "Two builds in a row give identical indicator values" is asserted by OperationsTests.byteIdentical,
    // which builds once more beside the shared build and compares these tables as well as every file.

    @Test("a placements file with an unknown type, an end before its start and a short line: each named, kept, and the rest loaded")
    func badPlacements() throws {
        let input = try Fixture.copyOfSmallInputs()
        let file = input.appendingPathComponent("quantitative/placements.csv")
        var lines = try String(contentsOf: file, encoding: .utf8).components(separatedBy: "\n")
        var fields = lines[5].components(separatedBy: ","); fields[4] = "boarding_house"; lines[5] = fields.joined(separator: ",")
        fields = lines[9].components(separatedBy: ","); fields[3] = "2001-01-01"; lines[9] = fields.joined(separator: ",")
        lines[12] = lines[12].components(separatedBy: ",").prefix(5).joined(separator: ",")
        try lines.joined(separator: "\n").write(to: file, atomically: true, encoding: .utf8)
        let total = lines.filter { !$0.isEmpty }.count - 1

        let store = try Fixture.loadStages(input: input, name: "bad-placements")
        try DatabaseQueue(path: store.path).read { db in
            let rejected = try Row.fetchAll(db, sql: "SELECT source_file, source_line, column_name, rule, reason FROM rejected_row ORDER BY source_line")
            #expect(rejected.map { $0["source_line"] as Int } == [6, 10, 13])
            #expect(rejected.allSatisfy { ($0["source_file"] as String).hasSuffix("quantitative/placements.csv") })
            #expect(rejected.map { $0["rule"] as String } == ["unknown_placement_type", "end_before_start", "wrong_field_count"])
            #expect((rejected[0]["reason"] as String).contains("found 'boarding_house'"))
            #expect((rejected[1]["reason"] as String) == "end_date 2001-01-01 is before start_date \(lines[9].components(separatedBy: ",")[2])")
            #expect((rejected[2]["reason"] as String).contains("expected 8 fields as in the header, found 5"))
            #expect(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM placement") == total - 3)
        }
        // That the data-quality page names each rejection rule is asserted by
        // OperationsTests.incrementalEqualsFull, which publishes a build with rejected rows.
    }

    @Test("cross-row checks: duplicates, orphans, births after the start and overlaps")
    func crossRow() throws {
        let input = try Fixture.copyOfSmallInputs()
        let folder = input.appendingPathComponent("quantitative")
        func edit(_ name: String, _ change: (inout [String]) -> Void) throws {
            let url = folder.appendingPathComponent(name)
            var lines = try String(contentsOf: url, encoding: .utf8).components(separatedBy: "\n")
            change(&lines)
            try lines.joined(separator: "\n").write(to: url, atomically: true, encoding: .utf8)
        }
        var duplicateChild = "", orphanEpisode = ""
        try edit("children.csv") { lines in
            duplicateChild = lines[1]
            lines.insert(lines[1], at: lines.count - 1)                    // duplicate id, last line
        }
        try edit("episodes.csv") { lines in
            var fields = lines[1].components(separatedBy: ",")
            fields[0] = "E9999999"; fields[1] = "C9999999"                   // orphan: no such child
            orphanEpisode = fields.joined(separator: ",")
            lines.insert(orphanEpisode, at: lines.count - 1)
            fields = lines[2].components(separatedBy: ",")
            fields[3] = "1950-01-01"                                         // starts before the child was born
            lines[2] = fields.joined(separator: ",")
        }
        try edit("placements.csv") { lines in
            var fields = lines[1].components(separatedBy: ",")
            fields[0] = "P99999999"                                          // same episode, same dates: overlaps placement on line 2
            lines.insert(fields.joined(separator: ","), at: lines.count - 1)
        }
        let store = try Fixture.loadStages(input: input, name: "cross-row")
        try DatabaseQueue(path: store.path).read { db in
            let rules = try String.fetchAll(db, sql: "SELECT DISTINCT rule FROM rejected_row ORDER BY rule")
            #expect(Set(rules).isSuperset(of: ["duplicate_id", "orphan", "before_birth", "overlap"]))
            let duplicate = try String.fetchOne(db, sql: "SELECT reason FROM rejected_row WHERE rule = 'duplicate_id'")
            #expect(duplicate?.contains("first given on line 2") == true)
            #expect(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM child WHERE child_id = ?", arguments: [duplicateChild.components(separatedBy: ",")[0]]) == 1)
            let overlap = try String.fetchOne(db, sql: "SELECT reason FROM rejected_row WHERE rule = 'overlap'")
            #expect(overlap?.contains("(line 2,") == true)
        }
    }

    @Test("bad published rows are rejected with file, line and reason; the rest load")
    func badPublishedRows() throws {
        let input = try Fixture.copyOfSmallInputs()
        let file = input.appendingPathComponent("quantitative/published/aftercare.csv")
        var lines = try String(contentsOf: file, encoding: .utf8).components(separatedBy: "\n")
        lines[1] = "aftercare_share,fy2019-20,S92000003,total,43.0,,2021-03-25"      // a financial year for a reporting-year measure
        lines[2] = "aftercare_share,2019-20,S12000005,total,,,2021-03-25"             // no value and no marker
        lines[3] = "aftercare_share,2019-20,S12000006,total,21.5,*,2021-03-25"        // '*' is not a marker
        lines[4] = "aftercare_share,2019-20,S12000008,total,about 26,,2021-03-25"     // not a number
        lines.insert(lines[5], at: 6)                                                  // the same value twice
        try lines.joined(separator: "\n").write(to: file, atomically: true, encoding: .utf8)
        let store = try Fixture.loadStages(input: input, name: "bad-published")
        try DatabaseQueue(path: store.path).read { db in
            let rejected = try Row.fetchAll(db, sql: "SELECT source_line, column_name, rule, reason FROM rejected_row WHERE source_file LIKE '%aftercare.csv' ORDER BY source_line")
            #expect(rejected.map { $0["source_line"] as Int } == [2, 3, 4, 5, 7])
            #expect(rejected.map { $0["column_name"] as String } == ["period", "value", "marker", "value", "vintage"])
            #expect((rejected[0]["reason"] as String).contains("reported by reporting year, found period fy2019-20"))
            #expect((rejected[2]["reason"] as String).contains("found '*'"))
            #expect(rejected[4]["rule"] as String == "duplicate_id")
            #expect(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM published_value WHERE source_file LIKE '%aftercare.csv'") == lines.filter { !$0.isEmpty }.count - 1 - 5)
        }
    }

    @Test("a failed build leaves the last good outputs untouched and logs the failure; run history moves forward from a store of schema version 0")
    func failClosed() throws {
        let output = Fixture.temporaryDirectory("fail-closed")
        // A store published before versioning, with an older layout of the run table.
        let old = try DatabaseQueue(path: output.appendingPathComponent("promise.sqlite").path)
        try old.writeWithoutTransaction { try $0.execute(sql: String(contentsOf: Fixture.repositoryRoot.appendingPathComponent("Tests/PromiseProgressTests/Fixtures/store-v0-history.sql"), encoding: .utf8)) }
        try old.close()
        let first = try Build(layout: Fixture.layout(output: output), logger: MemoryLogger()).run()
        // A second good build swaps the public folder in one step and leaves nothing staged behind.
        var rebuild = Build(layout: Fixture.layout(output: output), logger: MemoryLogger())
        rebuild.force = true
        let second = try rebuild.run()
        #expect(first.runID != second.runID)
        let store = output.appendingPathComponent("promise.sqlite"), index = output.appendingPathComponent("public/site/index.html")
        #expect(try String(contentsOf: index, encoding: .utf8).contains(second.runID))
        #expect(!FileManager.default.fileExists(atPath: output.appendingPathComponent(".work/public").path))
        let history = try DatabaseQueue(path: store.path)
        let (runs, oldRowsRead, emptyColumns, oldInputs, version, migrations) = try history.read { db in
            (try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM run"),
             try Int.fetchOne(db, sql: "SELECT rows_read FROM run WHERE run_id = '2025-11-30T02:30:00.000Z'"),
             try Row.fetchOne(db, sql: "SELECT audit_findings IS NULL AND disclosure_seconds IS NULL FROM run WHERE run_id = '2025-11-30T02:30:00.000Z'").map { $0[0] as Bool },
             try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM run_input WHERE run_id = '2025-11-30T02:30:00.000Z'"),
             try Int.fetchOne(db, sql: "PRAGMA user_version"),
             try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations"))
        }
        #expect(runs == 3, "run history is carried forward, the version 0 run included")
        #expect(oldRowsRead == 233_804)
        #expect(emptyColumns == true, "a column the old layout lacked is empty for its runs")
        #expect(oldInputs == 21)
        #expect(version == AnalystViews.schemaVersion)
        #expect(migrations == ["1: run history of schema version 1", "2: revisions policy counts in run"])
        try history.close()
        let before = (try Data(contentsOf: store), try Data(contentsOf: index))

        let indicators = Fixture.temporaryDirectory("broken-indicators")
        for name in try FileManager.default.contentsOfDirectory(atPath: Fixture.repositoryRoot.appendingPathComponent("Indicators").path) {
            try FileManager.default.copyItem(at: Fixture.repositoryRoot.appendingPathComponent("Indicators/\(name)"), to: indicators.appendingPathComponent(name))
        }
        try "id: broken\ntitle: [unclosed\n".write(to: indicators.appendingPathComponent("broken.yml"), atomically: true, encoding: .utf8)
        #expect(throws: ProblemReport.self) {
            try Build(layout: Fixture.layout(output: output, indicators: indicators), logger: MemoryLogger()).run()
        }
        #expect(try Data(contentsOf: store) == before.0)
        #expect(try Data(contentsOf: index) == before.1)
        let log = try String(contentsOf: output.appendingPathComponent("run-log.jsonl"), encoding: .utf8).split(separator: "\n")
        #expect(log.count == 3)
        #expect(log.last?.contains("\"status\":\"failed\"") == true)
        #expect(log.last?.contains("broken.yml") == true)
    }

    @Test("an input file with most rows rejected stops the build and keeps the last good outputs")
    func qualityGate() throws {
        let output = Fixture.temporaryDirectory("quality-gate")
        // A public folder as builds before releases left it (a real folder): the build adopts it as a release.
        try FileManager.default.copyItem(at: try Fixture.defaultBuild.get().appendingPathComponent("public").resolvingSymlinksInPath(), to: output.appendingPathComponent("public"))
        let index = try Data(contentsOf: output.appendingPathComponent("public/site/index.html"))
        let input = try Fixture.copyOfInputs()
        let children = input.appendingPathComponent("quantitative/children.csv")
        // A header with one more column than the rows: every row becomes a short line.
        var lines = try String(contentsOf: children, encoding: .utf8).components(separatedBy: "\n")
        lines[0] += ",school"
        try lines.joined(separator: "\n").write(to: children, atomically: true, encoding: .utf8)
        do {
            try Build(layout: Fixture.layout(output: output, input: input), logger: MemoryLogger()).run()
            Issue.record("a build with every child rejected was published")
        } catch let failure as PipelineFailure {
            #expect(failure.description.contains("children.csv"))
            #expect(failure.description.contains("wrong_field_count"))
        }
        #expect(try Data(contentsOf: output.appendingPathComponent("public/site/index.html")) == index)
        #expect(!FileManager.default.fileExists(atPath: output.appendingPathComponent("promise.sqlite").path))
        #expect(FileManager.default.fileExists(atPath: output.appendingPathComponent("releases/00000000T000000.000Z-unversioned/public/site/index.html").path))
    }

    @Test("a second build waits for nobody: it stops at once while another holds the lock")
    func lock() throws {
        let output = Fixture.temporaryDirectory("lock")
        let layout = Fixture.layout(output: output)
        let held = try RunLock(url: layout.lockURL)
        #expect(throws: PipelineFailure.self) { try Build(layout: layout, logger: MemoryLogger()).run() }
        withExtendedLifetime(held) {}
        #expect(!FileManager.default.fileExists(atPath: layout.publishedStoreURL.path))
    }

    @Test("a missing input column stops extract naming the file; an extra column is noted and ignored")
    func headers() throws {
        let input = try Fixture.copyOfInputs()
        let children = input.appendingPathComponent("quantitative/children.csv")
        var text = try String(contentsOf: children, encoding: .utf8)
        text = text.replacingOccurrences(of: "disability\n", with: "disability,school\n")
        try text.write(to: children, atomically: true, encoding: .utf8)
        let output = Fixture.temporaryDirectory("headers")
        let context = PipelineContext(layout: Fixture.layout(output: output, input: input), logger: MemoryLogger())
        try Pipeline.run(ExtractStage(), context: context)
        let notes = try context.openWorkStore().queue.read { try String.fetchAll($0, sql: "SELECT message FROM run_note") }
        #expect(notes == ["column 7 'school' is not part of the input contract and was ignored"])

        let episodes = input.appendingPathComponent("quantitative/episodes.csv")
        let broken = try String(contentsOf: episodes, encoding: .utf8).replacingOccurrences(of: "legal_reason,", with: "legal_basis,")
        try broken.write(to: episodes, atomically: true, encoding: .utf8)
        do {
            try Pipeline.run(ExtractStage(), context: PipelineContext(layout: Fixture.layout(output: output, input: input), logger: MemoryLogger()))
            Issue.record("extract accepted a file with a missing column")
        } catch let problem as Problem {
            #expect(problem.file.hasSuffix("quantitative/episodes.csv"))
            #expect(problem.line == 1)
            #expect(problem.message.contains("missing column legal_reason"))
        }
    }

    @Test("check reports a misspelt key, a wrong polarity and SQL naming a missing column, with file and line")
    func checkDefinitions() throws {
        let indicators = Fixture.temporaryDirectory("bad-definitions")
        for name in try FileManager.default.contentsOfDirectory(atPath: Fixture.repositoryRoot.appendingPathComponent("Indicators").path) {
            var text = try String(contentsOf: Fixture.repositoryRoot.appendingPathComponent("Indicators/\(name)"), encoding: .utf8)
            if name == "kinship.yml" {
                text = text.replacingOccurrences(of: "rationale:", with: "rationle:")
                    .replacingOccurrences(of: "polarity: no_judgement", with: "polarity: higher-better")
                    .replacingOccurrences(of: "WHERE placement_group = 'kinship'", with: "WHERE placement_grup = 'kinship'")
            }
            try text.write(to: indicators.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
        let report = try Check(layout: Fixture.layout(output: Fixture.temporaryDirectory("check"), indicators: indicators)).run(logger: MemoryLogger())
        #expect(!report.passed)
        let lines = try String(contentsOf: indicators.appendingPathComponent("kinship.yml"), encoding: .utf8).components(separatedBy: "\n")
        func line(_ prefix: String) -> Int? { lines.firstIndex { $0.hasPrefix(prefix) }.map { $0 + 1 } }
        let kinship = report.problems.filter { $0.file.hasSuffix("kinship.yml") }
        #expect(kinship.contains { $0.field == "rationle" && $0.line == line("rationle:") && $0.hint == "did you mean 'rationale'?" })
        #expect(kinship.contains { $0.field == "polarity" && $0.line == line("polarity:") && $0.message.contains("found 'higher-better'") })
        // The SQL problem points at the numerator's sql key.
        let sqlLine = lines.indices.first { lines[$0].hasPrefix("  sql:") }.map { $0 + 1 }
        #expect(kinship.contains { $0.field == "numerator.sql" && $0.line == sqlLine && $0.message.contains("no such column: placement_grup") })
    }

    @Test("check passes on the embedded data and definitions")
    func checkPasses() throws {
        let report = try Check(layout: Fixture.layout(output: Fixture.temporaryDirectory("check-ok"))).run(logger: MemoryLogger())
        #expect(report.problems.isEmpty, "\(report.problems)")
        #expect(report.rejectedRows.isEmpty)
        #expect(report.rowsRead > 100_000)
    }

    @Test("the embedded data is exactly what the generator writes with the default seed")
    func generatorReproducesData() throws {
        let folder = Fixture.temporaryDirectory("generated")
        let population = try SyntheticDataGenerator.councilPopulation(seeds: Fixture.repositoryRoot.appendingPathComponent("seeds"))
        #expect(population.count == 32)
        try SyntheticDataGenerator(councilPopulation: population).write(to: folder)
        let published = try FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent("published").path).sorted()
        #expect(published == (try FileManager.default.contentsOfDirectory(atPath: Fixture.repositoryRoot.appendingPathComponent("Data/quantitative/published").path).sorted()))
        for name in ["children.csv", "episodes.csv", "placements.csv"] + published.map({ "published/\($0)" }) {
            let generated = try Data(contentsOf: folder.appendingPathComponent(name))
            let embedded = try Data(contentsOf: Fixture.repositoryRoot.appendingPathComponent("Data/quantitative/\(name)"))
            #expect(generated == embedded, "\(name) differs from a fresh generation")
        }
        let survey = folder.appendingPathComponent("experiential")
        try SyntheticSurvey(councilPopulation: population).write(to: survey, seeds: Fixture.repositoryRoot.appendingPathComponent("seeds"))
        for name in ["responses.csv", "comments.csv", "invited.csv"] {
            let generated = try Data(contentsOf: survey.appendingPathComponent(name))
            let embedded = try Data(contentsOf: Fixture.repositoryRoot.appendingPathComponent("Data/experiential/\(name)"))
            #expect(generated == embedded, "experiential/\(name) differs from a fresh generation")
        }
    }

    @Test("generate takes a fractional scale for a tiny data set, and refuses 0 (exit 64)")
    func generateFractionalScale() throws {
        let folder = Fixture.temporaryDirectory("generated-tiny")
        let tiny = try OperationsTests.run(["generate", "--scale", "0.02", "--output", folder.appendingPathComponent("quantitative").path,
                                            "--experiential-output", folder.appendingPathComponent("experiential").path])
        #expect(tiny.status == 0, "\(tiny.errors)")
        let children = try String(contentsOf: folder.appendingPathComponent("quantitative/children.csv"), encoding: .utf8).split(separator: "\n").count - 1
        let embedded = try String(contentsOf: Fixture.repositoryRoot.appendingPathComponent("Data/quantitative/children.csv"), encoding: .utf8).split(separator: "\n").count - 1
        #expect(children > 0 && children * 20 < embedded, "\(children) children at scale 0.02, \(embedded) at scale 1")
        #expect(tiny.output.contains("scale 0.02"), "\(tiny.output)")
        let zero = try OperationsTests.run(["generate", "--scale", "0", "--output", folder.appendingPathComponent("zero").path])
        #expect(zero.status == 64 && zero.errors.contains("--scale must be a number above 0"), "\(zero.status) \(zero.errors)")
    }
}
