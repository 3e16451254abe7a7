import Foundation
import GRDB
import Yams

/// The downloadable data: one tidy CSV per indicator and `promise-public.sqlite`, both built from
/// published (disclosure-controlled) values only. Child-level tables are never copied.
public enum PublicData {
    /// Tables of the public SQLite file: reference tables, definitions, published values and its own dictionary.
    public static var tables: [TableSpec] {
        let published = Schema.indicatorTables.first { $0.name == "published_indicator_value" }!
        // Why a value is withheld stays in the restricted store: a reason tells the range.
        let values = TableSpec("indicator_value", kind: .indicator,
                               description: "Every published value after statistical disclosure control. Withheld numbers are NULL with marker [c]; [u] marks a value on a denominator below 10 (low reliability).",
                               columns: published.columns.filter { $0.name != "suppression_rule" }, tableConstraints: published.tableConstraints)
        let populations = Schema.indicatorTables.first { $0.name == "measure_population" }!
        let direction = Schema.indicatorTables.first { $0.name == "direction_of_travel" }!
        // Every vintage of the published aggregates, without line-level provenance.
        let file = PublishedTablesStream.values
        let aggregates = TableSpec(file.table.name, kind: .clean, description: file.table.description,
                                   columns: file.table.columns.filter { !["source_file", "source_line"].contains($0.name) },
                                   tableConstraints: ["PRIMARY KEY (\(file.key.joined(separator: ", ")))"])
        // The redaction list names children's schools and places: used, never published (nor the allow list beside it).
        return Schema.reference.filter { !["redaction_term", "redaction_allow"].contains($0.name) } + [aggregates, Schema.indicatorTables[0], populations, values, direction, answers, ComputeStage.bandTable, quotes] + qualitative + Schema.dictionary
    }

    /// The qualitative stream, which is public already: documents (without their raw text, which may
    /// hold contact details), statements, their foundations, the tracker and the full-text indexes.
    static var qualitative: [TableSpec] {
        let provenance: Set<String> = ["source_file", "source_line", "body"]
        func trimmed(_ spec: TableSpec, key: [String]? = nil) -> TableSpec {
            var copy = TableSpec(spec.name, kind: spec.kind == .analysis ? .clean : spec.kind, description: spec.description,
                                 columns: spec.columns.filter { !provenance.contains($0.name) }.map { ColumnSpec($0.name, $0.type, $0.constraints.contains("REFERENCES") ? "" : $0.constraints, $0.description) },
                                 tableConstraints: key.map { ["PRIMARY KEY (\($0.joined(separator: ", ")))"] } ?? spec.tableConstraints)
            copy.fullTextTokenizer = spec.fullTextTokenizer
            return copy
        }
        return [trimmed(QualitativeStream.documentTable)] + QualitativeStream.parsed.map { trimmed($0) }
            + [trimmed(QualitativeStream.commitments.table, key: QualitativeStream.commitments.key), trimmed(QualitativeStream.statementSearch), trimmed(QualitativeStream.documentSearch)]
    }

    /// How children answered each survey topic across Scotland, where at least the smallest
    /// publishable group answered.
    static var answers: TableSpec {
        let derived = ExperientialStream.derived.first { $0.name == "survey_answer_distribution" }!
        return TableSpec(derived.name, kind: .indicator,
                         description: "How many gave each answer to each survey topic in each wave across Scotland, by age group (each has its own survey version and scale), don't know and prefer not to say included (they are kept out of every denominator). An age group is listed only where the survey result for that topic, wave, Scotland and age group is published (not [c]) and no answer was given, or left, by 1 to 4 children.",
                         columns: derived.columns)
    }

    /// The published part of `survey_answer_distribution`, chosen by compute (``PublishedAnswers``).
    static let publishedAnswersSQL = "SELECT * FROM published_answer_distribution"

    /// Children's own words: comments given with consent to quote, redacted, from groups large enough.
    static let quotes = TableSpec("quote", kind: .indicator,
                                  description: "Comments children and young people wrote in the survey and agreed to have quoted, after redaction (names and any other capitalised word that is not an everyday word or on the allow list, e-mail addresses, phone numbers, postcodes, street addresses, places, units and schools replaced by a word in brackets), each approved by a person who read this exact redacted text. Attributed by age group only, and only from a survey version and wave that at least 10 answered. Each text appears once; a text that repeats another with a few words added is left out.",
                                  columns: [
                                      ColumnSpec("wave", "TEXT", "NOT NULL", "Survey wave (period id)."),
                                      ColumnSpec("foundation_id", "TEXT", "NOT NULL", "Foundation of the question the comment was given with."),
                                      ColumnSpec("topic", "TEXT", "NOT NULL", "Topic of that question."),
                                      ColumnSpec("age_group", "TEXT", "NOT NULL", "Age group of the survey version (codelist survey_age_group), or several where children in more than one age group wrote the same words."),
                                      ColumnSpec("quote", "TEXT", "NOT NULL", "The comment, redacted."),
                                  ])

    /// Quotes as published: consented, from a group of at least the smallest publishable size, with
    /// some text, and approved by a reviewer for exactly this redacted text (`survey_quote.review`).
    /// One text is published once: of the comments with the same redacted text, the latest wave's is
    /// kept (then by foundation, topic and key, so the choice is the same every build); a text given in
    /// more than one age group is attributed to none (`several`), not to whichever came first.
    /// A text that is another with a few words added ("… Thanks for asking.") is the same text: read
    /// without case and line breaks, one that holds the whole of a shorter one of at least 20 characters
    /// and 60% of its length is left out, and the shorter one stands for both.
    static let quotesSQL = """
        WITH eligible AS (
            SELECT * FROM survey_quote
            WHERE consent_to_quote = 'yes' AND group_respondents >= ? AND trim(redacted) <> '' AND review = 'approved'
        ),
        normed AS (
            SELECT DISTINCT redacted,
                   lower(trim(replace(replace(replace(replace(replace(redacted, char(13), ' '), char(10), ' '), char(9), ' '), '  ', ' '), '  ', ' '))) AS norm
            FROM eligible
        ),
        kept AS (
            SELECT b.redacted,
                   COALESCE((SELECT a.redacted FROM normed a
                             WHERE a.norm <> b.norm AND length(a.norm) >= 20 AND 10 * length(a.norm) >= 6 * length(b.norm) AND instr(b.norm, a.norm) > 0
                             ORDER BY length(a.norm), a.redacted LIMIT 1), b.redacted) AS kept
            FROM normed b
        ),
        texts AS (
            SELECT k.kept, COUNT(DISTINCT e.age_group) AS age_groups FROM eligible e JOIN kept k ON k.redacted = e.redacted GROUP BY k.kept
        ),
        ranked AS (
            SELECT e.*, ROW_NUMBER() OVER (PARTITION BY e.redacted ORDER BY e.wave DESC, e.foundation, e.topic, e.survey_id, e.respondent_id, e.question_id) AS n
            FROM eligible e JOIN kept k ON k.redacted = e.redacted AND k.kept = e.redacted
        )
        SELECT r.wave, r.foundation AS foundation_id, r.topic,
               CASE WHEN t.age_groups > 1 THEN '\(severalAgeGroups)' ELSE r.age_group END AS age_group, r.redacted AS quote
        FROM ranked r JOIN texts t ON t.kept = r.redacted
        WHERE r.n = 1
        ORDER BY r.wave, r.foundation, age_group, r.survey_id, r.respondent_id, r.question_id
        """

    /// `quote.age_group` of a text given in more than one age group.
    public static let severalAgeGroups = "several"

    /// The query each public table is copied with (the restricted table of the same name unless said here).
    static func source(of spec: TableSpec, rules: DisclosureControl.Rules) -> (sql: String, arguments: StatementArguments) {
        let columns = spec.columns.map(\.name).joined(separator: ", ")
        switch spec.name {
        case "indicator_value":
            return ("SELECT \(columns) FROM published_indicator_value", [])
        case answers.name:
            return ("SELECT \(columns) FROM (\(publishedAnswersSQL))", [])
        case quotes.name:
            return (quotesSQL, [rules.smallestRespondentGroup])
        default:
            return ("SELECT \(columns) FROM \(spec.name)", [])
        }
    }

    static let csvColumns = ["indicator_id", "period_id", "period_label", "geography_code", "geography_name", "breakdown_type", "breakdown_code",
                             "numerator", "denominator", "value", "marker", "lower_95", "upper_95", "lower_998", "upper_998", "ci_method",
                             "standard_deviation", "benchmark", "rank", "quintile"]

    /// Writes every file; returns how many.
    static func write(to directory: URL, from db: Database, definitions: [IndicatorDefinition], rules: DisclosureControl.Rules) throws -> Int {
        var count = 0
        for definition in definitions {
            var csv = CSVWriter(header: csvColumns)
            let rows = try Row.fetchAll(db, sql: """
                SELECT v.indicator_id, v.period_id, CASE WHEN i.period_basis = 'snapshot' THEN p.snapshot_label ELSE p.label END AS period_label,
                       v.geography_code, g.name AS geography_name, v.breakdown_type, v.breakdown_code, v.numerator, v.denominator, v.value,
                       v.marker, v.lower_95, v.upper_95, v.lower_998, v.upper_998, v.ci_method, v.standard_deviation, v.benchmark, v.rank, v.quintile
                FROM published_indicator_value v
                JOIN indicator i ON i.indicator_id = v.indicator_id
                JOIN period p ON p.period_id = v.period_id
                JOIN geography g ON g.geography_code = v.geography_code
                WHERE v.indicator_id = ?
                ORDER BY p.sort_key, g.geography_type DESC, g.geography_code, v.breakdown_type != 'total', v.breakdown_type, v.breakdown_code
                """, arguments: [definition.id])
            for row in rows {
                csv.append(csvColumns.map { column in
                    let value = row[column] as DatabaseValue
                    switch value.storage {
                    case .null: return ""
                    case .int64(let number): return String(number)
                    case .double(let number): return Formatting.plain(number)
                    case .string(let text): return text
                    case .blob: return ""
                    }
                })
            }
            try Data(csv.text.utf8).write(to: directory.appendingPathComponent("\(definition.id).csv"))
            count += 1
        }
        try writeSQLite(to: directory.appendingPathComponent("promise-public.sqlite"), from: db, rules: rules)
        try datasetteMetadata().write(to: directory.appendingPathComponent(datasetteMetadataName), atomically: false, encoding: .utf8)
        return count + 2
    }

    static let datasetteMetadataName = "datasette-metadata.yml"

    /// Metadata for serving the public file with Datasette (`datasette promise-public.sqlite -m
    /// datasette-metadata.yml`): titles, descriptions of every table, view and column from the data
    /// dictionary, the source and licence, and canned queries for the common questions (named apart
    /// from the views: in Datasette a query of the same name would hide the view).
    static func datasetteMetadata() throws -> String {
        var tablesMetadata: [String: Any] = [:]
        for spec in tables + AnalystViews.specs where spec.kind != .dictionary || spec.name.hasPrefix("data_dictionary") {
            var columns: [String: String] = [:]
            for column in spec.columns { columns[column.name] = column.description }
            tablesMetadata[spec.name] = ["description": spec.description, "columns": columns] as [String: Any]
        }
        func query(_ title: String, _ sql: String) -> [String: Any] { ["title": title, "sql": sql] }
        let metadata: [String: Any] = [
            "title": "The Promise progress framework: published indicators",
            "description": "Indicators of progress on the Promise to Scotland's care-experienced children, after statistical disclosure control: [c] marks a withheld value, and no count of 1 to 4 children appears. Built from synthetic data; not official statistics. Each indicator's unit is in the indicator table (column unit); values are in that unit.",
            "source": "promise-progress (data dictionary in the tables data_dictionary_table and data_dictionary)",
            "license": "Open Government Licence v3.0",
            "license_url": "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/",
            "databases": [
                "promise-public": [
                    "tables": tablesMetadata,
                    "queries": [
                        "scotland-latest": query("Latest value of every indicator for Scotland", "SELECT indicator_id, title, period_label, value, marker, lower_95, upper_95 FROM latest_value WHERE geography_code = 'S92000003' ORDER BY foundation_id, indicator_id"),
                        "area-against-scotland": query("One council area against Scotland", "SELECT title, period_label, value, marker, scotland_value, benchmark FROM area_profile WHERE geography_code = :geography_code ORDER BY foundation_id, indicator_id"),
                        "foundation-headlines": query("A foundation's headline indicators and direction of travel", "SELECT title, role, period_label, value, marker, direction, p_value FROM foundation_headline WHERE foundation_id = :foundation_id"),
                        "indicator-time-series": query("The time series of one indicator for one area", "SELECT period_label, value, marker, lower_95, upper_95 FROM indicator_series WHERE indicator_id = :indicator_id AND geography_code = :geography_code AND breakdown_type = 'total' ORDER BY sort_key"),
                    ] as [String: Any],
                ] as [String: Any],
            ] as [String: Any],
        ]
        return try Yams.dump(object: metadata, width: -1, allowUnicode: true, sortKeys: true)
    }

    static let archiveName = "promise-progress-csv.tar.gz"

    /// What each CSV column holds, for the archive's metadata.
    static let columnDescriptions: [String: (type: String, description: String)] = [
        "indicator_id": ("string", "Indicator (table indicator of promise-public.sqlite)."), "indicator": ("string", "Indicator title."),
        "period_id": ("string", "Period code."), "period_label": ("string", "Period as shown."),
        "geography_code": ("string", "Council area or Scotland (S92000003)."), "geography_name": ("string", "Its name."),
        "breakdown_type": ("string", "total, or the breakdown (sex, age_band, placement_type, age_group, foundation)."), "breakdown_code": ("string", "Category of the breakdown; total for totals."),
        "numerator": ("number", "Count counted; empty where withheld ([c] in marker)."), "denominator": ("number", "Count out of; empty where withheld."),
        "value": ("number", "The figure; empty where withheld or not available."), "marker": ("string", "Shorthand: [c] withheld to protect privacy, [x] not available, [z] not applicable, [u] low reliability, [r] revised, [b] break in series, [low] low response."),
        "lower_95": ("number", "Lower 95% confidence limit."), "upper_95": ("number", "Upper 95% confidence limit."),
        "lower_998": ("number", "Lower 99.8% confidence limit."), "upper_998": ("number", "Upper 99.8% confidence limit."),
        "ci_method": ("string", "Interval method."), "standard_deviation": ("number", "Standard deviation (means)."),
        "benchmark": ("string", "Compared with Scotland: better, worse, similar, higher or lower."), "compared_with_scotland": ("string", "Compared with Scotland: better, worse, similar, higher or lower."),
        "rank": ("integer", "Rank among council areas (1 is the highest value)."), "quintile": ("integer", "Fifth among council areas (1 is the highest)."),
        "section": ("string", "Part of the page the row is from."), "response_rate": ("string", "Survey results: response rate of the row's group as shown."),
        "scotland_value": ("number", "Scotland's value in the same period."),
        "rule": ("string", "Direction-of-travel rule: the change since the previous period, or the trend over five periods."),
        "status": ("string", "Direction of travel, in words."), "how_decided": ("string", "How the status was decided: the test, its statistic and p-value or threshold."),
        "age_group": ("string", "Age group (each answers its own version of the survey)."), "answer": ("string", "The answer, as worded in the survey."),
        "answers": ("integer", "Answers given."), "group_answers": ("integer", "Every answer the age group gave to the question."),
        "share": ("number", "Answers as a percentage of the age group's answers."), "how_it_counts": ("string", "How the answer counts in this result: counted (in the numerator), in the denominator only, or not in the denominator (don't know, prefer not to say)."),
        "council_lowest": ("number", "Lowest council area value in the same period."), "council_highest": ("number", "Highest council area value in the same period."),
        "response_under_a_fifth": ("string", "Survey results: yes where fewer than a fifth of those invited in the area answered (results may not represent the group), no where more did; empty for other indicators and where invitations are not known."),
        "not_compared_because": ("string", "Why the area is not compared with Scotland, where it is not."), "change": ("string", "Kind of change."), "before": ("string", "Before."), "after": ("string", "Now."),
    ]

    /// One archive of every CSV in `data/` and `data/pages/`, with `datapackage.json` (a Frictionless
    /// Data Package) describing every file and column. The same files give the same archive.
    static func writeArchive(in data: URL, definitions: [IndicatorDefinition]) throws -> Int {
        let titles = Dictionary(uniqueKeysWithValues: definitions.map { ($0.id, $0.title) })
        var entries: [(name: String, data: Data)] = []
        var resources: [[String: Any]] = []
        for folder in ["", "pages/"] {
            let names = try FileManager.default.contentsOfDirectory(atPath: data.appendingPathComponent(folder).path).filter { $0.hasSuffix(".csv") }.sorted()
            for name in names {
                let content = try Data(contentsOf: data.appendingPathComponent(folder + name))
                entries.append((folder + name, content))
                let header = String(decoding: content.prefix { $0 != UInt8(ascii: "\n") }, as: UTF8.self).split(separator: ",").map { String($0).trimmingCharacters(in: .whitespacesAndNewlines) }
                let stem = String(name.dropLast(4))
                let title = folder.isEmpty ? titles[stem].map { "\($0): every period, area and group" } ?? stem
                    : stem.hasPrefix("indicator-") ? "\(titles[String(stem.dropFirst(10))] ?? stem): the figures its page shows"
                    : stem.hasPrefix("area-") ? "Council area \(stem.dropFirst(5)) against Scotland: the figures its page shows" : "Every change since the previous build"
                resources.append(["name": stem.lowercased(), "path": folder + name, "format": "csv", "mediatype": "text/csv", "encoding": "utf-8", "title": title,
                                  "schema": ["fields": header.map { ["name": $0, "type": columnDescriptions[$0]?.type ?? "string", "description": columnDescriptions[$0]?.description ?? ""] },
                                             "missingValues": [""]]])
            }
        }
        let package: [String: Any] = [
            "name": "promise-progress", "title": "Keeping The Promise: progress indicators (synthetic data)",
            "description": "Every published figure after statistical disclosure control. Withheld numbers are empty with [c] in the marker column. Synthetic data: not official statistics.",
            "licenses": [["name": "OGL-UK-3.0", "title": "Open Government Licence v3.0"]],
            "resources": resources,
        ]
        let json = try JSONSerialization.data(withJSONObject: package, options: [.prettyPrinted, .sortedKeys])
        entries.insert(("datapackage.json", json), at: 0)
        let archive = try TarGzip.gzip(try TarGzip.tar(entries, modified: 0))
        try archive.write(to: data.appendingPathComponent(archiveName))
        return 1
    }

    static func writeSQLite(to url: URL, from db: Database, rules: DisclosureControl.Rules) throws {
        try? FileManager.default.removeItem(at: url)
        let target = try Store(url: url)
        let source = db
        try target.queue.write { out in
            try target.recreate(tables, in: out)
            for spec in tables where spec.kind != .dictionary {
                let columns = spec.columns.map(\.name)
                let insert = try BulkInsert(into: spec.name, columns: columns, in: out)
                let query = Self.source(of: spec, rules: rules)
                let rows = try Row.fetchCursor(source, sql: query.sql, arguments: query.arguments)
                // Documents and the tracker are public already, but never their contact details.
                let scrub = qualitative.contains { $0.name == spec.name }
                while let row = try rows.next() {
                    try insert.insert(columns.map { column -> DatabaseValue in
                        let value = row[column] as DatabaseValue
                        if scrub, case .string(let text) = value.storage { return DocumentParser.scrubContacts(text).databaseValue }
                        return value
                    })
                }
            }
            // A definition file given outside the working folder (--indicators /srv/...) is named
            // from its folder: no path of the build machine is published.
            for row in try Row.fetchAll(out, sql: "SELECT indicator_id, definition_file FROM indicator") {
                let file: String = row["definition_file"]
                let shown = SiteModel.publicPath(file)
                if shown != file { try out.execute(sql: "UPDATE indicator SET definition_file = ? WHERE indicator_id = ?", arguments: [shown, row["indicator_id"]]) }
            }
            try AnalystViews.install(in: out)
            try Store.writeDataDictionary(tables + AnalystViews.specs, in: out)
        }
        // One compact file, no journal beside it: what analysts and Datasette open.
        try target.queue.writeWithoutTransaction { try $0.execute(sql: "VACUUM") }
    }
}
