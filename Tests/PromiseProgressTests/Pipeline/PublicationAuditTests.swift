import Foundation
import GRDB
import Testing
@testable import PromiseProgress

@Suite("Publication audit")
struct PublicationAuditTests {
    /// A public folder with one SQLite file holding the given (area, numerator) cells of one count indicator.
    static func folder(with cells: [(String, Int?)], extraFiles: [String: String] = [:]) throws -> URL {
        let folder = Fixture.temporaryDirectory("audit")
        let store = try Store(url: folder.appendingPathComponent("promise-public.sqlite"))
        try store.queue.write { db in
            try store.recreate(PublicData.tables, in: db)
            try db.execute(sql: "INSERT INTO foundation VALUES ('family', 'Family', '', 1)")
            try db.execute(sql: "INSERT INTO vision_statement VALUES (1, 'One', 1)")
            try db.execute(sql: "INSERT INTO period VALUES ('2023-24', 'reporting_year', '2023-24', '2023-08-01', '2024-07-31', '2024-07-31', '31 July 2024', 1)")
            try db.execute(sql: "INSERT INTO geography VALUES ('S92000003', 'Scotland', 'country', NULL)")
            for (area, _) in cells where area != "S92000003" {
                try db.execute(sql: "INSERT INTO geography VALUES (?, ?, 'council_area', 'S92000003')", arguments: [area, area])
            }
            try db.execute(sql: """
                INSERT INTO indicator (indicator_id, title, short_title, short_definition, definition, outcome, foundation_id, vision_statement_id, role,
                  value_type, value_source, unit, polarity, numerator_description, numerator_sql, breakdowns, source, period_type, period_basis, caveats,
                  confidence_method, frequency, publisher, last_updated, next_update_due, headline_rule, direction_threshold, direction_threshold_unit,
                  definition_file, definition_sha256)
                VALUES ('count', 'Count', 'Count', '', '', '', 'family', 1, 'core', 'count', 'computed', 'children', 'no_judgement', '', 'SELECT 1', '', '',
                  'reporting_year', 'snapshot', '', 'none', 'annual', '', '2026-01-01', '2027-01-01', 'npf_change', 2, 'percent', 'count.yml', '')
                """)
            for (area, numerator) in cells {
                try db.execute(sql: """
                    INSERT INTO indicator_value (indicator_id, period_id, geography_code, breakdown_type, breakdown_code, numerator, value, marker, suppression_rule)
                    VALUES ('count', '2023-24', ?, 'total', 'total', ?, ?, ?, ?)
                    """, arguments: [area, numerator, numerator, numerator == nil ? "[c]" : nil, numerator == nil ? "primary" : nil])
            }
        }
        for (name, text) in extraFiles {
            try text.write(to: folder.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
        return folder
    }

    @Test("a suppressed area that Scotland minus the others gives away is named")
    func scotlandMinusOthers() throws {
        let leaky = try Self.folder(with: [("S92000003", 113), ("A", nil), ("B", 50), ("C", 60)])
        let findings = try PublicationAudit(childIdentifiers: []).audit(leaky)
        #expect(findings.map(\.place) == ["indicator_value count numerator 2023-24 A total=total"])
        #expect(findings.first?.problem.contains("Scotland total minus the council areas") == true)

        let safe = try Self.folder(with: [("S92000003", 113), ("A", nil), ("B", nil), ("C", 60)])
        #expect(try PublicationAudit(childIdentifiers: []).audit(safe).isEmpty)
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
        let findings = try PublicationAudit(childIdentifiers: []).audit(folder)
        #expect(findings.contains { $0.file == "page.html" && $0.place == "table 'By area', row 'Orkney Islands', column 'Number'" && $0.problem == "publishes a count of 3" })
        #expect(findings.contains { $0.file == "page.md" && $0.place.contains("row 'Orkney Islands'") && $0.problem == "publishes a count of 2" })
        #expect(findings.contains { $0.file == "values.csv" && $0.place == "line 2, column 'numerator'" })
        #expect(findings.contains { $0.file == "promise-public.sqlite" && $0.place == "indicator_value count 2023-24 A total=total" })
        #expect(!findings.contains { $0.place.contains("Fife") || $0.place.contains("line 3") }, "zero and large counts are fine")
    }

    @Test("child identifiers and child-level columns are named")
    func childLevel() throws {
        let folder = try Self.folder(with: [("S92000003", 10), ("A", 10)], extraFiles: [
            "note.md": "Rejected: E0001234 on line 5\n",
            "rows.csv": "child_id,value\nX,1\n",
        ])
        let findings = try PublicationAudit(childIdentifiers: ["E0001234"]).audit(folder)
        #expect(findings.contains { $0.file == "note.md" && $0.place == "line 1" && $0.problem.contains("'E0001234'") })
        #expect(findings.contains { $0.file == "rows.csv" && $0.problem.contains("child-level column 'child_id'") })
    }

    @Test("the audit passes on the embedded build and recorded no findings")
    func embeddedBuildIsClean() throws {
        let output = try Fixture.defaultBuild.get()
        let store = output.appendingPathComponent("promise.sqlite")
        let audit = PublicationAudit(childIdentifiers: try PublicationAudit.childIdentifiers(in: store))
        #expect(audit.childIdentifiers.count > 100_000)
        #expect(try audit.audit(output.appendingPathComponent("public")).isEmpty)
        try DatabaseQueue(path: store.path).read { db in
            let run = try #require(try Row.fetchOne(db, sql: "SELECT * FROM run ORDER BY started_at DESC LIMIT 1"))
            #expect(run["audit_findings"] as Int == 0)
            let total: Int = run["values_suppressed"]
            #expect(total > 0)
            #expect((run["values_suppressed_primary"] as Int) + (run["values_suppressed_secondary"] as Int) + (run["values_suppressed_derived"] as Int) == total)
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
