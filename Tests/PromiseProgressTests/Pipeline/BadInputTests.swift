import Foundation
import GRDB
import Testing
@testable import PromiseProgress

/// Each case edits a copy of the small inputs (Fixture.smallInputs: every stream, a tenth of the
/// embedded size) and runs only the stages that read the input (extract, transform, load and the
/// quality gate after them, Fixture.loadStages): what they keep and reject is what a build keeps.
@Suite("Bad input never loses a row silently", .removesTemporaryFiles)
struct BadInputTests {
    static func edit(_ input: URL, _ name: String, _ change: (inout [String]) -> Void) throws {
        let file = input.appendingPathComponent("quantitative/\(name)")
        var lines = try String(contentsOf: file, encoding: .utf8).components(separatedBy: "\n")
        change(&lines)
        try lines.joined(separator: "\n").write(to: file, atomically: true, encoding: .utf8)
    }

    @Test("a quote opened mid-file, NUL bytes, a line break in an id and impossible published numbers: each rejected with file, line and reason; the rest load")
    func badBytes() throws {
        let input = try Fixture.copyOfSmallInputs()
        var placementLines = 0
        try Self.edit(input, "placements.csv") { lines in
            lines[3_000] = "\"" + lines[3_000]                  // line 3,001 opens a quote it never closes
            placementLines = lines.filter { !$0.isEmpty }.count - 1
        }
        try Self.edit(input, "children.csv") { lines in
            var fields = lines[9].components(separatedBy: ",")
            fields[1] = "S12000005\u{0}<script>"                  // line 10: a NUL byte
            lines[9] = fields.joined(separator: ",")
            fields = lines[19].components(separatedBy: ",")
            fields[0] = "\"\(fields[0].prefix(4))\n\(fields[0].dropFirst(4))\""   // line 20: an id broken over two lines
            lines[19] = fields.joined(separator: ",")
        }
        try Self.edit(input, "published/aftercare.csv") { lines in
            lines[1] = lines[1].replacingOccurrences(of: ",total,", with: ",total,0x1p6,").replacingOccurrences(of: ",total,0x1p6,[0-9.]*,", with: ",total,0x1p6,", options: .regularExpression)
            lines[2] = lines[2].replacingOccurrences(of: ",total,[0-9.]+,", with: ",total,-250,", options: .regularExpression)
        }
        try Self.edit(input, "published/scra.csv") { lines in
            lines[1] = lines[1].replacingOccurrences(of: ",total,[0-9.]+,", with: ",total,1e300,", options: .regularExpression)
        }
        let store = try Fixture.loadStages(input: input, name: "bad-bytes")
        try DatabaseQueue(path: store.path).read { db in
            func rejected(_ file: String) throws -> [Row] {
                try Row.fetchAll(db, sql: "SELECT source_line, column_name, rule, reason FROM rejected_row WHERE source_file LIKE ? ORDER BY source_line", arguments: ["%" + file])
            }
            // (The two children rejected below orphan their episodes' placements: those are named too.)
            let placements = try rejected("placements.csv")
            #expect(placements.filter { ($0["rule"] as String) != "orphan" }.map { $0["source_line"] as Int } == [3_001])
            #expect(placements.first { ($0["source_line"] as Int) == 3_001 }?["rule"] as String? == "unterminated_quote")
            #expect(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM placement") == placementLines - placements.count, "only the line with the quote is lost to it")

            // An id quoted over two lines: no column may hold a line break, so the quote is a stray one
            // and each of the two lines is rejected on its own.
            let children = try rejected("children.csv")
            #expect(children.map { $0["source_line"] as Int } == [10, 20, 21])
            #expect(children.map { $0["rule"] as String } == ["control_character", "unterminated_quote", "malformed_csv"])
            #expect(children.first?["column_name"] as String? == "la_code")
            #expect(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM child WHERE la_code LIKE '%script%' OR child_id LIKE '%' || char(10) || '%'") == 0)

            let aftercare = try rejected("aftercare.csv")
            #expect(aftercare.map { $0["source_line"] as Int } == [2, 3])
            #expect(aftercare.map { $0["rule"] as String } == ["invalid_number", "out_of_range"])
            #expect((aftercare[1]["reason"] as String).contains("expected a percentage from 0 to 100"))
            let scra = try rejected("scra.csv")
            #expect(scra.map { $0["rule"] as String } == ["invalid_number"], "1e300 is not a plain decimal")
            #expect(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM published_value WHERE typeof(value) NOT IN ('real', 'integer', 'null')") == 0, "published values are stored as numbers")
        }
    }

    @Test("a published folder that cannot be listed, or an input that cannot be read, is an error naming the path, never 'absent'")
    func unreadable() throws {
        let input = try Fixture.copyOfSmallInputs()
        let published = input.appendingPathComponent("quantitative/published")
        try FileManager.default.removeItem(at: published)
        try "not a folder".write(to: published, atomically: true, encoding: .utf8)
        do {
            try Fixture.loadStages(input: input, name: "unreadable")
            Issue.record("the build went on without its published tables")
        } catch let wrong as OperatorError {
            // The wrong kind of path is the environment's fault, not a row's: exit 1, naming it.
            #expect(wrong.status == .internalError && wrong.description.contains("quantitative/published: the input is a file, not a folder"), "\(wrong)")
        }
        let second = try Fixture.copyOfSmallInputs()
        let children = second.appendingPathComponent("quantitative/children.csv")
        try FileManager.default.removeItem(at: children)
        try FileManager.default.createDirectory(at: children, withIntermediateDirectories: false)
        do {
            try Fixture.loadStages(input: second, name: "unreadable-file")
            Issue.record("the build read a folder as children.csv")
        } catch let wrong as OperatorError {
            #expect(wrong.status == .internalError && wrong.description.contains("children.csv: the input is a folder, not a file"), "\(wrong)")
            #expect(!wrong.description.contains("NSCocoaErrorDomain"))
        }
    }

    @Test("stray quotes on many lines: the build refuses to publish, naming the rule")
    func strayQuotesPastTheGate() throws {
        let input = try Fixture.copyOfSmallInputs()
        try Self.edit(input, "episodes.csv") { lines in
            for index in stride(from: 1, to: lines.count - 1, by: 5) { lines[index] = "\"" + lines[index] }
        }
        do {
            try Fixture.loadStages(input: input, name: "quotes-gate")
            Issue.record("published with a fifth of the episodes lost")
        } catch let failure as PipelineFailure {
            #expect(failure.description.contains("episodes.csv") && failure.description.contains("unterminated_quote"), "\(failure)")
        }
    }

    @Test("a semicolon-delimited file gets a hint naming the delimiter")
    func semicolons() throws {
        let input = try Fixture.copyOfSmallInputs()
        try Self.edit(input, "children.csv") { lines in
            for index in lines.indices { lines[index] = lines[index].replacingOccurrences(of: ",", with: ";") }
        }
        do {
            try Fixture.loadStages(input: input, name: "semicolons")
            Issue.record("built from a semicolon file")
        } catch let problem as Problem {
            #expect(problem.hint?.contains("delimited by semicolons") == true, "\(problem)")
        }
    }

    @Test("two stray quotes 1,500 lines apart: every line between them is read, none joined into one rejected record")
    func quotesFarApart() throws {
        let input = try Fixture.copyOfSmallInputs()
        // A kinship placement from line 2,000 on opens a quote; the first kinship placement 1,500 lines
        // or more after it closes one.
        var opened = 0, closed = 0
        try Self.edit(input, "placements.csv") { lines in
            opened = lines.indices.first { $0 >= 1_999 && lines[$0].contains(",kinship,") } ?? 0
            closed = lines.indices.first { $0 >= opened + 1_500 && lines[$0].contains(",kinship,") } ?? 0
            guard opened > 0, closed > 0 else { return }
            lines[opened] = lines[opened].replacingOccurrences(of: ",kinship,", with: ",\"kinship,")
            lines[closed] = lines[closed].replacingOccurrences(of: ",kinship,", with: ",kinship\",")
        }
        try #require(opened > 0 && closed > 0, "the small inputs have kinship placements 1,500 lines apart")
        let store = try Fixture.loadStages(input: input, name: "quotes-far-apart")
        try DatabaseQueue(path: store.path).read { db in
            let lost = try Row.fetchAll(db, sql: "SELECT source_line, rule FROM rejected_row WHERE source_file LIKE '%placements.csv' AND rule <> 'orphan' ORDER BY source_line")
            #expect(lost.count <= 2 && lost.allSatisfy { [opened + 1, closed + 1].contains($0["source_line"] as Int) }, "\(lost)")
            #expect(!lost.isEmpty, "the stray quotes are found")
            let counts = try Row.fetchOne(db, sql: "SELECT lines_read, rows_read, rows_rejected, rows_loaded FROM run_input WHERE source_file LIKE '%placements.csv'")!
            #expect(counts["lines_read"] as Int == counts["rows_read"] as Int, "one row per line")
            #expect(counts["rows_read"] as Int == (counts["rows_rejected"] as Int) + (counts["rows_loaded"] as Int))
        }
    }

    @Test("a file cut off part-way through a row is refused as truncated; a .CSV is read; a hidden file is noted, not read")
    func truncatedAndNamed() throws {
        let input = try Fixture.copyOfSmallInputs()
        let placements = input.appendingPathComponent("quantitative/placements.csv")
        let bytes = try Data(contentsOf: placements)
        try bytes.prefix(bytes.count / 2).write(to: placements)
        do {
            try Fixture.loadStages(input: input, name: "truncated")
            Issue.record("published from half a placements file")
        } catch let problem as Problem {
            #expect(problem.file.hasSuffix("placements.csv") && problem.message.contains("looks truncated"), "\(problem)")
        }
        let second = try Fixture.copyOfSmallInputs()
        let published = second.appendingPathComponent("quantitative/published")
        try FileManager.default.moveItem(at: published.appendingPathComponent("scra.csv"), to: published.appendingPathComponent("scra.CSV"))
        try "junk\u{0}".write(to: published.appendingPathComponent("._scra.csv"), atomically: true, encoding: .utf8)
        let store = try Fixture.loadStages(input: second, name: "named")
        try DatabaseQueue(path: store.path).read { db in
            let loaded = try Int.fetchOne(db, sql: "SELECT rows_loaded FROM run_input WHERE source_file LIKE '%scra.CSV'") ?? 0
            #expect(loaded > 0)
            let note = try String.fetchOne(db, sql: "SELECT message FROM run_note WHERE source_file LIKE '%._scra.csv'")
            #expect(note == "hidden file, not read")
        }
    }

    @Test("a Unicode line separator or C1 control character in an id rejects the row")
    func unicodeControls() {
        #expect(ExtractStage.hasControlCharacter("C0000091\u{2028}"))
        #expect(ExtractStage.hasControlCharacter("C0000093\u{85}"))
        #expect(!ExtractStage.hasControlCharacter("Comhairle nan Eilean Siar café"))
    }
}
