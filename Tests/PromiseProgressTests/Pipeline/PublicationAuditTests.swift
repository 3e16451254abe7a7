import Foundation
import GRDB
import Testing
@testable import PromiseProgress

@Suite("Publication audit", .removesTemporaryFiles)
struct PublicationAuditTests {
    /// One published value: indicator, area, breakdown type and code, numerator (nil = withheld [c]).
    typealias Value = (indicator: String, area: String, type: String, code: String, numerator: Int?)

    /// A public folder with one SQLite file holding the given values of count indicators, with the
    /// populations they count (`measure_population`) and the placement types.
    static func folder(values: [Value], populations: [(indicator: String, population: String, attribute: String?, code: String?)] = [],
                       placementTypes: [String] = [], extraFiles: [String: String] = [:]) throws -> URL {
        let folder = Fixture.temporaryDirectory("audit")
        let store = try Store(url: folder.appendingPathComponent("promise-public.sqlite"))
        try store.queue.write { db in
            try store.recreate(PublicData.tables, in: db)
            try db.execute(sql: "INSERT INTO foundation VALUES ('family', 'Family', '', 1)")
            try db.execute(sql: "INSERT INTO vision_statement VALUES (1, 'One', 1)")
            try db.execute(sql: "INSERT INTO period VALUES ('2023-24', 'reporting_year', '2023-24', '2023-08-01', '2024-07-31', '2024-07-31', '31 July 2024', 1)")
            try db.execute(sql: "INSERT INTO geography VALUES ('S92000003', 'Scotland', 'country', NULL)")
            for area in Set(values.map(\.area)) where area != "S92000003" {
                try db.execute(sql: "INSERT INTO geography VALUES (?, ?, 'council_area', 'S92000003')", arguments: [area, area])
            }
            for (index, code) in placementTypes.enumerated() {
                try db.execute(sql: "INSERT INTO placement_type VALUES (?, ?, ?, 'away_from_home', ?, ?)",
                               arguments: [code, code, code.hasPrefix("res") || code == "secure" ? "residential" : "community", code, index])
            }
            for indicator in Set(values.map(\.indicator)) {
                try db.execute(sql: """
                    INSERT INTO indicator (indicator_id, title, short_title, short_definition, definition, outcome, foundation_id, vision_statement_id, role,
                      value_type, value_source, unit, polarity, numerator_description, numerator_sql, breakdowns, council_area_values, council_area_breakdowns, source, period_type, period_basis, caveats,
                      confidence_method, frequency, publisher, last_updated, next_update_due, headline_rule, direction_threshold, direction_threshold_unit,
                      definition_file, definition_sha256)
                    VALUES (?, 'Count', 'Count', '', '', '', 'family', 1, 'core', 'count', 'computed', 'children', 'no_judgement', '', 'SELECT 1', '', 1, '', '',
                      'reporting_year', 'snapshot', '', 'none', 'annual', '', '2026-01-01', '2027-01-01', 'npf_change', 2, 'percent', 'count.yml', '')
                    """, arguments: [indicator])
            }
            for population in populations {
                try db.execute(sql: "INSERT INTO measure_population (indicator_id, measure, population, overlapping, attribute, code) VALUES (?, 'numerator', ?, 0, ?, ?)",
                               arguments: [population.indicator, population.population, population.attribute, population.code])
            }
            for value in values {
                try db.execute(sql: """
                    INSERT INTO indicator_value (indicator_id, period_id, geography_code, breakdown_type, breakdown_code, numerator, value, marker)
                    VALUES (?, '2023-24', ?, ?, ?, ?, ?, ?)
                    """, arguments: [value.indicator, value.area, value.type, value.code, value.numerator, value.numerator, value.numerator == nil ? "[c]" : nil])
            }
        }
        for (name, text) in extraFiles {
            try text.write(to: folder.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
        return folder
    }

    /// One count indicator by area.
    static func folder(with cells: [(String, Int?)], extraFiles: [String: String] = [:]) throws -> URL {
        try folder(values: cells.map { ("count", $0.0, "total", "total", $0.1) }, extraFiles: extraFiles)
    }

    @Test("a withheld area that Scotland minus the others gives away is named")
    func scotlandMinusOthers() throws {
        let leaky = try Self.folder(with: [("S92000003", 113), ("A", nil), ("B", 50), ("C", 60)])
        var audit = PublicationAudit(childIdentifiers: [])
        let findings = try audit.audit(leaky)
        #expect(findings.map(\.place) == ["indicator_value count 2023-24 A total=total numerator"])
        #expect(findings.first?.problem.contains("proves it lies between 3.00 and 3.00") == true)

        let safe = try Self.folder(with: [("S92000003", 113), ("A", nil), ("B", nil), ("C", 60)])
        #expect(try audit.audit(safe).isEmpty)
    }

    /// Two council areas' looked-after children by placement type, withheld in the classic 2 x 2 pattern
    /// (secure and kinship in both areas), so every sum in that table has two withheld members. A second
    /// table, residential care, is published whole. Each table alone is clean; together they give secure
    /// care exactly: residential minus the published residential school.
    static func twoTableLeak() throws -> URL {
        let types = ["home_parents", "kinship", "secure", "residential_school"]
        var values: [Value] = []
        let areas: [(String, [String: Int])] = [("A", ["home_parents": 20, "kinship": 25, "secure": 2, "residential_school": 13]),
                                                ("B", ["home_parents": 30, "kinship": 22, "secure": 3, "residential_school": 15])]
        var scotland: [String: Int] = [:]
        for (area, counts) in areas {
            for (code, count) in counts {
                values.append(("looked-after", area, "placement_type", code, ["secure", "kinship"].contains(code) ? nil : count))
                scotland[code, default: 0] += count
            }
            values.append(("looked-after", area, "total", "total", counts.values.reduce(0, +)))
            values.append(("residential", area, "total", "total", counts["secure"]! + counts["residential_school"]!))
        }
        for (code, count) in scotland { values.append(("looked-after", "S92000003", "placement_type", code, count)) }
        values.append(("looked-after", "S92000003", "total", "total", scotland.values.reduce(0, +)))
        values.append(("residential", "S92000003", "total", "total", scotland["secure"]! + scotland["residential_school"]!))
        return try folder(values: values, populations: [("looked-after", "looked_after_on_31_july", nil, nil),
                                                        ("residential", "looked_after_on_31_july", "placement_type", "secure"),
                                                        ("residential", "looked_after_on_31_july", "placement_type", "residential_school")],
                          placementTypes: types)
    }

    @Test("a leak only through combining two tables is caught, naming file and cell; every single sum is clean")
    func twoTables() throws {
        let folder = try Self.twoTableLeak()
        // Single sums: within each table, no sum has exactly one withheld member.
        try DatabaseQueue(path: folder.appendingPathComponent("promise-public.sqlite").path).read { db in
            let rows = try Row.fetchAll(db, sql: "SELECT indicator_id, geography_code, breakdown_type, breakdown_code, numerator FROM indicator_value")
            let withheld = Set(rows.filter { ($0["numerator"] as Int?) == nil }.map { "\($0["indicator_id"] as String)|\($0["geography_code"] as String)|\($0["breakdown_code"] as String)" })
            for indicator in ["looked-after", "residential"] {
                let cells = Set(rows.filter { ($0["indicator_id"] as String) == indicator }.map {
                    TableStructure.Cell(indicator, CellKey(period: "2023-24", geography: $0["geography_code"], breakdownType: $0["breakdown_type"], breakdownCode: $0["breakdown_code"]))
                })
                // One table's own sums: Scotland = council areas, total = categories.
                for relation in TableStructure.relations(cells: cells, declarations: [:], domains: [:]) {
                    let hidden = relation.cells.filter { withheld.contains("\(indicator)|\($0.key.geography)|\($0.key.breakdownCode)") }.count
                    #expect(hidden != 1, "\(relation.name) for \(relation.total) has a single withheld member")
                }
            }
        }
        var audit = PublicationAudit(childIdentifiers: [])
        let findings = try audit.audit(folder)
        #expect(findings.contains { $0.file == "promise-public.sqlite" && $0.place == "indicator_value looked-after 2023-24 A placement_type=secure numerator"
                    && $0.problem.contains("between 2.00 and 2.00") }, "\(findings)")
        #expect(findings.contains { $0.place == "indicator_value looked-after 2023-24 B placement_type=secure numerator" })
        #expect(audit.linearProgramsSolved > 0)
    }

    @Test("a published count from 1 to 4 is named in SQLite, CSV, HTML and Markdown")
    func smallCounts() throws {
        let html = """
        <table><caption>By area</caption><thead><tr><th scope="col">Council area</th><th scope="col" class="num">Number</th></tr></thead>
        <tbody><tr><th scope="row">Orkney Islands</th><td class="num">3</td></tr><tr><th scope="row">Fife</th><td class="num">1,203</td></tr></tbody></table>
        """
        let markdown = "## By area\n\n| Council area | Number |\n|---|--:|\n| Orkney Islands | 2 |\n| Fife | 44 |\n"
        let csv = "indicator_id,geography_code,numerator,value\ncount,A,4,4\ncount,B,0,0\n"
        let folder = try Self.folder(with: [("S92000003", 3), ("A", 3), ("B", 0)], extraFiles: ["page.html": html, "page.md": markdown, "values.csv": csv])
        var audit = PublicationAudit(childIdentifiers: [])
        let findings = try audit.audit(folder)
        #expect(findings.contains { $0.file == "page.html" && $0.place == "table 'By area', row 'Orkney Islands', column 'Number'" && $0.problem == "publishes a count of 3" })
        #expect(findings.contains { $0.file == "page.md" && $0.place.contains("row 'Orkney Islands'") && $0.problem == "publishes a count of 2" })
        #expect(findings.contains { $0.file == "values.csv" && $0.place == "line 2, column 'numerator'" })
        #expect(findings.contains { $0.file == "promise-public.sqlite" && $0.place == "indicator_value count 2023-24 A total=total" })
        #expect(!findings.contains { $0.place.contains("Fife") || $0.place.contains("line 3") }, "zero and large counts are fine")
    }

    @Test("a CSV that states a number the SQLite file withholds, or a reason column, is named")
    func csvAgreesWithSQLite() throws {
        let csv = "indicator_id,period_id,geography_code,breakdown_type,breakdown_code,numerator,suppression_rule\ncount,2023-24,A,total,total,12,\ncount,2023-24,C,total,total,60,\n"
        let folder = try Self.folder(with: [("S92000003", 113), ("A", nil), ("B", nil), ("C", 60)], extraFiles: ["values.csv": csv])
        var audit = PublicationAudit(childIdentifiers: [])
        let findings = try audit.audit(folder)
        #expect(findings.contains { $0.file == "values.csv" && $0.place == "line 2, column 'numerator'" && $0.problem.contains("withholds") }, "\(findings)")
        #expect(findings.contains { $0.file == "values.csv" && $0.place == "header" && $0.problem.contains("suppression_rule") })
        #expect(!findings.contains { $0.place.hasPrefix("line 3") }, "C agrees")
    }

    @Test("child identifiers and child-level columns are named")
    func childLevel() throws {
        let folder = try Self.folder(with: [("S92000003", 10), ("A", 10)], extraFiles: [
            "note.md": "Rejected: E0001234 on line 5, and r2021-000003 in another case\n",
            "rows.csv": "child_id,value\nX,1\n",
        ])
        var audit = PublicationAudit(childIdentifiers: ["E0001234", "R2021-000003"])
        let findings = try audit.audit(folder)
        #expect(findings.contains { $0.file == "note.md" && $0.place == "line 1, character 11" && $0.problem.contains("shaped 'X9999999'") }, "\(findings)")
        #expect(findings.contains { $0.file == "note.md" && $0.place == "line 1, character 35" && $0.problem.contains("shaped 'x9999-999999'") }, "found in any letter case: \(findings)")
        // The finding goes to the log, the run log and the mailed summary: it never repeats the identifier.
        #expect(!findings.contains { "\($0)".contains("E0001234") || "\($0)".lowercased().contains("r2021-000003") }, "\(findings)")
        #expect(findings.contains { $0.file == "rows.csv" && $0.problem.contains("child-level column 'child_id'") })
    }

    @Test("an e-mail address, a phone number or a postcode anywhere in public is named, in text, CSV and SQLite")
    func contactDetails() throws {
        let folder = try Self.folder(with: [("S92000003", 10), ("A", 10)], extraFiles: [
            "quotes.md": "> Write to jo.bloggs@example.org\n",
            "page.html": "<p>Call <b>0141 496 0321</b></p>",
            "split.html": "<p>Or <span>0131 </span><span>496 0000</span></p>",
            // Figures in neighbouring cells, as a large build's rate table has them: no phone number.
            "cells.html": "<table><tr><th>Area</th><th>Number</th><th>Rate</th><th>Out of</th></tr><tr><td>A</td><td>0551</td><td>19.9</td><td>117.3</td></tr></table>",
            "rows.csv": "quote\nI live at G45 9AB\n",
        ])
        let sqlite = folder.appendingPathComponent("promise-public.sqlite")
        try DatabaseQueue(path: sqlite.path).write { db in
            try db.execute(sql: "UPDATE indicator SET title = 'Ring 07700 900123' WHERE indicator_id = 'count'")
        }
        var audit = PublicationAudit(childIdentifiers: [])
        let findings = try audit.audit(folder)
        #expect(findings.contains { $0.file == "quotes.md" && $0.problem.contains("e-mail address (shaped 'xx.xxxxxx@xxxxxxx.xxx'") }, "\(findings)")
        #expect(findings.contains { $0.file == "page.html" && $0.problem.contains("phone number (shaped '9999 999 9999'") })
        #expect(findings.contains { $0.file == "split.html" && $0.problem.contains("phone number (shaped '9999 999 9999'") }, "a number split by inline tags is read whole")
        #expect(!findings.contains { $0.file == "cells.html" }, "figures in neighbouring table cells are not read as one number: \(findings)")
        #expect(findings.contains { $0.file == "rows.csv" && $0.problem.contains("postcode (shaped 'X99 9XX'") })
        #expect(findings.contains { $0.file == "promise-public.sqlite" && $0.place == "indicator.title" && $0.problem.contains("99999 999999") })
        #expect(!findings.contains { "\($0)".contains("0141 496") || "\($0)".contains("jo.bloggs") || "\($0)".contains("G45") }, "values are never repeated: \(findings)")
    }

    @Test("a published quote without a reviewer's approval of its exact text, or with a capitalised word that is not everyday or allowed, fails the audit")
    func unapprovedQuotes() throws {
        let folder = try Self.folder(with: [("S92000003", 10), ("A", 10)])
        try DatabaseQueue(path: folder.appendingPathComponent("promise-public.sqlite").path).write { db in
            for text in ["I feel safe here.", "My key worker Morag listens to me", "I feel safe here now."] {
                try db.execute(sql: "INSERT INTO quote (wave, foundation_id, topic, age_group, quote) VALUES ('sw2025', 'voice', 'listened', 'age_11_17', ?)", arguments: [text])
            }
        }
        var audit = PublicationAudit(childIdentifiers: [])
        audit.quoteWords = RedactionWords(common: ["i", "feel", "safe", "here", "now", "my", "key", "worker", "listens", "to", "me"], allowed: ["I"])
        // Approved: the first text exactly, and Morag's (a reviewer's slip the detector still catches).
        audit.approvedQuotes = [CommentRedactor.sha256("I feel safe here."), CommentRedactor.sha256("My key worker Morag listens to me")]
        let findings = try audit.audit(folder)
        #expect(findings.contains { $0.place == "quote.quote" && $0.problem.contains("shaped 'Xxxxx'") }, "\(findings)")
        #expect(findings.contains { $0.problem.contains("no reviewer's approval") && $0.problem.contains(CommentRedactor.sha256("I feel safe here now.").prefix(12)) }, "a changed text is not approved")
        #expect(!findings.contains { $0.problem.contains(CommentRedactor.sha256("I feel safe here.").prefix(12)) }, "an approved text is not a finding")
        #expect(findings.count == 2, "\(findings)")

        var unconfigured = PublicationAudit(childIdentifiers: [])
        #expect(try unconfigured.audit(folder).filter { $0.problem.contains("no reviewer's approval") }.count == 3, "without the store's approvals no quote passes")
    }

    @Test("the audit passes on the embedded build and recorded no findings")
    func embeddedBuildIsClean() throws {
        let output = try Fixture.defaultBuild.get()
        let store = output.appendingPathComponent("promise.sqlite")
        var audit = try DatabaseQueue(path: store.path).read { db in
            try PublicationAudit(childIdentifiers: PublicationAudit.childIdentifiers(in: db))
        }
        #expect(audit.childIdentifiers.count > 100_000)
        // The outsider's standard, without the true counts: every withheld count whose range touches
        // 1 to 4 reaches 0 and 5 would be stricter than the build's; with them, the build's standard.
        audit.trueCounts = try DatabaseQueue(path: store.path).read { try PublicationAudit.trueCounts(in: $0) }
        // Quotes are checked against the reviewers' approvals and the word list, as a build configures it.
        audit.approvedQuotes = try DatabaseQueue(path: store.path).read { try PublicationAudit.approvedQuoteHashes(in: $0) }
        audit.quoteWords = try DatabaseQueue(path: store.path).read { try RedactionWords.load(from: $0) }
        #expect(try audit.audit(output.appendingPathComponent("public")).isEmpty)
        #expect(audit.linearProgramsSolved > 0)
        try DatabaseQueue(path: store.path).read { db in
            let run = try #require(try Row.fetchOne(db, sql: "SELECT * FROM run ORDER BY started_at DESC LIMIT 1"))
            #expect(run["audit_findings"] as Int == 0)
            #expect((run["values_suppressed"] as Int) > 0)
            let withheld = ["primary", "group", "secondary", "protection"].reduce(0) { $0 + (run["cells_withheld_\($1)"] as Int) }
            #expect(withheld > (run["cells_withheld_primary"] as Int), "complements are withheld beside the small counts")
            let share = Double(run["count_withheld"] as Int) / Double(run["count_total"] as Int)
            #expect(share > 0 && share < 0.05, "withholds as little as protection allows: \(share)")
        }
    }

    @Test("the audit step stops a build whose public folder holds a child id")
    func auditStageFails() throws {
        let output = Fixture.temporaryDirectory("audit-stage")
        let context = PipelineContext(layout: Fixture.layout(output: output), logger: MemoryLogger())
        for stage in Pipeline.standardStages { try Pipeline.run(stage, context: context) }
        let childID = try context.openWorkStore().queue.read { try String.fetchOne($0, sql: "SELECT child_id FROM child LIMIT 1") }!
        let page = context.layout.workPublicDirectory.appendingPathComponent("markdown/index.md")
        try (try String(contentsOf: page, encoding: .utf8) + "\nSee \(childID).\n").write(to: page, atomically: true, encoding: .utf8)
        #expect(throws: AuditFailure.self) { try Pipeline.run(AuditStage(), context: context) }
        #expect(!FileManager.default.fileExists(atPath: context.layout.publishedPublicDirectory.path), "nothing was published")
    }
}
