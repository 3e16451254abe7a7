import Foundation
import GRDB
import Testing
@testable import PromiseProgress

@Suite("Build of the embedded data", .serialized, .removesTemporaryFiles)
struct BuildTests {
    let output: URL

    init() throws {
        output = try Fixture.defaultBuild.get()
    }

    var store: DatabaseQueue {
        get throws { try DatabaseQueue(path: output.appendingPathComponent("promise.sqlite").path) }
    }

    @Test("the run produces the store, the site and the Markdown")
    func outputs() {
        for path in ["promise.sqlite", "public/site/index.html", "public/site/data-quality.html", "public/site/indicators/at-home.html",
                     "public/markdown/index.md", "public/markdown/indicators/at-home.md", "public/data/promise-public.sqlite",
                     "public/data/at-home.csv", "public/site/assets/style.css", "run-log.jsonl"] {
            #expect(FileManager.default.fileExists(atPath: output.appendingPathComponent(path).path), "missing \(path)")
        }
        #expect(!FileManager.default.fileExists(atPath: output.appendingPathComponent(".work/promise.sqlite").path), "the work store was moved, not copied")
    }

    /// Published figures (Children's Social Work Statistics): 31 July 2024, 11,844 looked after; at home 20%, kinship 35%, foster 32%, residential 11%.
    @Test("national figures for 31 July 2024 are within 10% of the published ones", arguments: [
        ("looked-after", 11844.0), ("at-home", 20.0), ("kinship", 35.0), ("foster", 32.0), ("residential", 11.0), ("started-looked-after", 3105.0),
    ])
    func calibration(_ indicator: String, _ published: Double) throws {
        let value = try store.read { db in
            try Double.fetchOne(db, sql: """
                SELECT value FROM indicator_value WHERE indicator_id = ? AND period_id = ? AND geography_code = 'S92000003' AND breakdown_type = 'total'
                """, arguments: [indicator, "2023-24"])
        }
        let computed = try #require(value)
        #expect(abs(computed - published) / published < 0.10, "\(indicator): \(computed) against published \(published)")
    }

    @Test("the looked after count agrees with a count made directly from the episode table")
    func independentCount() throws {
        try store.read { db in
            let direct = try Int.fetchAll(db, sql: """
                SELECT COUNT(DISTINCT child_id) FROM episode
                WHERE start_date <= '2024-07-31' AND (end_date IS NULL OR end_date > '2024-07-31')
                UNION ALL
                SELECT COUNT(DISTINCT e.child_id) FROM episode e
                JOIN placement p ON p.episode_id = e.episode_id AND p.start_date <= '2024-07-31' AND (p.end_date IS NULL OR p.end_date > '2024-07-31')
                WHERE e.start_date <= '2024-07-31' AND (e.end_date IS NULL OR e.end_date > '2024-07-31') AND p.placement_type = 'home_parents'
                """)
            let computed = try Int.fetchAll(db, sql: """
                SELECT numerator FROM indicator_value WHERE indicator_id IN ('looked-after', 'at-home') AND period_id = '2023-24'
                  AND geography_code = 'S92000003' AND breakdown_type = 'total' ORDER BY indicator_id DESC
                """)
            #expect(direct == computed)
        }
    }

    @Test("Scotland is the sum of the council areas, and categories sum to their total")
    func additivity() throws {
        try store.read { db in
            let mismatches = try Int.fetchOne(db, sql: """
                SELECT COUNT(*) FROM indicator_value s
                WHERE s.geography_code = 'S92000003' AND s.numerator IS NOT NULL
                  AND s.indicator_id NOT IN (SELECT indicator_id FROM measure_population WHERE overlapping = 1)
                  AND s.numerator <> (SELECT SUM(c.numerator) FROM indicator_value c WHERE c.indicator_id = s.indicator_id AND c.period_id = s.period_id
                      AND c.breakdown_type = s.breakdown_type AND c.breakdown_code = s.breakdown_code AND c.geography_code <> 'S92000003')
                """)
            #expect(mismatches == 0)
            let categoryMismatches = try Int.fetchOne(db, sql: """
                SELECT COUNT(*) FROM (
                  SELECT t.numerator AS total, SUM(c.numerator) AS parts FROM indicator_value t
                  JOIN indicator_value c ON c.indicator_id = t.indicator_id AND c.period_id = t.period_id AND c.geography_code = t.geography_code AND c.breakdown_type <> 'total'
                  WHERE t.breakdown_type = 'total' AND t.indicator_id NOT IN (SELECT indicator_id FROM measure_population WHERE overlapping = 1)
                  GROUP BY t.indicator_id, t.period_id, t.geography_code, c.breakdown_type
                ) WHERE total <> parts
                """)
            #expect(categoryMismatches == 0)
            // Distinct children: a total is at most the sum of its parts and at least each part.
            let overlapping = try Int.fetchOne(db, sql: """
                SELECT COUNT(*) FROM indicator_value t JOIN indicator_value c ON c.indicator_id = t.indicator_id AND c.period_id = t.period_id
                  AND ((t.breakdown_type = 'total' AND c.geography_code = t.geography_code AND c.breakdown_type <> 'total') OR (t.geography_code = 'S92000003' AND c.geography_code <> 'S92000003' AND c.breakdown_type = t.breakdown_type AND c.breakdown_code = t.breakdown_code))
                WHERE t.indicator_id IN (SELECT indicator_id FROM measure_population WHERE overlapping = 1) AND (t.breakdown_type = 'total' OR t.geography_code = 'S92000003')
                  AND c.numerator > t.numerator
                """)
            #expect(overlapping == 0)
        }
    }

    @Test("t intervals of means can be recomputed from the public file: value, denominator and standard deviation")
    func meansRecomputable() throws {
        let output = try Fixture.defaultBuild.get()
        let rows = try DatabaseQueue(path: output.appendingPathComponent("public/data/promise-public.sqlite").path).read { db in
            try Row.fetchAll(db, sql: "SELECT value, denominator, standard_deviation, lower_95, upper_998 FROM indicator_value WHERE ci_method = 'student_t'")
        }
        #expect(rows.count >= 6, "Scotland, every period (the average is published for Scotland only)")
        for row in rows {
            let mean: Double = row["value"], n: Double = row["denominator"], sd: Double = row["standard_deviation"]
            let t95 = ConfidenceInterval.studentTQuantile(0.975, degreesOfFreedom: n - 1)
            let t998 = ConfidenceInterval.studentTQuantile(0.999, degreesOfFreedom: n - 1)
            #expect(abs((row["lower_95"] as Double) - (mean - t95 * sd / n.squareRoot())) < 1e-9)
            #expect(abs((row["upper_998"] as Double) - (mean + t998 * sd / n.squareRoot())) < 1e-9)
        }
    }

    @Test("intervals can be recomputed from the stored numerator and denominator")
    func recomputable() throws {
        try store.read { db in
            let rows = try Row.fetchAll(db, sql: """
                SELECT numerator, denominator, value, lower_95, upper_998 FROM indicator_value
                WHERE ci_method = 'wilson' AND denominator > 0 ORDER BY random() LIMIT 50
                """)
            #expect(!rows.isEmpty)
            for row in rows {
                let n: Double = row["numerator"], d: Double = row["denominator"]
                let ci95 = try #require(ConfidenceInterval.wilson(successes: n, trials: d, level: .ninetyFive))
                let ci998 = try #require(ConfidenceInterval.wilson(successes: n, trials: d, level: .ninetyNinePointEight))
                #expect(abs((row["value"] as Double) - 100 * n / d) < 1e-9)
                #expect(abs((row["lower_95"] as Double) - 100 * ci95.lower) < 1e-9)
                #expect(abs((row["upper_998"] as Double) - 100 * ci998.upper) < 1e-9)
            }
        }
    }

    @Test("every table and column of both SQLite files is described in the data dictionary", arguments: ["promise.sqlite", "public/data/promise-public.sqlite"])
    func dataDictionary(_ file: String) throws {
        let queue = try DatabaseQueue(path: output.appendingPathComponent(file).path)
        try queue.read { db in
            // SQLite's own shadow tables behind a full-text index are described by the index.
            let shadows = Set((Schema.finished + PublicData.tables).flatMap(\.shadowTables))
            let tables = try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite_%'").filter { !shadows.contains($0) }
            #expect(tables.count > 10)
            for table in tables {
                let described = try Set(String.fetchAll(db, sql: "SELECT column_name FROM data_dictionary WHERE table_name = ? AND description <> ''", arguments: [table]))
                let actual = try Set(Row.fetchAll(db, sql: "SELECT name FROM pragma_table_info(?)", arguments: [table]).map { $0["name"] as String })
                #expect(actual == described, "\(file): \(table) columns \(actual.subtracting(described).sorted()) have no description")
                #expect(try Bool.fetchOne(db, sql: "SELECT COUNT(*) = 1 FROM data_dictionary_table WHERE table_name = ?", arguments: [table]) == true)
            }
        }
    }

    @Test("the run table records the build, its inputs and its stages")
    func runRecord() throws {
        try store.read { db in
            let run = try #require(try Row.fetchOne(db, sql: "SELECT * FROM run ORDER BY started_at DESC LIMIT 1"))
            #expect(run["status"] as String == "succeeded")
            #expect((run["rows_read"] as Int) == (run["rows_loaded"] as Int) + (run["rows_rejected"] as Int))
            let inputs = try Row.fetchAll(db, sql: "SELECT * FROM run_input WHERE run_id = ?", arguments: [run["run_id"] as String])
            #expect(inputs.count == 3 + 8 + 4 + 1 + 6, "three child-level files, eight published tables, four survey files (with the quote review), the commitments tracker and six documents")
            #expect(inputs.allSatisfy { ($0["sha256"] as String).count == 64 })
            let stages = try String.fetchAll(db, sql: "SELECT stage FROM run_stage WHERE run_id = ? ORDER BY started_at", arguments: [run["run_id"] as String])
            #expect(stages == ["extract", "transform", "load", "compute", "render", "audit"])
        }
    }

    // MARK: - Privacy

    @Test("nothing under public/ holds a child-level table, a child id, a date of birth, a count of 1 to 4 children or a group of 1 to 9 respondents")
    func publicOutputsAreSafe() throws {
        let publicFolder = output.appendingPathComponent("public")
        let queue = try DatabaseQueue(path: publicFolder.appendingPathComponent("data/promise-public.sqlite").path)
        try queue.read { db in
            let tables = Set(try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table'"))
            #expect(tables.isDisjoint(with: ["child", "episode", "placement", "snapshot_placement", "episode_start", "period_stability", "rejected_row",
                                             "survey_response", "survey_comment", "survey_invited", "survey_respondent", "survey_answer", "survey_quote",
                                             "quote_review", "quote_for_review", "redaction_term", "redaction_allow"]))
            // Survey answers (unit answers) are published beside their group; every other numerator counts children or respondents.
            #expect(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM indicator_value WHERE numerator BETWEEN 1 AND 4 AND indicator_id NOT IN (SELECT indicator_id FROM measure_population WHERE measure = 'numerator' AND unit = 'answers') AND indicator_id NOT IN (SELECT indicator_id FROM indicator WHERE evidence = 'qualitative')") == 0,
                    "commitments are public records, not people")
            #expect(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM indicator_value v JOIN measure_population m ON m.indicator_id = v.indicator_id AND m.unit = 'respondents' AND (m.measure = 'numerator' AND v.numerator BETWEEN 1 AND 9 OR m.measure = 'denominator' AND v.denominator BETWEEN 1 AND 9)") == 0,
                    "no group of 1 to 9 respondents")
            #expect(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM indicator_value i JOIN indicator d USING (indicator_id) WHERE d.value_type = 'percentage' AND d.evidence <> 'qualitative' AND denominator BETWEEN 1 AND 4") == 0)
            #expect(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM indicator_value WHERE value IS NULL AND marker IS NULL") == 0, "a missing number always has a marker")
        }
        let childID = try Regex("C[0-9]{7}")
        let dateOfBirth = try Regex("(?i)date_of_birth")
        var texts: [(String, String)] = []
        for file in Fixture.files(under: publicFolder) where file.pathExtension != "sqlite" {
            if file.pathExtension == "gz" {
                // The downloads archive: every member, read as a user would unpack it.
                for entry in try TarGzip.entries(TarGzip.gunzip(Data(contentsOf: file))) { texts.append((file.lastPathComponent + ":" + entry.name, String(decoding: entry.data, as: UTF8.self))) }
            } else {
                texts.append((file.lastPathComponent, try String(contentsOf: file, encoding: .utf8)))
            }
        }
        #expect(texts.contains { $0.0.hasSuffix("datapackage.json") })
        for (name, text) in texts {
            let file = URL(fileURLWithPath: name)
            #expect(text.firstMatch(of: childID) == nil, "\(file.lastPathComponent) holds a child id")
            #expect(text.firstMatch(of: dateOfBirth) == nil, "\(file.lastPathComponent) mentions date of birth")
        }
        // CSV downloads: no published number of children from 1 to 4 (survey answers are protected with their group).
        // (The CSVs behind pages, in data/pages/, mix units; the audit checks them by each row's indicator.)
        for file in Fixture.files(under: publicFolder.appendingPathComponent("data")) where file.pathExtension == "csv" && file.deletingLastPathComponent().lastPathComponent == "data"
            && !file.lastPathComponent.hasPrefix("survey-") && !file.lastPathComponent.hasPrefix("commitments-") {
            let rows = CSVReader(string: try String(contentsOf: file, encoding: .utf8)).rows()
            guard case .record(_, let header)? = rows.first, let column = header.firstIndex(of: "numerator") else {
                Issue.record("\(file.lastPathComponent) has no numerator column"); continue
            }
            for case .record(let line, let fields) in rows.dropFirst() where (1...4).contains(Int(fields[column]) ?? 0) {
                Issue.record("\(file.lastPathComponent):\(line) publishes a count of \(fields[column])")
            }
        }
    }

    @Test("published values equal the restricted ones wherever nothing was suppressed")
    func publishedMatchesRestricted() throws {
        try store.read { db in
            let differences = try Int.fetchOne(db, sql: """
                SELECT COUNT(*) FROM published_indicator_value p JOIN indicator_value v USING (indicator_id, period_id, geography_code, breakdown_type, breakdown_code)
                WHERE p.suppression_rule IS NULL AND (p.value IS NOT v.value OR p.numerator IS NOT v.numerator)
                """)
            #expect(differences == 0)
        }
    }

    // MARK: - Pages

    @Test("pages use no external assets and carry the synthetic-data warning")
    func pages() throws {
        let site = output.appendingPathComponent("public/site")
        let pages = Fixture.files(under: site).filter { $0.pathExtension == "html" }
        let definitions = try FileManager.default.contentsOfDirectory(atPath: Fixture.repositoryRoot.appendingPathComponent("Indicators").path).filter { $0.hasSuffix(".yml") }
        let documents = try FileManager.default.contentsOfDirectory(atPath: Fixture.repositoryRoot.appendingPathComponent("Data/qualitative/documents").path)
        let visions = try String(contentsOf: Fixture.repositoryRoot.appendingPathComponent("seeds/vision_statement.csv"), encoding: .utf8).split(separator: "\n").count - 1
        #expect(pages.count == definitions.count + 7 + 5 + 5 + visions + 33 + documents.count,
                "index, quotes, data quality, changes, methods, accessibility, downloads; one page per indicator, per foundation (and its evidence), per vision statement, per council area and their index, and per document")
        // Nothing is loaded from elsewhere; a link to a source document's own address is fine.
        let external = try Regex(#"src="(https?:)?//|<link[^>]+href="(https?:)?//"#)
        for page in pages {
            let html = try String(contentsOf: page, encoding: .utf8)
            #expect(html.firstMatch(of: external) == nil, "\(page.lastPathComponent) loads something from the network")
            #expect(html.contains("<html lang=\"en-GB\">"))
            #expect(html.contains("Synthetic data."))
        }
        // Markdown is escaped for Markdown, partials included: no HTML entities leak into it.
        for file in Fixture.files(under: output.appendingPathComponent("public/markdown")) {
            let text = try String(contentsOf: file, encoding: .utf8)
            #expect(!text.contains("&#") && !text.contains("&amp;"), "\(file.lastPathComponent) has HTML entities")
        }
        let atHome = try String(contentsOf: site.appendingPathComponent("indicators/at-home.html"), encoding: .utf8)
        #expect(atHome.contains("<svg"))
        #expect(atHome.contains("City of Edinburgh"))
    }
}

@Suite("Direction of travel in the embedded build", .removesTemporaryFiles)
struct DirectionInBuildTests {
    @Test("every indicator and area has both rules, and the trend test can be recomputed from the public file")
    func recomputeFromPublicFile() throws {
        let output = try Fixture.defaultBuild.get()
        let queue = try DatabaseQueue(path: output.appendingPathComponent("public/data/promise-public.sqlite").path)
        try queue.read { db in
            // Both rules for every indicator and area with a series (secure care is published for Scotland only).
            let series = try Int.fetchOne(db, sql: """
                SELECT COUNT(*) FROM (SELECT DISTINCT indicator_id, geography_code FROM indicator_value
                                      WHERE breakdown_type = 'total' AND (marker IS NULL OR marker <> '[x]'))
                """) ?? 0
            #expect(series > 25 * 32)
            #expect(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM direction_of_travel") == series * 2)
            #expect(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM direction_of_travel WHERE status = 'cannot_be_calculated' AND reason IS NULL") == 0)
            let rows = try Row.fetchAll(db, sql: "SELECT * FROM direction_of_travel d JOIN indicator i USING (indicator_id) WHERE rule = 'linear_trend' AND p_value IS NOT NULL")
            #expect(rows.count > 50)
            for row in rows {
                // Inputs are "period=numerator/denominator"; the same numbers must be in indicator_value.
                let pairs = (row["inputs"] as String).split(separator: ";").map { $0.split(separator: "=")[1].split(separator: "/").map { Double($0)! } }
                for (part, period) in zip(pairs, (row["inputs"] as String).split(separator: ";").map { String($0.split(separator: "=")[0]) }) {
                    let stored = try Row.fetchOne(db, sql: "SELECT numerator, denominator FROM indicator_value WHERE indicator_id = ? AND geography_code = ? AND period_id = ? AND breakdown_type = 'total'",
                                                  arguments: [row["indicator_id"] as String, row["geography_code"] as String, period])!
                    #expect(Double(stored["numerator"] as Int) == part[0] && (stored["denominator"] as Double) == part[1])
                }
                let test = try #require(DirectionOfTravel.chiSquaredForTrend(observed: pairs.map { $0[0] }, totals: pairs.map { $0[1] }, binomial: (row["value_type"] as String) == "percentage"))
                #expect(abs(test.chiSquared - (row["statistic"] as Double)) < 1e-9 * max(1, test.chiSquared))
            }
        }
    }
}


@Suite("Published aggregate sources in the embedded build", .removesTemporaryFiles)
struct PublishedSourcesTests {
    @Test("indicators cover all five foundations, at least 25 of them")
    func coverage() throws {
        let output = try Fixture.defaultBuild.get()
        try DatabaseQueue(path: output.appendingPathComponent("public/data/promise-public.sqlite").path).read { db in
            #expect(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM indicator") ?? 0 >= 25)
            let covered = try String.fetchAll(db, sql: "SELECT DISTINCT foundation_id FROM indicator ORDER BY 1")
            #expect(covered == ["care", "family", "people", "scaffolding", "voice"])
        }
    }

    @Test("a revised value shows the newest vintage marked [r], and both vintages stay queryable")
    func revisions() throws {
        let output = try Fixture.defaultBuild.get()
        try DatabaseQueue(path: output.appendingPathComponent("public/data/promise-public.sqlite").path).read { db in
            let vintages = try Row.fetchAll(db, sql: """
                SELECT value, vintage FROM published_value
                WHERE measure = 'aftercare_share' AND period = '2023-24' AND geography_code = 'S92000003' ORDER BY vintage
                """)
            #expect(vintages.count == 2)
            let shown = try #require(try Row.fetchOne(db, sql: """
                SELECT value, marker FROM indicator_value WHERE indicator_id = 'aftercare' AND period_id = '2023-24' AND geography_code = 'S92000003'
                """))
            #expect(shown["value"] as Double == vintages[1]["value"] as Double)
            #expect(shown["marker"] as String == "[r]")
            #expect(vintages[0]["value"] as Double != vintages[1]["value"] as Double)
            // Values never revised carry no marker.
            #expect(try String?.fetchOne(db, sql: "SELECT marker FROM indicator_value WHERE indicator_id = 'aftercare' AND period_id = '2024-25' AND geography_code = 'S92000003'") == .some(nil))
        }
        let page = try String(contentsOf: output.appendingPathComponent("public/site/indicators/aftercare.html"), encoding: .utf8)
        #expect(page.contains("[r]"))
        #expect(page.contains("revised since first published"))
    }

    @Test("secure care is published for Scotland only: council areas are not available, not zero")
    func notAvailable() throws {
        let output = try Fixture.defaultBuild.get()
        try DatabaseQueue(path: output.appendingPathComponent("promise.sqlite").path).read { db in
            let markers = try String.fetchAll(db, sql: """
                SELECT DISTINCT COALESCE(marker, 'none') FROM indicator_value WHERE indicator_id = 'secure-care-average-daily' AND geography_code <> 'S92000003'
                """)
            #expect(markers == ["[x]"])
            #expect(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM indicator_value WHERE indicator_id = 'secure-care-average-daily' AND value IS NOT NULL") == 6)
        }
    }
}

@Suite("Means in the embedded build", .removesTemporaryFiles)
struct MeanInBuildTests {
    @Test("average placements equals the mean over children, with a t interval around it")
    func averagePlacements() throws {
        let output = try Fixture.defaultBuild.get()
        try DatabaseQueue(path: output.appendingPathComponent("promise.sqlite").path).read { db in
            let direct = try #require(try Row.fetchOne(db, sql: """
                SELECT AVG(placements) AS mean, COUNT(*) AS n, SUM(placements) AS total, SUM(placements * placements) AS squares
                FROM period_stability WHERE period_id = '2024-25'
                """))
            let stored = try #require(try Row.fetchOne(db, sql: """
                SELECT * FROM indicator_value WHERE indicator_id = 'average-placements' AND period_id = '2024-25' AND geography_code = 'S92000003' AND breakdown_type = 'total'
                """))
            #expect(abs((stored["value"] as Double) - (direct["mean"] as Double)) < 1e-12)
            #expect((stored["numerator"] as Int) == (direct["total"] as Int))
            #expect((stored["denominator"] as Double) == Double(direct["n"] as Int))
            #expect(stored["ci_method"] as String == "student_t")
            let interval = try #require(ConfidenceInterval.mean(sum: direct["total"], sumOfSquares: direct["squares"], count: Double(direct["n"] as Int), level: .ninetyFive))
            #expect(abs((stored["lower_95"] as Double) - interval.lower) < 1e-12 && abs((stored["upper_95"] as Double) - interval.upper) < 1e-12)
            #expect((stored["lower_95"] as Double) < (stored["value"] as Double) && (stored["value"] as Double) < (stored["upper_95"] as Double))
        }
    }
}
