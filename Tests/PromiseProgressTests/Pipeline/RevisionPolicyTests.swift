import Foundation
import GRDB
import Testing
@testable import PromiseProgress

/// The attacker keeps every release: nightly builds hold figures of published periods, a revision
/// release is protected against the release it replaces, and stock and flow are in the attack.
@Suite("Privacy over time", .serialized, .removesTemporaryFiles)
struct RevisionPolicyTests {
    typealias Cell = TableStructure.Cell

    /// Every number of the public file's `indicator_value`, keyed `indicator|period|area|type|code|column`
    /// (nil where withheld [c]), and the full rows as text for comparing releases.
    static func publicValues(_ file: URL) throws -> (numbers: [String: Double?], rows: [String]) {
        var configuration = Configuration()
        configuration.readonly = true
        return try DatabaseQueue(path: file.path, configuration: configuration).read { db in
            var numbers: [String: Double?] = [:]
            var rows: [String] = []
            for row in try Row.fetchAll(db, sql: "SELECT * FROM indicator_value ORDER BY indicator_id, period_id, geography_code, breakdown_type, breakdown_code") {
                rows.append(row.description)
                let key = ["indicator_id", "period_id", "geography_code", "breakdown_type", "breakdown_code"].map { row[$0] as String }.joined(separator: "|")
                for column in ["numerator", "denominator"] where (row["marker"] as String?) != "[x]" {
                    if let value = row[column] as Double? { numbers["\(key)|\(column)"] = .some(value) } else if (row["marker"] as String?) == "[c]" { numbers["\(key)|\(column)"] = .some(nil) }
                }
            }
            return (numbers, rows)
        }
    }

    /// Removes one child's records (child, episodes, placements) from a copy of the inputs: a child in the
    /// council area with the fewest episodes, whose episode began in the latest reporting year and is open.
    static func withdrawOneChild(from input: URL, latestYear: ClosedRange<String>) throws -> (child: String, area: String) {
        let folder = input.appendingPathComponent("quantitative")
        func lines(_ name: String) throws -> [String] {
            try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        }
        let episodes = try lines("episodes.csv")
        let rows = episodes.dropFirst().filter { !$0.isEmpty }.map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        let perArea = Dictionary(grouping: rows, by: { $0[2] }).mapValues(\.count)
        let candidates = rows.filter { latestYear.contains($0[3]) && $0[4].isEmpty }
        let chosen = try #require(candidates.min { (perArea[$0[2]]!, $0[1]) < (perArea[$1[2]]!, $1[1]) })
        let child = chosen[1], area = chosen[2]
        let episodeIDs = Set(rows.filter { $0[1] == child }.map { $0[0] })
        func write(_ name: String, keep: ([String]) -> Bool) throws {
            let all = try lines(name)
            let kept = [all[0]] + all.dropFirst().filter { $0.isEmpty || keep($0.split(separator: ",", omittingEmptySubsequences: false).map(String.init)) }
            try kept.joined(separator: "\n").write(to: folder.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
        try write("children.csv") { $0[0] != child }
        try write("episodes.csv") { $0[1] != child }
        try write("placements.csv") { !episodeIDs.contains($0[1]) }
        return (child, area)
    }

    @Test("one child withdrawn: the nightly build publishes no difference; a revision release gives an attacker holding both releases nothing")
    func withdrawnChild() throws {
        let input = try Fixture.copyOfInputs()
        let output = Fixture.temporaryDirectory("revisions")
        var layout = Fixture.layout(output: output, input: input)
        try Build(layout: layout, logger: MemoryLogger()).run()
        let publicFile = output.appendingPathComponent("public/data/promise-public.sqlite")
        let kept = Fixture.temporaryDirectory("kept").appendingPathComponent("first.sqlite")
        try FileManager.default.copyItem(at: publicFile.resolvingSymlinksInPath(), to: kept)
        let first = try Self.publicValues(kept)

        let withdrawn = try Self.withdrawOneChild(from: input, latestYear: "2024-08-01"..."2025-07-31")

        // The nightly build: nothing moves, nothing is newly withheld or published, in any stream.
        let nightlyLog = MemoryLogger()
        try Build(layout: layout, logger: nightlyLog).run()
        let nightly = try Self.publicValues(publicFile)
        #expect(nightly.rows == first.rows, "the nightly release differs from the one before for \(withdrawn)")
        let held = try DatabaseQueue(path: output.appendingPathComponent("promise.sqlite").path).read { db in
            try Row.fetchAll(db, sql: "SELECT period_id, stream, COUNT(*) AS n FROM held_revision GROUP BY period_id, stream")
        }
        #expect(held.count == 1 && (held.first?["period_id"] as String?) == "2024-25" && (held.first?["stream"] as String?) == "child-level records",
                "held: \(held)")
        #expect((held.first?["n"] as Int? ?? 0) > 0)
        #expect(nightlyLog.lines.contains { $0.contains("held for revision") && $0.contains("--revise 2024-25") })

        // The revision release: its own audit attacks it together with the release it replaces (the build
        // fails otherwise); run that joint attack again here, then a differencing attack written apart.
        layout.revisePeriods = ["2024-25"]
        // A revision of one child moves counts in one area: refused, nothing published, unless told.
        let refusal = #expect(throws: (any Error).self) { try Build(layout: layout, logger: MemoryLogger()).run() }
        #expect(refusal.map { "\($0)".contains("--revise 2024-25: a revision of 2024-25 would move counts by 1 to 4 in only 1 council area") } == true,
                "the refusal names the revision asked for, not a settings file: \(String(describing: refusal))")
        #expect(try Self.publicValues(publicFile).rows == first.rows)
        layout.allowSmallRevision = true
        try Build(layout: layout, logger: MemoryLogger()).run()
        // The audit as the build runs it: the true counts say which withheld counts are small.
        var audit = try DatabaseQueue(path: output.appendingPathComponent("promise.sqlite").path).read { try PublicationAudit.configured(layout: layout, restrictedStore: $0) }
        audit.previousRelease = kept
        let findings = try audit.audit(output.appendingPathComponent("public"))
        #expect(findings.isEmpty, "\(findings.prefix(5))")
        let revised = try Self.publicValues(publicFile)
        #expect(revised.rows != first.rows, "the revision release published the revision")
        for problem in Self.differencingAttack(before: first.numbers, after: revised.numbers) + Self.patternAttack(before: first.numbers, after: revised.numbers) {
            Issue.record("differencing: \(problem)")
        }
        // Held values are published now: nothing is held.
        let stillHeld = try DatabaseQueue(path: output.appendingPathComponent("promise.sqlite").path).read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM held_revision WHERE period_id = '2024-25'") ?? -1
        }
        #expect(stillHeld == 0)

        // Without the policy (the same data built with no release before it), the joint attack finds the child.
        let unprotected = Fixture.temporaryDirectory("unprotected")
        try Build(layout: Fixture.layout(output: unprotected, input: input), logger: MemoryLogger()).run()
        var unprotectedAudit = try DatabaseQueue(path: unprotected.appendingPathComponent("promise.sqlite").path).read { try PublicationAudit.configured(layout: layout, restrictedStore: $0) }
        unprotectedAudit.previousRelease = kept
        let exposed = try unprotectedAudit.audit(unprotected.appendingPathComponent("public"))
        #expect(exposed.contains { $0.problem.contains("isolates those children") || $0.problem.contains("was withheld in the previous release") },
                "the joint attack should catch a release that moves cells by 1 against the one before")
    }

    /// An attacker with two releases, written apart from the audit: every count published in both must
    /// not move by 1 to 4; nothing withheld before is published now; and where Scotland is published in
    /// both, its change less the changes of the areas published in both is the change of the rest: if the
    /// rest is one area, that is its change exactly, which must not be 1 to 4.
    static func differencingAttack(before: [String: Double?], after: [String: Double?]) -> [String] {
        var problems: [String] = []
        var byTable: [String: [(area: String, old: Double?, new: Double?)]] = [:]
        for (key, new) in after {
            guard let old = before[key] else { continue }
            if let o = old, let n = new, abs(n - o) >= 1, abs(n - o) <= 4 { problems.append("\(key) moved from \(o) to \(n)") }
            if old == nil, new != nil { problems.append("\(key) was withheld and is published now") }
            let parts = key.split(separator: "|").map(String.init)
            let table = [parts[0], parts[1], parts[3], parts[4], parts[5]].joined(separator: "|")
            byTable[table, default: []].append((parts[2], old, new))
        }
        for (table, cells) in byTable {
            guard let scotland = cells.first(where: { $0.area == TableStructure.scotland }), let so = scotland.old, let sn = scotland.new else { continue }
            let areas = cells.filter { $0.area != TableStructure.scotland }
            let unknown = areas.filter { $0.old == nil || $0.new == nil }
            guard unknown.count == 1, unknown[0].old != nil || unknown[0].new != nil else { continue }
            let known = areas.filter { $0.old != nil && $0.new != nil }.reduce(0.0) { $0 + ($1.new! - $1.old!) }
            let change = (sn - so) - known
            if abs(change) >= 1, abs(change) <= 4 { problems.append("\(table): \(unknown[0].area) moved by exactly \(change)") }
        }
        return problems
    }

    /// Which counts a revision newly withholds must not single out the moved record's attributes: in
    /// every table (indicator, period, breakdown) where a category is newly withheld, another category
    /// is withheld beside it, so the attacker cannot tell which of them the record is in.
    static func patternAttack(before: [String: Double?], after: [String: Double?]) -> [String] {
        var withheldNow: [String: Set<String>] = [:]
        var newly: [String: Set<String>] = [:]
        for (key, new) in after where key.hasSuffix("|numerator") && new == nil {
            let parts = key.split(separator: "|").map(String.init)
            // Areas within one breakdown category; categories within Scotland.
            let (table, member) = parts[2] == TableStructure.scotland && parts[3] != "total"
                ? ("\(parts[0])|\(parts[1])|Scotland|\(parts[3])", parts[4])
                : ("\(parts[0])|\(parts[1])|areas|\(parts[3])|\(parts[4])", parts[2])
            guard member != TableStructure.scotland else { continue }
            withheldNow[table, default: []].insert(member)
            if case .some(.some) = before[key] { newly[table, default: []].insert(member) }
        }
        return newly.compactMap { table, members in
            (withheldNow[table] ?? []).count < 2 ? "\(table): only \(members.sorted()) is withheld, and it was published before" : nil
        }.sorted()
    }

    // MARK: - Stock and flow

    /// A public file with three populations over two reporting years: looked after on 31 July 2023,
    /// starts in 2023-24 (two areas withheld) and looked after during 2023-24.
    static func stockAndFlowFolder(withDuringYear: Bool) throws -> URL {
        let folder = Fixture.temporaryDirectory("stock-flow")
        let store = try Store(url: folder.appendingPathComponent("promise-public.sqlite"))
        try store.queue.write { db in
            try store.recreate(PublicData.tables, in: db)
            try db.execute(sql: "INSERT INTO foundation VALUES ('family', 'Family', '', 1)")
            try db.execute(sql: "INSERT INTO vision_statement VALUES (1, 'One', 1)")
            try db.execute(sql: "INSERT INTO period VALUES ('2022-23', 'reporting_year', '2022-23', '2022-08-01', '2023-07-31', '2023-07-31', '31 July 2023', 20222023)")
            try db.execute(sql: "INSERT INTO period VALUES ('2023-24', 'reporting_year', '2023-24', '2023-08-01', '2024-07-31', '2024-07-31', '31 July 2024', 20232024)")
            try db.execute(sql: "INSERT INTO geography VALUES ('S92000003', 'Scotland', 'country', NULL)")
            for area in ["A", "B"] { try db.execute(sql: "INSERT INTO geography VALUES (?, ?, 'council_area', 'S92000003')", arguments: [area, area]) }
            let indicators = [("looked-after", "looked_after_on_31_july"), ("started", "children_starting_to_be_looked_after_aged_0_to_17"), ("during", "looked_after_during_year")]
            for (id, population) in indicators {
                try db.execute(sql: """
                    INSERT INTO indicator (indicator_id, title, short_title, short_definition, definition, outcome, foundation_id, vision_statement_id, role,
                      value_type, value_source, unit, polarity, numerator_description, numerator_sql, breakdowns, council_area_values, council_area_breakdowns, source, period_type, period_basis, caveats,
                      confidence_method, frequency, publisher, last_updated, next_update_due, headline_rule, direction_threshold, direction_threshold_unit,
                      definition_file, definition_sha256)
                    VALUES (?, 'Count', 'Count', '', '', '', 'family', 1, 'core', 'count', 'computed', 'children', 'no_judgement', '', 'SELECT 1', '', 1, '', '',
                      'reporting_year', 'snapshot', '', 'none', 'annual', '', '2026-01-01', '2027-01-01', 'npf_change', 2, 'percent', 'count.yml', '')
                    """, arguments: [id])
                try db.execute(sql: "INSERT INTO measure_population (indicator_id, measure, population, overlapping, attribute, code, unit) VALUES (?, 'numerator', ?, 0, NULL, NULL, 'children')",
                               arguments: [id, population])
            }
            // A started 3 and B 7 (withheld); A had 20 on 31 July 2023 and 23 during 2023-24, so A's
            // starts are at least 3: with Scotland's 10, exactly 3.
            var values: [(String, String, String, Int?)] = [
                ("looked-after", "2022-23", "S92000003", 50), ("looked-after", "2022-23", "A", 20), ("looked-after", "2022-23", "B", 30),
                ("started", "2023-24", "S92000003", 10), ("started", "2023-24", "A", nil), ("started", "2023-24", "B", nil),
            ]
            if withDuringYear { values += [("during", "2023-24", "S92000003", 60), ("during", "2023-24", "A", 23), ("during", "2023-24", "B", 37)] }
            for (indicator, period, area, n) in values {
                try db.execute(sql: """
                    INSERT INTO indicator_value (indicator_id, period_id, geography_code, breakdown_type, breakdown_code, numerator, value, marker)
                    VALUES (?, ?, ?, 'total', 'total', ?, ?, ?)
                    """, arguments: [indicator, period, area, n, n, n == nil ? "[c]" : nil])
            }
        }
        return folder
    }

    @Test("a count that only stock and flow narrows is caught by the audit, naming the cell")
    func stockAndFlowLeak() throws {
        var audit = PublicationAudit(childIdentifiers: [])
        let findings = try audit.audit(Self.stockAndFlowFolder(withDuringYear: true))
        #expect(findings.map(\.place) == ["indicator_value started 2023-24 A total=total numerator"], "\(findings)")
        #expect(findings.first?.problem.contains("between 3.00 and 3.00") == true)
        // Without the during-year table the same starts are safe: the leak is the stock-and-flow relation alone.
        #expect(try audit.audit(Self.stockAndFlowFolder(withDuringYear: false)).isEmpty)
    }

    @Test("stock and flow: during t is at most the stock at the end of t-1 plus starts in t, and the stock at the end of t is among during t")
    func stockAndFlowRelations() throws {
        let declarations: [String: TableStructure.Declaration] = [
            "stock": .init(measure: "stock", population: "looked_after_on_31_july"),
            "starts": .init(measure: "starts", population: "children_starting_to_be_looked_after_aged_0_to_17", overlapping: true),
            "during": .init(measure: "during", population: "looked_after_during_year"),
        ]
        let cells: Set<Cell> = [Cell("stock", CellKey(period: "2022-23", geography: "A")), Cell("stock", CellKey(period: "2023-24", geography: "A")),
                                Cell("starts", CellKey(period: "2023-24", geography: "A")), Cell("during", CellKey(period: "2023-24", geography: "A"))]
        let relations = TableStructure.relations(cells: cells, declarations: declarations, domains: [:], previousPeriod: ["2023-24": "2022-23"])
        let during = Cell("during", CellKey(period: "2023-24", geography: "A"))
        #expect(relations.contains { $0.kind == .coveredBy && $0.total == during
            && Set($0.cells) == [during, Cell("stock", CellKey(period: "2022-23", geography: "A")), Cell("starts", CellKey(period: "2023-24", geography: "A"))] })
        #expect(relations.contains { $0.kind == .atMost && $0.total == during && $0.parts == [.cell(Cell("stock", CellKey(period: "2023-24", geography: "A")))] })
        // Without the period before, no flow relation.
        #expect(!TableStructure.relations(cells: cells, declarations: declarations, domains: [:]).contains { $0.kind == .coveredBy })
    }

    // MARK: - Revisions in disclosure control

    /// Scotland and three areas. A revision moves area A by 2: A is withheld, and its range must reach
    /// both its previous value and five beyond it, so a second area goes too.
    @Test("a count revised by 1 to 4 is withheld, with a range reaching its previous value and five beyond")
    func revisedCount() throws {
        let key = { (area: String) in CellKey(period: "2024-25", geography: area) }
        let counts: [Cell: Int] = [Cell("m", key("S92000003")): 122, Cell("m", key("A")): 22, Cell("m", key("B")): 40, Cell("m", key("C")): 60]
        let relations = TableStructure.relations(cells: Set(counts.keys), declarations: [:], domains: [:])
        var fixed = DisclosureControl.Fixed()
        fixed.withheld[Cell("m", key("A"))] = .revision
        fixed.intervals[Cell("m", key("A"))] = 20...25
        var report = DisclosureControl.Report()
        let hidden = try DisclosureControl.suppress(counts, relations: relations, rules: .init(), fixed: fixed, report: &report)
        #expect(hidden[Cell("m", key("A"))] == .revision)
        #expect(hidden.count >= 2, "a second count must go, or Scotland less the others gives A")
        #expect(hidden[Cell("m", key("S92000003"))] == nil, "the cheapest second count is an area, not Scotland")
        let ranges = try DisclosureControlTests.attack(counts, hidden: Set(hidden.keys), relations: relations)
        let (lower, upper) = try #require(ranges[Cell("m", key("A"))])
        #expect(lower <= 20 + 1e-6 && (upper.map { $0 >= 25 - 1e-6 } ?? true), "A provably in [\(lower), \(String(describing: upper))]")
    }

    @Test("a count published in the last release is never withheld at night: protection finds another")
    func lockedCounts() throws {
        let key = { (area: String) in CellKey(period: "2024-25", geography: area) }
        // A is 3: withheld; B (the smallest other) was published before, so C goes instead.
        let counts: [Cell: Int] = [Cell("m", key("S92000003")): 73, Cell("m", key("A")): 3, Cell("m", key("B")): 10, Cell("m", key("C")): 60]
        let relations = TableStructure.relations(cells: Set(counts.keys), declarations: [:], domains: [:])
        var fixed = DisclosureControl.Fixed()
        fixed.published = [Cell("m", key("B"))]
        var report = DisclosureControl.Report()
        let hidden = try DisclosureControl.suppress(counts, relations: relations, rules: .init(), fixed: fixed, report: &report)
        #expect(hidden[Cell("m", key("B"))] == nil)
        #expect(hidden[Cell("m", key("A"))] == .primary)
        #expect(hidden[Cell("m", key("C"))] != nil || hidden[Cell("m", key("S92000003"))] != nil)
    }
}
