import Foundation
import GRDB
import Testing
@testable import PromiseProgress

@Suite("Distinct children are counted, not added up", .removesTemporaryFiles)
struct DistinctChildrenTests {
    /// One child, aged 4 at a first start in Aberdeen City and 5 at a second start in Aberdeenshire, both
    /// in 2024-25: counted once in the total and in Scotland, once in each age band and council area.
    @Test("a child who starts twice, either side of a birthday and in two council areas, is one child in Scotland")
    func twoStarts() throws {
        let input = try Fixture.copyOfInputs()
        let folder = input.appendingPathComponent("quantitative")
        func append(_ file: String, _ line: String) throws {
            let url = folder.appendingPathComponent(file)
            let handle = try FileHandle(forWritingTo: url)
            handle.seekToEndOfFile()
            handle.write(Data((line + "\n").utf8))
            try handle.close()
        }
        try append("children.csv", "C9999001,S12000033,2020-03-01,female,white_scottish,no")
        try append("episodes.csv", "E9999001,C9999001,S12000033,2024-09-01,2024-10-01,voluntary_s25,home_parents")
        try append("episodes.csv", "E9999002,C9999001,S12000034,2025-04-01,,voluntary_s25,")
        try append("placements.csv", "P99990001,E9999001,2024-09-01,2024-10-01,kinship,no,not_applicable,")
        try append("placements.csv", "P99990002,E9999002,2025-04-01,,kinship,no,not_applicable,")
        let output = Fixture.temporaryDirectory("distinct")
        try Build(layout: Fixture.layout(output: output, input: input), logger: MemoryLogger()).run()

        try DatabaseQueue(path: output.appendingPathComponent("promise.sqlite").path).read { db in
            #expect(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM rejected_row WHERE source_line > 0 AND record LIKE '%9999%'") == 0, "the child loads")
            func started(_ area: String, _ type: String = "total", _ code: String = "total") throws -> Int {
                try #require(try Int.fetchOne(db, sql: """
                    SELECT numerator FROM indicator_value WHERE indicator_id = 'started-looked-after' AND period_id = '2024-25'
                      AND geography_code = ? AND breakdown_type = ? AND breakdown_code = ?
                    """, arguments: [area, type, code]))
            }
            // The child is in both council areas and both age bands (by their own direct counts)...
            let direct = { (sql: String) in try Int.fetchOne(db, sql: "SELECT COUNT(DISTINCT child_id) FROM episode_start WHERE period_id = '2024-25' AND age BETWEEN 0 AND 17" + sql) ?? -1 }
            #expect(try started("S12000033") == direct(" AND la_code = 'S12000033'"))
            #expect(try started("S12000034") == direct(" AND la_code = 'S12000034'"))
            #expect(try started("S92000003", "age_band", "1_4") == direct(" AND age_band_code = '1_4'"))
            #expect(try started("S92000003", "age_band", "5_11") == direct(" AND age_band_code = '5_11'"))
            #expect(try direct(" AND child_id = 'C9999001' AND age_band_code = '1_4'") == 1 && direct(" AND child_id = 'C9999001' AND age_band_code = '5_11'") == 1)
            // ...and once in Scotland and in each total: Scotland equals a direct count of distinct children.
            let scotland = try started("S92000003")
            #expect(scotland == (try direct("")))
            let areas = try Int.fetchOne(db, sql: "SELECT SUM(numerator) FROM indicator_value WHERE indicator_id = 'started-looked-after' AND period_id = '2024-25' AND geography_code <> 'S92000003' AND breakdown_type = 'total'") ?? 0
            let bands = try Int.fetchOne(db, sql: "SELECT SUM(numerator) FROM indicator_value WHERE indicator_id = 'started-looked-after' AND period_id = '2024-25' AND geography_code = 'S92000003' AND breakdown_type = 'age_band'") ?? 0
            #expect(areas >= scotland + 1, "the council areas add to more than Scotland: this child is in two")
            #expect(bands >= scotland + 1, "the age bands add to more than the total: this child is in two")
        }
    }
}
