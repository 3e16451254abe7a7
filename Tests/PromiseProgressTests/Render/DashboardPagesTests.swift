import Foundation
import GRDB
import Testing
@testable import PromiseProgress

/// The pages policy teams read: every page type in HTML and Markdown, what a reader must be able to
/// say from them, the charts, the downloads and the escaping, checked on the embedded build.
@Suite("Dashboard pages", .removesTemporaryFiles)
struct DashboardPagesTests {
    static func output() throws -> URL { try Fixture.defaultBuild.get() }

    static func read(_ path: String) throws -> String {
        try String(contentsOf: try output().appendingPathComponent("public/" + path), encoding: .utf8)
    }

    @Test("every page type exists in HTML and with the same path in Markdown", arguments: [
        "index", "changes", "methods", "accessibility", "downloads", "data-quality", "quotes",
        "foundations/voice", "foundations/family", "foundations/care", "foundations/people", "foundations/scaffolding",
        "vision/1", "areas/index", "areas/S12000049", "areas/S12000023", "indicators/looked-after-rate", "evidence/voice",
    ])
    func pageTypes(path: String) throws {
        let html = try Self.read("site/\(path).html"), markdown = try Self.read("markdown/\(path).md")
        #expect(html.contains("<h1>"))
        #expect(markdown.hasPrefix("# "))
        // The same heading in both.
        let h1 = try #require(html.firstMatch(of: #/<h1>([^<]*)</h1>/#)).output.1
        let title = markdown.split(separator: "\n")[0].dropFirst(2)
        #expect(String(h1).replacingOccurrences(of: "&#39;", with: "'").replacingOccurrences(of: "&amp;", with: "&") == String(title).replacingOccurrences(of: "\\", with: ""))
    }

    @Test("a page for each of the 32 council areas, and one per vision statement")
    func counts() throws {
        let site = try Self.output().appendingPathComponent("public/site")
        let areas = try FileManager.default.contentsOfDirectory(atPath: site.appendingPathComponent("areas").path).filter { $0.hasPrefix("S12") && $0.hasSuffix(".html") }
        #expect(areas.count == 32)
        let store = try DatabaseQueue(path: try Self.output().appendingPathComponent("promise.sqlite").path)
        let visions = try store.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM vision_statement") ?? 0 }
        let pages = try FileManager.default.contentsOfDirectory(atPath: site.appendingPathComponent("vision").path).filter { $0.hasSuffix(".html") }
        #expect(pages.count == visions)
    }

    /// The overview's table, read back, against the headline statuses in the public file.
    @Test("from the overview alone a reader can count improving, maintaining and worsening per foundation")
    func overview() throws {
        let html = try Self.read("site/index.html")
        let db = try DatabaseQueue(path: try Self.output().appendingPathComponent("public/data/promise-public.sqlite").path)
        let expected = try db.read { db in
            try Row.fetchAll(db, sql: """
                SELECT f.name,
                       SUM(d.status = 'improving') AS improving, SUM(d.status = 'maintaining') AS maintaining, SUM(d.status = 'worsening') AS worsening
                FROM foundation f JOIN indicator i ON i.foundation_id = f.foundation_id AND i.evidence <> 'qualitative' AND i.role = 'core'
                LEFT JOIN direction_of_travel d ON d.indicator_id = i.indicator_id AND d.rule = i.headline_rule AND d.geography_code = 'S92000003'
                GROUP BY f.foundation_id
                """)
        }
        #expect(expected.count == 5)
        for row in expected {
            let name: String = row["name"]
            // Each cell carries its column's heading for phones (data-label), which says which count it is.
            let pattern = "\(name)</a></th><td data-label=\"Improving\" class=\"num\">\(row["improving"] as Int? ?? 0)</td><td data-label=\"Maintaining\" class=\"num\">\(row["maintaining"] as Int? ?? 0)</td><td data-label=\"Worsening\" class=\"num\">\(row["worsening"] as Int? ?? 0)</td>"
            #expect(html.contains(pattern), "overview row for \(name)")
        }
    }

    @Test("the overview's \"in short\" says what the counts say, and never calls a foundation improving on one of eight")
    func verdicts() {
        #expect(RenderStage.verdict(improving: 0, maintaining: 0, worsening: 0) == "Not enough to say")
        #expect(RenderStage.verdict(improving: 0, maintaining: 3, worsening: 0) == "Maintaining: none improving or worsening")
        #expect(RenderStage.verdict(improving: 1, maintaining: 7, worsening: 0) == "Mostly maintaining; more improving than worsening")
        #expect(RenderStage.verdict(improving: 3, maintaining: 1, worsening: 0) == "Mostly improving (3 of 4)")
        #expect(RenderStage.verdict(improving: 0, maintaining: 1, worsening: 2) == "Mostly worsening (2 of 3)")
        #expect(RenderStage.verdict(improving: 2, maintaining: 2, worsening: 2) == "Mixed: as many improving as worsening")
    }

    @Test("a council page names every indicator where the area is significantly better or worse than Scotland")
    func councilPage() throws {
        let db = try DatabaseQueue(path: try Self.output().appendingPathComponent("public/data/promise-public.sqlite").path)
        let code = "S12000049"
        // The latest period of each indicator with a Scotland value, and the area's benchmark there.
        let calls = try db.read { db in
            try Row.fetchAll(db, sql: """
                SELECT i.short_title, v.benchmark FROM indicator i
                JOIN indicator_value v ON v.indicator_id = i.indicator_id AND v.geography_code = ? AND v.breakdown_type = 'total'
                WHERE v.period_id = (SELECT s.period_id FROM indicator_value s JOIN period p USING (period_id)
                                     WHERE s.indicator_id = i.indicator_id AND s.geography_code = 'S92000003' AND s.breakdown_type = 'total'
                                       AND (s.marker IS NULL OR s.marker <> '[x]') ORDER BY p.sort_key DESC LIMIT 1)
                  AND v.benchmark IN ('better', 'worse')
                """, arguments: [code])
        }
        #expect(!calls.isEmpty, "Glasgow differs from Scotland somewhere on the embedded data")
        let markdown = try Self.read("markdown/areas/\(code).md")
        let better = try #require(markdown.split(separator: "\n").first { $0.contains("Significantly better:") })
        let worse = try #require(markdown.split(separator: "\n").first { $0.contains("Significantly worse:") })
        for call in calls {
            let line = (call["benchmark"] as String) == "better" ? better : worse
            #expect(line.contains(PageDocument.markdown(call["short_title"])), "\(call["short_title"] as String) listed as \(call["benchmark"] as String)")
        }
        // The spine chart: one row per indicator, shapes for the calls, words beside them.
        let html = try Self.read("site/areas/\(code).html")
        #expect(html.contains("<svg") && html.contains("role=\"img\""))
        #expect(html.components(separatedBy: "class=\"mark up\"").count - 1 >= calls.filter { ($0["benchmark"] as String) == "better" }.count)
        // The table behind it, as CSV, with the keys the public file uses.
        let csv = try Self.read("data/pages/area-\(code).csv")
        #expect(csv.hasPrefix("indicator_id,indicator,period_id,period_label,geography_code"))
    }

    @Test("the indicator page has a visible band, a council chart with words and shapes, a plain summary and its own CSV")
    func indicatorPage() throws {
        let html = try Self.read("site/indicators/looked-after-rate.html")
        #expect(html.contains("<polygon class=\"band\""))
        #expect(html.contains("The vertical axis starts at"), "the band is visible: the axis is not squashed to zero")
        #expect(html.contains("class=\"mark up\"") || html.contains("class=\"mark down\""))
        #expect(html.contains(">Similar</text>"))
        #expect(html.contains("In Scotland it fell from") || html.contains("In Scotland it rose from"))
        #expect(html.contains("statistically significant"))
        // The page's CSV holds exactly the rows the page shows: 6 periods, 32 areas, and the breakdowns.
        let csv = try Self.read("data/pages/indicator-looked-after-rate.csv")
        let lines = csv.split(separator: "\n").dropFirst()
        #expect(lines.filter { $0.hasPrefix("trend,") }.count == 6)
        #expect(lines.filter { $0.hasPrefix("council areas,") }.count == 32)
        #expect(csv.split(separator: "\n")[0] == Substring(SiteModel.pageCSVColumns.joined(separator: ",")))
    }

    @Test("a withheld or missing value is a gap in the chart, never drawn at zero")
    func gaps() {
        let chart = TrendChart(id: "t", title: "t", description: "d", points: [
            .init(label: "a", value: 10, lower: 9, upper: 11), .init(label: "b", value: nil), .init(label: "c", value: 12, lower: 11, upper: 13),
        ], valueType: .percentage)
        let svg = chart.svg
        #expect(!svg.contains("<polyline"), "no line joins across the gap")
        #expect(svg.contains("no value"))
        #expect(svg.components(separatedBy: "<circle").count - 1 == 2)
    }

    @Test("a series break is marked [b] and the line is not drawn across it; a target is a labelled line")
    func breaksAndTargets() {
        let chart = TrendChart(id: "t", title: "t", description: "d", points: [
            .init(label: "a", value: 10), .init(label: "b", value: 11), .init(label: "c", value: 20, isBreak: true), .init(label: "d", value: 21),
        ], valueType: .ratio, target: (0, "Target: 0"))
        let svg = chart.svg
        #expect(svg.contains("[b] series break"))
        #expect(svg.components(separatedBy: "<polyline").count - 1 == 2)
        #expect(svg.contains("class=\"target\"") && svg.contains("Target: 0"))
        // The embedded restraint indicator has a target: drawn on its page.
        #expect((try? Self.read("site/indicators/restraint-per-place.html"))?.contains("class=\"target\"") == true)
    }

    @Test("a title that looks like a link or an image renders as inert text in Markdown and HTML")
    func escaping() {
        var page = PageDocument(title: "[x](javascript:alert(1))")
        page.add(.paragraph([.text("![img](http://example.org/a.png) `code` <script>alert(1)</script>")]))
        page.add(.table(id: "t", caption: "[c](x)", columns: [.init("a")], rows: [[[.text("[y](javascript:z)")]]]))
        let markdown = page.markdown(root: "")
        #expect(!markdown.contains("](javascript"))
        #expect(markdown.contains("\\[x\\]\\(javascript:alert\\(1\\)\\)"))
        #expect(markdown.contains("\\!\\[img\\]"))
        #expect(markdown.contains("\\`code\\`"))
        #expect(!markdown.contains("<script>"))
        let html = page.htmlBody(root: "")
        #expect(!html.contains("<script>"))
        #expect(html.contains("&lt;script&gt;"))
    }

    @Test("the archive holds every CSV and a data package describing them, and the audit reads it")
    func archive() throws {
        let data = try Self.output().appendingPathComponent("public/data")
        let entries = try TarGzip.entries(TarGzip.gunzip(Data(contentsOf: data.appendingPathComponent(PublicData.archiveName))))
        let names = Set(entries.map(\.name))
        let csvs = try FileManager.default.contentsOfDirectory(atPath: data.path).filter { $0.hasSuffix(".csv") }
            + FileManager.default.contentsOfDirectory(atPath: data.appendingPathComponent("pages").path).filter { $0.hasSuffix(".csv") }.map { "pages/" + $0 }
        #expect(names == Set(csvs + ["datapackage.json"]))
        for entry in entries where entry.name.hasSuffix(".csv") {
            #expect(entry.data == (try Data(contentsOf: data.appendingPathComponent(entry.name))), "\(entry.name) as published")
        }
        let package = try #require(try JSONSerialization.jsonObject(with: entries.first { $0.name == "datapackage.json" }!.data) as? [String: Any])
        #expect((package["resources"] as? [[String: Any]])?.count == csvs.count)
        // Also readable by the system's tar.
        let tar = Process()
        tar.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        tar.arguments = ["tar", "-tzf", data.appendingPathComponent(PublicData.archiveName).path]
        let pipe = Pipe()
        tar.standardOutput = pipe
        try tar.run()
        let listed = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        tar.waitUntilExit()
        #expect(tar.terminationStatus == 0)
        #expect(Set(listed.split(separator: "\n").map(String.init)) == names)
    }

    @Test("what changed: a first build says so; a revised figure is held at night and listed by the revision release")
    func changes() throws {
        let output = Fixture.temporaryDirectory("changes")
        let input = try Fixture.copyOfInputs()
        try Build(layout: Fixture.layout(output: output, input: input), logger: MemoryLogger()).run()
        #expect(try String(contentsOf: output.appendingPathComponent("public/site/changes.html"), encoding: .utf8).contains("This is the first build"))
        // Revise one published figure: Scotland's restraint rate for 2024 in a later vintage.
        let file = input.appendingPathComponent("quantitative/published/restraint.csv")
        var text = try String(contentsOf: file, encoding: .utf8)
        let header = text.split(separator: "\n")[0].split(separator: ",").map(String.init)
        let line = try #require(text.split(separator: "\n").first { $0.contains("cy2024,S92000003") })
        var fields = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        let valueColumn = try #require(header.firstIndex(of: "value")), vintageColumn = try #require(header.firstIndex(of: "vintage"))
        fields[valueColumn] = "9.99"
        fields[vintageColumn] = "2026-11-30"
        text += fields.joined(separator: ",") + "\n"
        try text.write(to: file, atomically: true, encoding: .utf8)
        // A nightly build holds the revision (the revisions policy): nothing published changes.
        try Build(layout: Fixture.layout(output: output, input: input), logger: MemoryLogger()).run()
        #expect(!(try String(contentsOf: output.appendingPathComponent("public/data/pages/changes.csv"), encoding: .utf8)).contains("revised,"))
        // A revision release of 2024 publishes it, marked [r] and listed.
        func marked() throws -> Set<String> {
            try DatabaseQueue(path: output.appendingPathComponent("public/data/promise-public.sqlite").path).read { db in
                Set(try Row.fetchAll(db, sql: "SELECT indicator_id, period_id, geography_code, breakdown_type, breakdown_code FROM indicator_value WHERE marker = '[r]'").map {
                    "revised,\($0[0] as String),\($0[1] as String),\($0[2] as String),\($0[3] as String),\($0[4] as String),"
                })
            }
        }
        let markedBefore = try marked()
        var layout = Fixture.layout(output: output, input: input)
        layout.revisePeriods = ["cy2024"]
        try Build(layout: layout, logger: MemoryLogger()).run()
        let newlyMarked = try marked().subtracting(markedBefore)
        #expect(!newlyMarked.isEmpty)
        let markdown = try String(contentsOf: output.appendingPathComponent("public/markdown/changes.md"), encoding: .utf8)
        #expect(markdown.contains("Revised figures: 1 "), "\(markdown.prefix(1500))")
        let csv = try String(contentsOf: output.appendingPathComponent("public/data/pages/changes.csv"), encoding: .utf8)
        #expect(csv.contains("revised,restraint-per-place,cy2024,S92000003,total,total,"))
        #expect(csv.contains(",9.99"))
        for row in newlyMarked { #expect(csv.contains(row), "every figure newly marked [r] is listed as revised: \(row)") }
    }

    @Test("no public page shows a folder of the build machine, even with inputs outside the working folder")
    func noServerPaths() {
        #expect(SiteModel.publicPath("/srv/secret/data/quantitative/children.csv") == "quantitative/children.csv")
        #expect(SiteModel.publicPath("ignored a column in /home/me/x/experiential/responses.csv (line 3)") == "ignored a column in experiential/responses.csv (line 3)")
        #expect(SiteModel.publicPath("12/05/2019 and a/b") == "12/05/2019 and a/b")
        // However --input was given, relative or not, a file is named from its stream folder.
        #expect(SiteModel.publicPath("Data/quantitative/children.csv") == "quantitative/children.csv")
        #expect(SiteModel.publicPath("read ../in/qualitative/update.md, 2 notes") == "read qualitative/update.md, 2 notes")
        // The stream folders come from the streams' declarations, not a list of their own.
        #expect(StreamRegistry.inputFolders == ["quantitative", "experiential", "qualitative"] || Set(StreamRegistry.inputFolders) == ["quantitative", "experiential", "qualitative"],
                "\(StreamRegistry.inputFolders)")
        let audit = PublicationAudit(childIdentifiers: [])
        let folder = Fixture.temporaryDirectory("paths")
        let page = folder.appendingPathComponent("page.md")
        try? "Read from /tmp/input/quantitative/children.csv".write(to: page, atomically: true, encoding: .utf8)
        #expect((try? audit.auditText(page, name: "page.md"))?.contains { $0.problem.contains("path on the build machine") } == true)
    }

    @Test("on a phone every table cell is led by its column's heading; row headings and tables without a header are left alone")
    func phoneTables() throws {
        let html = """
        <p>x</p><div class="table-wrap"><table>
        <caption id="c">Cap</caption>
        <thead><tr><th scope="col">Indicator</th><th scope="col" class="num">Value (<abbr>%</abbr>)</th><th scope="col">Say &quot;it&quot;</th></tr></thead>
        <tbody><tr><th scope="row"><a href="a.html">A</a></th><td class="num">1.0</td><td>yes</td></tr>
        <tr class="total"><td>Total</td><td class="num">2.0</td><td></td></tr></tbody>
        </table></div><table><tr><td>no header</td></tr></table>
        """
        let labelled = ResponsiveTables.label(html)
        #expect(labelled.contains("<table class=\"stack\">"))
        #expect(labelled.contains("<th scope=\"row\"><a href=\"a.html\">A</a></th>"), "a row heading gets no label")
        #expect(labelled.contains("<td data-label=\"Value (%)\" class=\"num\">1.0</td>"))
        #expect(labelled.contains("<td data-label=\"Say &quot;it&quot;\">yes</td>"))
        #expect(labelled.contains("<td data-label=\"Indicator\">Total</td>"))
        #expect(labelled.contains("<table><tr><td>no header</td></tr></table>"))
        #expect(labelled.hasPrefix("<p>x</p>"))
        // On the embedded build: every data table of a council page is labelled, and the stylesheet stacks them.
        let page = try Self.read("site/areas/S12000049.html")
        #expect(page.contains("<table class=\"stack\">") && page.contains("data-label=\"Compared with Scotland\""))
        #expect(try Self.read("site/assets/style.css").contains("table.stack [data-label]::before"))
    }

    @Test("true zeros are published as 0, not [x]: no commitment delivered in a year with commitments")
    func trueZeros() throws {
        let db = try DatabaseQueue(path: try Self.output().appendingPathComponent("public/data/promise-public.sqlite").path)
        let rows = try db.read { db in
            try Row.fetchAll(db, sql: """
                SELECT period_id, numerator, denominator, value, marker FROM indicator_value
                WHERE indicator_id = 'commitments-delivered' AND breakdown_type = 'total' ORDER BY period_id
                """)
        }
        // The tracker has commitments from 2021-22 and the first delivered in 2023-24.
        let zero = try #require(rows.first { ($0["period_id"] as String) == "fy2022-23" })
        // (Marked [u], low reliability, as any percentage of fewer than 20 is: but a value, not [x].)
        #expect((zero["numerator"] as Int?) == 0 && (zero["value"] as Double?) == 0 && (zero["marker"] as String?) != "[x]", "\(zero)")
        #expect((zero["denominator"] as Double?) ?? 0 > 0)
        let empty = try #require(rows.first { ($0["period_id"] as String) == "fy2019-20" })
        #expect((empty["marker"] as String?) == "[x]", "a year with no commitments at all has nothing to count")
    }

    @Test("a council page says why each indicator is not compared, and its CSV has the range of council values")
    func notCompared() throws {
        let markdown = try Self.read("markdown/areas/S12000049.md")
        let line = try #require(markdown.split(separator: "\n").first { $0.contains("Not compared:") })
        #expect(line.contains(PageDocument.markdown("a count (areas differ in size)")) && line.contains("no confidence interval"), "\(line)")
        #expect(!markdown.contains("counts, withheld or missing values"))
        let csv = try Self.read("data/pages/area-S12000049.csv").split(separator: "\n")
        #expect(csv[0].hasSuffix(",compared_with_scotland,not_compared_because,council_lowest,council_highest,response_under_a_fifth"))
        #expect(csv.dropFirst().allSatisfy { $0.split(separator: ",", omittingEmptySubsequences: false).count >= 19 })
        // A figure its source revised ([r]) is listed on the area's page whatever its period.
        let db = try DatabaseQueue(path: try Self.output().appendingPathComponent("public/data/promise-public.sqlite").path)
        let revised = try #require(try db.read { db in
            try Row.fetchOne(db, sql: """
                SELECT v.geography_code, i.short_title FROM indicator_value v JOIN indicator i USING (indicator_id)
                WHERE v.marker = '[r]' AND v.geography_code <> 'S92000003' AND v.breakdown_type = 'total' ORDER BY 1, 2 LIMIT 1
                """)
        })
        let area = try Self.read("markdown/areas/\(revised["geography_code"] as String).md")
        let section = try #require(area.components(separatedBy: "## Revised figures").dropFirst().first)
        #expect(section.contains(PageDocument.markdown(revised["short_title"] as String)) && section.contains("\\[r\\]"), "\(section.prefix(600))")
    }

    @Test("a survey page's answers say how each counts in its result, and the page's tables are each a CSV")
    func answersAndDirectionCSVs() throws {
        let low = try Self.read("data/pages/indicator-survey-low-life-satisfaction-answers.csv")
        #expect(low.hasPrefix("indicator_id,period_label,age_group,answer,answers,group_answers,share,how_it_counts"))
        // Low life satisfaction counts the low range: those answers are counted, the high range is not.
        #expect(low.contains("Counted in this result") && low.contains("In the denominator only") && low.contains("Not in the denominator"))
        let direction = try Self.read("data/pages/indicator-looked-after-rate-direction.csv")
        #expect(direction.split(separator: "\n").count == 3 && direction.hasPrefix("indicator_id,geography_code,rule,status,how_decided"))
        let html = try Self.read("site/indicators/survey-listened.html")
        #expect(html.contains("indicator-survey-listened-answers.csv") && html.contains("indicator-survey-listened-direction.csv"))
    }

    @Test("a Markdown page carries the SQL in a fence nothing can close, the page's CSV and the privacy footer")
    func markdownCompleteness() throws {
        let markdown = try Self.read("markdown/indicators/looked-after-rate.md")
        #expect(markdown.contains("## How it is calculated (SQL)") && markdown.contains("```sql\nSELECT"))
        #expect(markdown.contains("[indicator-looked-after-rate.csv](../../data/pages/indicator-looked-after-rate.csv)"))
        #expect(markdown.contains("are shown as \\[c\\] to protect children's privacy"))
        #expect(try Self.read("markdown/areas/S12000049.md").contains("Built by promise-progress, run "))
        #expect(Presenter.fenced("SELECT '```' AS x", language: "sql") == "````sql\nSELECT '```' AS x\n````")
    }

    /// A low response is never hidden: every council result of a group that fewer than a fifth of those
    /// invited answered says (low) beside it, even where the response rate itself is withheld.
    @Test("the low-response marker shows on every council result from a group under a fifth, the rate withheld or not")
    func lowResponseMarker() throws {
        let output = try Self.output()
        let bands = try DatabaseQueue(path: output.appendingPathComponent("public/data/promise-public.sqlite").path).read { db in
            try Row.fetchAll(db, sql: """
                SELECT b.period_id, b.geography_code, b.response_under_a_fifth, v.marker FROM survey_response_band b
                JOIN indicator_value v USING (indicator_id, period_id, geography_code, breakdown_type, breakdown_code)
                WHERE b.breakdown_type = 'total' AND b.geography_code <> 'S92000003'
                """)
        }
        let low = Set(bands.filter { ($0["response_under_a_fifth"] as Int) == 1 }.map { "\($0["period_id"] as String)|\($0["geography_code"] as String)" })
        #expect(bands.contains { ($0["response_under_a_fifth"] as Int) == 1 && ($0["marker"] as String?) == "[c]" }, "the embedded data has a low group whose rate is withheld")
        var checked = 0
        for page in ["survey-listened", "survey-feel-safe", "survey-trusted-adult", "survey-involved"] {
            let csv = try Self.read("data/pages/indicator-\(page).csv").split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
            let header = csv[0]
            let (section, period, area, rate) = (header.firstIndex(of: "section")!, header.firstIndex(of: "period_id")!, header.firstIndex(of: "geography_code")!, header.firstIndex(of: "response_rate")!)
            for row in csv.dropFirst() where row.count == header.count && row[section] == "council areas" && low.contains("\(row[period])|\(row[area])") {
                #expect(row[rate].hasSuffix("(low)"), "\(page) \(row[period]) \(row[area]): response rate shown as '\(row[rate])'")
                checked += 1
            }
        }
        #expect(checked > 0)
        // The council downloads say it too, in a column of their own: yes for a low group, no for one
        // whose response is known and not low, for every survey row.
        let known = Dictionary(bands.map { ("\($0["period_id"] as String)|\($0["geography_code"] as String)", ($0["response_under_a_fifth"] as Int) == 1) }, uniquingKeysWith: { a, _ in a })
        var saidLow = 0
        for code in Set(bands.map { $0["geography_code"] as String }) {
            let rows = CSVReader(string: try Self.read("data/pages/area-\(code).csv")).rows().compactMap { row -> [String]? in
                if case .record(_, let fields) = row { fields } else { nil }
            }
            let header = rows[0]
            let (id, period, column) = (header.firstIndex(of: "indicator_id")!, header.firstIndex(of: "period_id")!, header.firstIndex(of: "response_under_a_fifth")!)
            for row in rows.dropFirst() where row[id].hasPrefix("survey-") {
                guard let isLow = known["\(row[period])|\(code)"] else { continue }
                #expect(row[column] == (isLow ? "yes" : "no"), "area-\(code).csv \(row[id]) \(row[period]): response_under_a_fifth is '\(row[column])'")
                if isLow { saidLow += 1 }
            }
        }
        #expect(saidLow > 0, "the embedded data has a council area whose latest survey response was under a fifth")
    }
}
